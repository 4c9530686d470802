/**
 * Resolved keys per token, so the steady-state operation is C_xxxInit + C_xxx and nothing else.
 * A lookup is 5–8 calls (C_FindObjects per class, attribute reads, the public-object search),
 * and SoftHSM's file object store makes each C_FindObjects re-check its object files: looking
 * the key up before every signature cost more than the signature itself.
 *
 * PKCS#11 only promises a handle stays valid for the session that used it, but SoftHSM (like
 * most modules) gives an object one handle for the whole application until it is destroyed, so
 * there is one cache per module and slot, shared by every backend of the process: one backend's
 * change is seen by all of them. A module that does renumber is caught by the handle errors.
 * Coherence:
 * - every read-write request of this process (generate, import, enable/disable, destroy)
 *   clears the slot's cache when it ends (SessionPool.withSession);
 * - only usable (enabled) keys are cached, so every refusal comes from a live lookup;
 * - a handle destroyed by someone else fails with CKR_OBJECT_HANDLE_INVALID /
 *   CKR_KEY_HANDLE_INVALID, a key disabled by someone else with CKR_KEY_FUNCTION_NOT_PERMITTED:
 *   the entry is dropped and the request runs once more on a fresh lookup (`isStaleKey`);
 * - lifecycle reads (findKey, getKey, listVersions) always look up live and refresh the entry.
 * What a cache cannot see: a newer version created by another process under an unversioned
 * ref keeps being served the cached (still valid) version until this process changes the key,
 * reads it through findKey/getKey, or the handle fails.
 *
 * @module
 */
import type { KeyRef } from '../contract';
import { enabled, type KeyInfo } from './objects';

/** Bound on entries; the oldest go first (Map iteration is insertion order). */
const MAX_ENTRIES = 1024;

const keyOf = (ref: KeyRef): string =>
  `${ref.name}\u0000${ref.id?.toLowerCase() ?? ''}\u0000${ref.version ?? ''}`;

export class KeyCache {
  private readonly entries = new Map<string, KeyInfo>();

  get size(): number {
    return this.entries.size;
  }

  get(ref: KeyRef): KeyInfo | undefined {
    return this.entries.get(keyOf(ref));
  }

  /** Records a live lookup's result: usable keys are kept, anything else forgotten. */
  set(ref: KeyRef, info: KeyInfo | undefined): void {
    const key = keyOf(ref);
    this.entries.delete(key);
    if (info === undefined || !enabled(info)) return;
    if (this.entries.size >= MAX_ENTRIES) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
    this.entries.set(key, info);
  }

  /** Forgets every ref that resolved to this object (its handle failed). */
  drop(info: KeyInfo): void {
    for (const [key, cached] of this.entries) {
      if (cached.handle.equals(info.handle)) this.entries.delete(key);
    }
  }

  clear(): void {
    this.entries.clear();
  }
}
