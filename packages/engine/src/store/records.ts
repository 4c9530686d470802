/**
 * Rows ↔ records: sealing secret fields, the record MAC, and the integrity check on every read.
 * The MAC covers every column (and the kind, so a row copied into another table fails too);
 * secret fields are bound to namespace + kind + id + field by their AAD.
 *
 * @module
 */
import { DecryptionFailedError, IntegrityError, InvalidArgumentError } from '../errors';
import type { StoreKeys } from '../seal/data-key';
import type { Attributes, RecordKind, StoreRecord } from './contract';
import type { MetaRow, RecordRow } from './schema';

export const describeRecord = (kind: RecordKind, namespace: string, name: string): string =>
  `${kind} '${name}' in namespace '${namespace}'`;

function macParts(kind: RecordKind, row: Omit<RecordRow, 'mac'>): (string | number)[] {
  return [
    kind,
    row.id,
    row.namespace,
    row.name,
    row.parent_id,
    row.ref_id,
    row.revision,
    row.created_at,
    row.updated_at,
    row.attributes,
    row.secrets,
  ];
}

export function sealRow(keys: StoreKeys, kind: RecordKind, row: Omit<RecordRow, 'mac'>): RecordRow {
  return { ...row, mac: keys.mac(macParts(kind, row)) };
}

/** A row as read; IntegrityError naming the record when any column was altered. */
export function openRow<A extends Attributes>(
  keys: StoreKeys,
  kind: RecordKind,
  row: RecordRow,
): StoreRecord<A> {
  const what = describeRecord(kind, row.namespace, row.name);
  if (!keys.checkMac(macParts(kind, row), row.mac)) {
    throw new IntegrityError(
      `${what} (id ${row.id}) failed its integrity check: the stored record was modified`,
      {
        field: kind,
      },
    );
  }
  let attributes: A;
  let secrets: Record<string, string>;
  try {
    attributes = JSON.parse(row.attributes) as A;
    secrets = JSON.parse(row.secrets) as Record<string, string>;
  } catch (cause) {
    throw new IntegrityError(`${what} is not readable`, { field: kind, cause });
  }
  return {
    kind,
    id: row.id,
    namespace: row.namespace,
    name: row.name,
    parent: row.parent_id,
    ref: row.ref_id,
    revision: row.revision,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    attributes,
    secretFields: Object.keys(secrets).sort(),
    [SEALED]: secrets,
  } as StoreRecord<A>;
}

/** Sealed field values ride along on the record object, invisible to JSON and spreads of it. */
const SEALED = Symbol('sealed');

export function sealedFields(record: StoreRecord): Readonly<Record<string, string>> {
  return (record as unknown as { [SEALED]?: Record<string, string> })[SEALED] ?? {};
}

/** Seals `secrets` for the record identity given; keeps `existing` fields not named. */
export function sealSecrets(
  keys: StoreKeys,
  identity: { kind: RecordKind; namespace: string; id: string },
  existing: Readonly<Record<string, string>>,
  secrets: Readonly<Record<string, Uint8Array | null>> | undefined,
): string {
  const out = new Map(Object.entries(existing));
  for (const [field, value] of Object.entries(secrets ?? {})) {
    if (value === null) out.delete(field);
    else out.set(field, keys.encryptField({ ...identity, field }, value));
  }
  return JSON.stringify(Object.fromEntries([...out].sort(([a], [b]) => a.localeCompare(b))));
}

export function openSecret(keys: StoreKeys, record: StoreRecord, field: string): Buffer {
  const sealed = sealedFields(record)[field];
  if (sealed === undefined) {
    throw new InvalidArgumentError(
      `${describeRecord(record.kind, record.namespace, record.name)} has no secret '${field}'`,
      { field },
    );
  }
  try {
    return keys.decryptField(
      { namespace: record.namespace, kind: record.kind, id: record.id, field },
      sealed,
    );
  } catch (e) {
    if (!(e instanceof DecryptionFailedError)) throw e;
    throw new IntegrityError(
      `secret '${field}' of ${describeRecord(record.kind, record.namespace, record.name)} does not belong to it or was altered`,
      { field: record.kind },
    );
  }
}

const metaParts = (m: Omit<MetaRow, 'mac'>): (string | number)[] => [
  'store_meta',
  m.store_id,
  m.seal_type,
  m.seal_description,
  m.wrapped_key,
  m.audit_seq,
  m.audit_head,
  m.created_at,
];

/** The row with its MAC recomputed (a `mac` already on `meta` is replaced). */
export function sealMeta(keys: StoreKeys, meta: Omit<MetaRow, 'mac'>): MetaRow {
  return { ...meta, mac: keys.mac(metaParts(meta)) };
}

export function checkMeta(keys: StoreKeys, meta: MetaRow): void {
  if (!keys.checkMac(metaParts(meta), meta.mac)) {
    throw new IntegrityError('the store metadata failed its integrity check: it was modified', {
      field: 'store_meta',
    });
  }
}
