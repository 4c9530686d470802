/**
 * Pinned versions of managed keys (a signing key's `v<N>`) resolved to their backend keys, once
 * per record revision: looked up and pin-checked the first time, then served from memory
 * (ManagedKeys.resolveRecord says why that stays correct). Two indexes over the same results:
 * by `uuid@revision` for any record object of that revision (in-flight lookups shared, failed
 * ones forgotten), and by the record object itself for {@link PinnedResolutions.now}, which the
 * operation path asks first because it needs no string built and no promise awaited.
 *
 * @module
 */
import { checkPin, type KeyIdentityPin } from './key-identity';
import type { ResolvedManagedKey } from './managed-keys';
import type { ManagedKeyRecord } from './records';

/** One settled resolution of a record object. */
interface Settled {
  readonly version: string;
  /** The pin it was checked against; undefined: resolved without one. */
  readonly pin: KeyIdentityPin | undefined;
  readonly resolved: ResolvedManagedKey;
}

const samePin = (a: KeyIdentityPin | undefined, b: KeyIdentityPin | undefined): boolean =>
  a === b ||
  (a !== undefined &&
    b !== undefined &&
    a.backend_key_id === b.backend_key_id &&
    a.public_key_sha256 === b.public_key_sha256);

export class PinnedResolutions {
  private readonly byRevision = new Map<string, Promise<ResolvedManagedKey>>();
  /** Replaced (not cleared, a WeakMap cannot be) by clear(). */
  private byRecord = new WeakMap<ManagedKeyRecord, Settled[]>();

  /** The resolution of `version` for this revision; `lookup` runs only the first time. */
  async resolve(
    record: ManagedKeyRecord,
    version: string,
    pin: KeyIdentityPin | undefined,
    lookup: () => Promise<ResolvedManagedKey>,
  ): Promise<ResolvedManagedKey> {
    const id = `${record.uuid}@${String(record.revision)}#${version}#${pin?.backend_key_id ?? ''}`;
    const byRecord = this.byRecord;
    let pinned = this.byRevision.get(id);
    if (pinned === undefined) {
      pinned = lookup().then(async (resolved) => {
        if (pin !== undefined) await checkPin(resolved, version, pin);
        return resolved;
      });
      this.byRevision.set(id, pinned);
      pinned.catch(() => this.byRevision.delete(id));
    }
    const resolved = await pinned;
    // Remembered for this record object too: after the store re-read its records (any write
    // bumps the generation) the revision is known here but the object is new. Not when
    // clear() ran meanwhile: its backend is being closed.
    if (this.byRecord === byRecord) this.remember(record, version, pin, resolved);
    return resolved;
  }

  /** What resolve() settled for this very record object, version and pin; else undefined. */
  now(
    record: ManagedKeyRecord,
    version: string,
    pin: KeyIdentityPin | undefined,
  ): ResolvedManagedKey | undefined {
    const known = this.byRecord.get(record);
    if (known === undefined) return undefined;
    for (const entry of known) {
      if (entry.version === version && samePin(entry.pin, pin)) return entry.resolved;
    }
    return undefined;
  }

  clear(): void {
    this.byRevision.clear();
    this.byRecord = new WeakMap();
  }

  private remember(
    record: ManagedKeyRecord,
    version: string,
    pin: KeyIdentityPin | undefined,
    resolved: ResolvedManagedKey,
  ): void {
    if (this.now(record, version, pin) !== undefined) return;
    const known = this.byRecord.get(record);
    const entry = { version, pin, resolved };
    if (known === undefined) this.byRecord.set(record, [entry]);
    else known.push(entry);
  }
}
