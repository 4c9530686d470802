/**
 * First use with `allow_generate_key`: find the backend key, else generate it — serialized
 * across processes by a store lease, so eight `test-sign`s racing on a new managed key create
 * one key and the other seven adopt it. The lease is per backend key (type + the parameters
 * that locate it), not per entry: two entries naming the same label share it. A generate that
 * still loses a race outside the store (another Keyplane store, a person) ends in
 * AlreadyExistsError from the backend, which has already removed what it created itself
 * (AWS schedules the unaliased key for deletion); the key that won is adopted.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import type { BackendKey, KmsBackend } from '../backends/contract';
import { isKeyplaneError } from '../errors';
import type { KeyStore } from '../store/contract';
import type { Binding } from './backend-binding';
import { KEY_IDENTIFYING_PARAMETERS } from './key-identity';
import type { ManagedKeyRecord } from './records';

/** Longest wait for another process's generation (RSA-4096 in a slow HSM takes seconds). */
const GENERATION_WAIT_MS = 120_000;

/** The lease resource for the backend key the record designates (hashed: names stay private). */
export function generationLease(record: ManagedKeyRecord): string {
  const where = KEY_IDENTIFYING_PARAMETERS[record.type].map((p) => [p, record.params[p] ?? '']);
  const digest = createHash('sha256')
    .update(JSON.stringify([record.type, where]))
    .digest('hex');
  return `managed-key-generate/${digest.slice(0, 32)}`;
}

export interface FoundOrGenerated {
  readonly key: BackendKey;
  readonly generated: boolean;
}

/** The key found under the lease (someone generated it meanwhile), else a newly generated one. */
export async function findOrGenerate(
  store: KeyStore,
  record: ManagedKeyRecord,
  backend: KmsBackend,
  binding: Binding,
): Promise<FoundOrGenerated> {
  const spec = binding.spec();
  return await store.withLease(
    generationLease(record),
    async () => {
      const existing = await backend.findKey(binding.ref);
      if (existing !== undefined) return { key: existing, generated: false };
      try {
        return { key: await backend.generateKey(binding.ref, spec), generated: true };
      } catch (error) {
        if (!isKeyplaneError(error) || error.code !== 'ERR_ALREADY_EXISTS') throw error;
        const winner = await backend.findKey(binding.ref);
        if (winner === undefined) throw error;
        return { key: winner, generated: false };
      }
    },
    { waitMs: GENERATION_WAIT_MS },
  );
}
