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
import { createHash } from 'node:crypto';
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

/** The hash of an entry: SHA-256 over a canonical JSON array of every field but `hash`. */
export function entryHash(entry: Omit<AuditEntry, 'hash'>): string {
  return createHash('sha256')
    .update(
      JSON.stringify([
        entry.seq,
        entry.time,
        entry.namespace,
        entry.actor,
        entry.operation,
        entry.target,
        entry.outcome,
        entry.errorCode,
        canonical(entry.details),
        entry.prevHash,
      ]),
    )
    .digest('hex');
}

/** Object keys sorted, recursively: the same details always hash the same. */
export function canonical(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return (value as readonly JsonValue[]).map(canonical);
  if (value !== null && typeof value === 'object') {
    const obj = value as { readonly [key: string]: JsonValue };
    return Object.fromEntries(
      Object.keys(obj)
        .sort()
        .map((k) => [k, canonical(obj[k] ?? null)]),
    );
  }
  return value;
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
