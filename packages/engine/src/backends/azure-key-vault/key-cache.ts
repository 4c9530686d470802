/**
 * Key metadata for the operation path (sign, verify, encrypt, decrypt, wrap, unwrap), so the
 * steady state sends one request — the operation — instead of a key bundle read + operation.
 *
 * - (name, version) → key type, kid, key_ops: cached until evicted. A version's key material
 *   never changes; only its attributes (enabled, nbf, exp, tags) do, and those are not served
 *   from here: a disabled version is refused by the service at the operation (403 KeyDisabled →
 *   ERR_KEY_STATE), and lifecycle reads (findKey, getKey, listVersions) stay live.
 * - name → latest version (refs without a version): cached for a short time, since a new
 *   version (imported or created here or elsewhere) changes the answer.
 *
 * Entries — and the version's CryptographyClient, which holds its own copy of the bundle and
 * checks nbf / exp / key_ops from it — are dropped when an operation reports the key missing,
 * in the wrong state or refusing the operation, and when this backend changes the key.
 *
 * @module
 */
import type { CryptographyClient, KeyVaultKey } from '@azure/keyvault-keys';
import type { KeyType } from '../../algorithms/key-types';
import { KeyStateError, NotFoundError, UnsupportedOperationError } from '../../errors';
import { METADATA_CACHE_ENTRIES, NAME_RESOLUTION_TTL_MS, TtlCache } from '../common/ttl-cache';
import type { KeyRef } from '../contract';
import { keyTypeOf, versionOf } from './keys';

/** What an operation needs to know about one key version. */
export interface OperationKey {
  readonly version: string;
  /** The versioned key identifier (URL). */
  readonly kid: string;
  readonly type: KeyType;
  readonly keyOps: readonly string[];
}

/**
 * What the operation files (signing.ts, ciphers.ts) need from the backend: the operation path's
 * cached view of a key, and one CryptographyClient request on the version it resolved to.
 */
export interface OperationContext {
  operationKey(ref: KeyRef): Promise<OperationKey>;
  cryptoCall<T>(
    ref: KeyRef,
    key: OperationKey,
    operation: string,
    request: (crypto: CryptographyClient) => Promise<T>,
  ): Promise<T>;
}

/** Distinct key versions one process uses; beyond it the least recently used is read again. */

/** Azure key names are case-insensitive: `My-Key` and `my-key` are one key. */
const nameKey = (name: string): string => name.toLowerCase();
const versionKey = (name: string, version: string): string =>
  `${nameKey(name)}/${version.toLowerCase()}`;

export function operationKeyOf(key: KeyVaultKey): OperationKey {
  return {
    version: versionOf(key),
    kid: key.id ?? '',
    type: keyTypeOf(key),
    keyOps: [...(key.keyOperations ?? key.key?.keyOps ?? [])],
  };
}

export class AzureKeyCache {
  private readonly versions = new TtlCache<string, OperationKey>({
    maxEntries: METADATA_CACHE_ENTRIES,
  });
  private readonly latest = new TtlCache<string, string>({
    maxEntries: METADATA_CACHE_ENTRIES,
    ttlMs: NAME_RESOLUTION_TTL_MS,
  });

  /**
   * The operation key for `ref`; `read` fetches a bundle (the version given, or the latest)
   * when the cache has no answer. Concurrent misses share one read.
   */
  async resolve(ref: KeyRef, read: (ref: KeyRef) => Promise<KeyVaultKey>): Promise<OperationKey> {
    const { name } = ref;
    const version =
      ref.version ??
      (await this.latest.getOrLoad(nameKey(name), async () => {
        const key = operationKeyOf(await read({ name }));
        // The latest bundle is also that version's: one read answers both questions.
        this.versions.set(versionKey(name, key.version), key);
        return key.version;
      }));
    return await this.versions.getOrLoad(versionKey(name, version), async () =>
      operationKeyOf(await read({ name, version })),
    );
  }

  /** Forgets one version and the name's latest-version answer. */
  forgetVersion(name: string, version: string): void {
    this.versions.delete(versionKey(name, version));
    this.latest.delete(nameKey(name));
  }

  /** Forgets the name's latest-version answer (a version was added). */
  forgetLatest(name: string): void {
    this.latest.delete(nameKey(name));
  }

  clear(): void {
    this.versions.clear();
    this.latest.clear();
  }
}

/** Operation failures after which the cached view of the version may be wrong. */
export const isStale = (error: unknown): boolean =>
  error instanceof NotFoundError ||
  error instanceof KeyStateError ||
  error instanceof UnsupportedOperationError;
