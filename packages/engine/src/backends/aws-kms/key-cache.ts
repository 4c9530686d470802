/**
 * Key metadata for the operation path (Sign, Verify, Encrypt, Decrypt, GenerateMac, VerifyMac),
 * so the steady state sends one request — the operation — instead of DescribeKey + operation.
 *
 * - Key id / ARN → described key: cached until evicted. The fields the operation path reads
 *   (KeySpec, KeyUsage, SigningAlgorithms, EncryptionAlgorithms) never change for a KMS key.
 *   KeyState does change, and is therefore never read from here: a disabled key fails at the
 *   operation itself (DisabledException → ERR_KEY_STATE), and lifecycle reads (findKey, getKey,
 *   listVersions) stay live.
 * - Alias → key id: cached for a short time, since UpdateAlias (here or in another process)
 *   moves an alias; this backend's own alias changes invalidate at once.
 *
 * Entries are dropped when an operation reports the key missing, in the wrong state or of the
 * wrong usage, and when this backend itself changes the key or the alias.
 *
 * @module
 */
import { METADATA_CACHE_ENTRIES, NAME_RESOLUTION_TTL_MS, TtlCache } from '../common/ttl-cache';
import type { ResolvedKey } from './keys';

/** Distinct keys one process signs with; beyond it the least recently used is described again. */

export class AwsKeyCache {
  /** Key id or ARN (as the caller addressed it) → described key. */
  readonly keys = new TtlCache<string, ResolvedKey>({ maxEntries: METADATA_CACHE_ENTRIES });
  /** Alias name or alias ARN → key id. */
  readonly aliases = new TtlCache<string, string>({
    maxEntries: METADATA_CACHE_ENTRIES,
    ttlMs: NAME_RESOLUTION_TTL_MS,
  });

  /** Forgets one key (every name it was cached under) and the aliases pointing at it. */
  forgetKey(keyId: string): void {
    this.keys.deleteWhere((id, key) => id === keyId || key.keyId === keyId || key.arn === keyId);
    this.aliases.deleteWhere((_alias, target) => target === keyId);
  }

  /** Forgets an alias, whether cached by name (`alias/x`) or by alias ARN (`…:alias/x`). */
  forgetAlias(name: string): void {
    const short = name.slice(Math.max(0, name.indexOf('alias/')));
    this.aliases.deleteWhere(
      (alias) => alias === name || alias === short || alias.endsWith(`:${short}`),
    );
  }

  clear(): void {
    this.keys.clear();
    this.aliases.clear();
  }
}
