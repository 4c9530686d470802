/**
 * Audit entries and their hash chain. Each entry carries the SHA-256 of the previous entry, so
 * editing, deleting or reordering entries breaks the chain at that point; the chain head (last
 * sequence number + hash) is kept MAC'd in the store's metadata, so truncating the tail is
 * caught as well. Secret inputs never appear: callers pass them as `secrets` and the store logs
 * HMACs under its audit key (Vault's audit devices do the same,
 * https://developer.hashicorp.com/vault/docs/audit#sensitive-information).
 *
 * @module
 */
import { hash } from 'node:crypto';
import type { JsonValue } from '../store/contract';

export type AuditOutcome = 'ok' | 'error';

/** What an operation reports. */
export interface AuditInput {
  readonly namespace: string;
  /** e.g. `managed-key.create`, `sign`, `store.rewrap`. */
  readonly operation: string;
  /** e.g. `managed_key/hsm-key1`, `signing_key/release-signer`. */
  readonly target: string;
  readonly outcome: AuditOutcome;
  readonly errorCode?: string;
  /** Non-secret details (parameters, versions). */
  readonly details?: { readonly [key: string]: JsonValue };
  /** Secret inputs: logged as `hmac-sha256:<hex>` under the store's audit key. */
  readonly secrets?: Readonly<Record<string, Uint8Array | string>>;
  /** @default the store's actor */
  readonly actor?: string;
}

/** A stored entry. */
export interface AuditEntry {
  readonly seq: number;
  readonly time: string;
  readonly namespace: string;
  readonly actor: string;
  readonly operation: string;
  readonly target: string;
  readonly outcome: AuditOutcome;
  readonly errorCode: string | null;
  readonly details: { readonly [key: string]: JsonValue };
  /** SHA-256 (hex) of the previous entry; 64 zeros for the first. */
  readonly prevHash: string;
  /** SHA-256 (hex) of this entry. */
  readonly hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);

/** Byte secrets up to this size are copied for the committer; larger ones are HMAC'd at once. */
const COPY_SECRET_MAX = 64 * 1024;

/**
 * The entry with its byte secrets detached from the caller's buffers, for a committer that runs
 * later (group commit): small ones copied (cheaper on the caller's thread than the HMAC, which
 * the committer then makes), large ones HMAC'd now into `details` — the detail the committer
 * would write — so a queued entry never holds a large copy.
 */
export function detachSecrets(entry: AuditInput, hmac: (value: Uint8Array) => string): AuditInput {
  const secrets: Record<string, Uint8Array | string> = {};
  let details = entry.details;
  for (const [name, value] of Object.entries(entry.secrets ?? {})) {
    if (typeof value === 'string') secrets[name] = value;
    else if (value.byteLength <= COPY_SECRET_MAX) secrets[name] = new Uint8Array(value);
    else details = { ...details, [name]: hmac(value) };
  }
  return details === undefined ? { ...entry, secrets } : { ...entry, details, secrets };
}

/** The hash of an entry: SHA-256 over a canonical JSON array of every field but `hash`. */
export function entryHash(entry: Omit<AuditEntry, 'hash'>): string {
  return chainHash(entry, canonicalJson(entry.details));
}

/**
 * {@link entryHash} with the details already in canonical JSON (the writer stores that same
 * text). The input is, byte for byte, `JSON.stringify([seq, time, namespace, actor, operation,
 * target, outcome, errorCode, <sorted copy of details>, prevHash])` — the form every stored chain
 * was hashed with — built without the intermediate copy.
 */
export function chainHash(entry: Omit<AuditEntry, 'hash' | 'details'>, details: string): string {
  const head = JSON.stringify([
    entry.seq,
    entry.time,
    entry.namespace,
    entry.actor,
    entry.operation,
    entry.target,
    entry.outcome,
    entry.errorCode,
  ]);
  // A stored hash is hex, which JSON leaves as it is; anything else (an edited row) is encoded.
  const prev = HEX_HASH.test(entry.prevHash)
    ? `"${entry.prevHash}"`
    : JSON.stringify(entry.prevHash);
  // One-shot hash (Node ≥ 20.12): no Hash object per entry.
  return hash('sha256', `${head.slice(0, -1)},${details},${prev}]`, 'hex');
}

const HEX_HASH = /^[0-9a-f]{64}$/;

/** Array-index keys (ECMA-262 §6.1.7: canonical numeric strings below 2^32 − 1). */
const INDEX_KEY = /^(?:0|[1-9][0-9]{0,9})$/;
const isIndexKey = (k: string): boolean => INDEX_KEY.test(k) && Number(k) < 4294967295;
/** A value JSON.stringify writes the same inside a property list as on its own (undefined is not). */
const isScalar = (v: JsonValue | undefined): boolean =>
  v === null || (v !== undefined && typeof v !== 'object');

/**
 * Details as canonical JSON: object keys sorted, recursively, so the same details always hash
 * the same. The text is what stored chains were hashed with — `JSON.stringify` of a copy built
 * from the sorted entries — and such an object enumerates its array-index keys first, in numeric
 * order (ECMA-262 §10.1.11.1 OrdinaryOwnPropertyKeys), so they come first here too.
 */
export function canonicalJson(value: JsonValue | undefined): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) {
    // Array.from visits holes too (as undefined → null, like JSON.stringify).
    return `[${Array.from(value as readonly (JsonValue | undefined)[], (v) => canonicalJson(v)).join(',')}]`;
  }
  const obj = value as { readonly [key: string]: JsonValue };
  const keys = Object.keys(obj).sort();
  const indexKeys = keys.filter(isIndexKey);
  const ordered =
    indexKeys.length === 0
      ? keys
      : [...indexKeys.sort((a, b) => Number(a) - Number(b)), ...keys.filter((k) => !isIndexKey(k))];
  // Flat details (the usual case): one JSON.stringify, its property list giving the order.
  if (ordered.every((k) => isScalar(obj[k]))) return JSON.stringify(obj, ordered);
  return `{${ordered.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

export type AuditVerification =
  | { readonly ok: true; readonly entries: number; readonly head: string }
  | {
      readonly ok: false;
      readonly entries: number;
      /** Sequence number of the first entry that does not verify. */
      readonly brokenAt: number;
      readonly reason: string;
    };

/**
 * Checks entries (in stored order) against each other and against the MAC'd head. Returns the
 * first break: a gap in sequence numbers (deleted entry), a wrong `prevHash` (reordered or
 * deleted), a wrong `hash` (edited), or a head that does not match (truncated tail).
 */
export function verifyChain(
  entries: readonly AuditEntry[],
  head: { readonly seq: number; readonly hash: string },
): AuditVerification {
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  for (const e of entries) {
    const broken = (reason: string): AuditVerification => ({
      ok: false,
      entries: entries.length,
      brokenAt: e.seq,
      reason,
    });
    if (e.seq !== expectedSeq) {
      return broken(`entry ${String(expectedSeq)} is missing (next entry is ${String(e.seq)})`);
    }
    if (e.prevHash !== prev)
      return broken(`entry ${String(e.seq)} does not follow the entry before it`);
    if (entryHash(e) !== e.hash) return broken(`entry ${String(e.seq)} was modified`);
    prev = e.hash;
    expectedSeq += 1;
  }
  if (head.seq !== expectedSeq - 1 || head.hash !== prev) {
    return {
      ok: false,
      entries: entries.length,
      brokenAt: expectedSeq,
      reason: `the chain ends at entry ${String(expectedSeq - 1)} but the store recorded ${String(head.seq)} entries (entries were removed from the end)`,
    };
  }
  return { ok: true, entries: entries.length, head: prev };
}
