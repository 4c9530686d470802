/**
 * `keyplane store status`: schema version, seal, record counts per namespace and kind, and the
 * number of audit entries — never a secret. Readable without the seal (the metadata MAC is
 * checked when the store is unsealed).
 *
 * @module
 */
import type { SealType } from '../seal/contract';
import type { StoreKeys } from '../seal/data-key';
import type { RecordKind, StoreStatus } from './contract';
import type { StoreDialect } from './dialect';
import { checkMeta } from './records';
import { RECORD_TABLES, SCHEMA_VERSION } from './schema';

export async function storeStatus(
  dialect: StoreDialect,
  keys: StoreKeys | undefined,
): Promise<StoreStatus> {
  const meta = await dialect.db
    .selectFrom('store_meta')
    .selectAll()
    .where('id', '=', 1)
    .executeTakeFirstOrThrow();
  if (keys !== undefined) checkMeta(keys, meta);
  const counts: Record<string, Partial<Record<RecordKind, number>>> = {};
  for (const [kind, table] of Object.entries(RECORD_TABLES) as [
    RecordKind,
    (typeof RECORD_TABLES)[RecordKind],
  ][]) {
    const rows = await dialect.db
      .selectFrom(table)
      .select((eb) => ['namespace', eb.fn.countAll<number>().as('n')])
      .groupBy('namespace')
      .execute();
    for (const row of rows) (counts[row.namespace] ??= {})[kind] = row.n;
  }
  return {
    url: dialect.url,
    schemaVersion: SCHEMA_VERSION,
    storeId: meta.store_id,
    sealType: meta.seal_type as SealType,
    sealDescription: meta.seal_description,
    createdAt: meta.created_at,
    counts,
    auditEntries: meta.audit_seq,
  };
}
