/**
 * Wraps a state-changing operation so it is audited either way: on success the operation writes
 * the `ok` entry it is handed inside its own transaction (so the entry exists exactly when the
 * change does); on failure an `error` entry with the stable error code is appended afterwards
 * (best effort: a store that cannot be written cannot record that either).
 *
 * @module
 */
import { isKeyplaneError } from '../errors';
import type { KeyStore } from '../store/contract';
import type { AuditInput } from './entry';

export type AuditBase = Omit<AuditInput, 'outcome' | 'errorCode'>;

export async function audited<T>(
  store: KeyStore,
  entry: AuditBase,
  body: (ok: AuditInput) => Promise<T>,
): Promise<T> {
  try {
    return await body({ ...entry, outcome: 'ok' });
  } catch (e) {
    await store
      .appendAudit({ ...entry, outcome: 'error', errorCode: errorCodeOf(e) })
      .catch(() => undefined);
    throw e;
  }
}

export function errorCodeOf(e: unknown): string {
  return isKeyplaneError(e) ? e.code : 'ERR_INTERNAL';
}
