/**
 * `keyplane store rewrap`: the data key moves to another seal without re-encrypting a record —
 * the new seal must give the key back before anything is written, and the seal columns of the
 * metadata row change in one transaction with the audit entry that says so.
 *
 * @module
 */
import type { AuditContext } from '../audit/writer';
import { SealError } from '../errors';
import type { Seal } from '../seal/contract';
import type { StoreKeys } from '../seal/data-key';
import type { StoreDialect } from './dialect';
import { ROOT_NAMESPACE } from './namespaces';
import { checkMeta, sealMeta } from './records';
import type { MetaRow } from './schema';
import { SqlTx } from './sql-tx';

export interface RewrapInput {
  readonly keys: StoreKeys;
  readonly context: AuditContext;
  readonly dataKey: Buffer;
  /** The seal type the store has now (the audit entry's `from`). */
  readonly from: string;
}

/** Wraps the data key with `seal`, checks it unwraps, commits; returns the new metadata row. */
export async function rewrapDataKey(
  dialect: StoreDialect,
  { keys, context, dataKey, from }: RewrapInput,
  seal: Seal,
): Promise<MetaRow> {
  const wrapped = await seal.wrapDataKey(dataKey);
  if (!(await seal.unwrapDataKey(wrapped)).equals(dataKey)) {
    throw new SealError(`the ${seal.type} seal did not give the data key back`, {
      field: 'seal',
    });
  }
  // One transaction: the audit entry, then the seal columns of the (re-read) metadata row.
  return await dialect.transaction(async (db) => {
    const tx = new SqlTx(db, keys, dialect);
    await tx.audit({
      namespace: ROOT_NAMESPACE,
      operation: 'store.rewrap',
      target: 'store',
      outcome: 'ok',
      details: { from, to: seal.type },
    });
    await tx.writeAudits(context);
    const meta = await db
      .selectFrom('store_meta')
      .selectAll()
      .where('id', '=', 1)
      .executeTakeFirstOrThrow();
    checkMeta(keys, meta);
    const row = sealMeta(keys, {
      ...meta,
      seal_type: seal.type,
      seal_description: seal.description,
      wrapped_key: wrapped,
      updated_at: new Date().toISOString(),
    });
    await db.updateTable('store_meta').set(row).where('id', '=', 1).execute();
    return row;
  });
}
