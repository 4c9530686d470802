/**
 * The vault's contents: keys (each an ordered list of versions, the last being "latest"),
 * soft-deleted keys awaiting recovery or purge, and an optional JSON state file so a dev session
 * survives restarts. Key names are case-insensitive in Key Vault but keep the case they were
 * created with, hence the lower-cased map keys.
 *
 * Soft delete can be made eventually consistent like the service's (`consistencyDelayMs`): for a
 * moment after DELETE the key is gone from /keys but not yet under /deletedkeys, where a GET
 * answers 404 "Deleted Key not found" (and purge / recover find nothing).
 *
 * The state file holds private key material in the clear (it is a local emulator), so it is
 * written with mode 0600, and atomically (temp file + rename) so a crash never leaves half a file.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { loadMaterial, storeMaterial, type Kty, type Material, type StoredMaterial } from './jwk';

export interface KeyAttributes {
  readonly enabled: boolean;
  /** Epoch seconds. */
  readonly nbf?: number;
  readonly exp?: number;
  readonly created: number;
  readonly updated: number;
}

export interface KeyVersion {
  readonly version: string;
  readonly kty: Kty;
  readonly keyOps: readonly string[];
  readonly material: Material;
  readonly attributes: KeyAttributes;
  readonly tags?: Readonly<Record<string, string>>;
}

export interface KeyRecord {
  readonly name: string;
  readonly versions: KeyVersion[];
}

export interface DeletedRecord extends KeyRecord {
  readonly deletedDate: number;
  readonly scheduledPurgeDate: number;
  /**
   * Epoch ms from which the deleted key shows under /deletedkeys (soft delete is eventually
   * consistent in the service); until then it is neither live nor visibly deleted.
   */
  readonly visibleAt?: number;
}

interface StoredVersion extends Omit<KeyVersion, 'material'> {
  readonly material: StoredMaterial;
}

interface StateFile {
  readonly format: 'keyplane-azure-key-vault-state';
  readonly formatVersion: 1;
  readonly keys: { name: string; versions: StoredVersion[] }[];
  readonly deleted: {
    name: string;
    versions: StoredVersion[];
    deletedDate: number;
    scheduledPurgeDate: number;
  }[];
}

/** Key Vault versions are 32 lower-case hex characters. */
export const newVersionId = (): string => randomBytes(16).toString('hex');

const keyOf = (name: string): string => name.toLowerCase();

export interface KeyStoreOptions {
  readonly stateFile?: string;
  /** How long a soft-deleted key stays invisible under /deletedkeys (ms, default 0). */
  readonly consistencyDelayMs?: number;
  readonly now?: () => number;
}

export class KeyStore {
  private readonly live = new Map<string, KeyRecord>();
  private readonly deleted = new Map<string, DeletedRecord>();
  private readonly stateFile: string | undefined;
  private readonly consistencyDelayMs: number;
  private readonly now: () => number;

  constructor(options: KeyStoreOptions = {}) {
    this.stateFile = options.stateFile;
    this.consistencyDelayMs = options.consistencyDelayMs ?? 0;
    this.now = options.now ?? Date.now;
    if (this.stateFile !== undefined && existsSync(this.stateFile)) this.load(this.stateFile);
  }

  get(name: string): KeyRecord | undefined {
    return this.live.get(keyOf(name));
  }

  /** The soft-deleted key holding `name`, visible or not (it blocks the name either way). */
  getDeleted(name: string): DeletedRecord | undefined {
    return this.deleted.get(keyOf(name));
  }

  /** The soft-deleted key as /deletedkeys shows it: not yet during the consistency delay. */
  getVisibleDeleted(name: string): DeletedRecord | undefined {
    const d = this.deleted.get(keyOf(name));
    return d === undefined || this.isVisible(d) ? d : undefined;
  }

  private isVisible(d: DeletedRecord): boolean {
    return d.visibleAt === undefined || this.now() >= d.visibleAt;
  }

  /** Live keys ordered by name, so paging is stable. */
  list(): KeyRecord[] {
    return [...this.live.values()].sort((a, b) => keyOf(a.name).localeCompare(keyOf(b.name)));
  }

  listDeleted(): DeletedRecord[] {
    return [...this.deleted.values()]
      .filter((d) => this.isVisible(d))
      .sort((a, b) => keyOf(a.name).localeCompare(keyOf(b.name)));
  }

  /** Appends a version (creating the key on first use). Caller checks the deleted-name conflict. */
  addVersion(name: string, version: KeyVersion): KeyRecord {
    const existing = this.live.get(keyOf(name));
    const record = existing ?? { name, versions: [] };
    record.versions.push(version);
    this.live.set(keyOf(name), record);
    this.save();
    return record;
  }

  replaceVersion(record: KeyRecord, updated: KeyVersion): void {
    const i = record.versions.findIndex((v) => v.version === updated.version);
    if (i >= 0) record.versions[i] = updated;
    this.save();
  }

  softDelete(name: string, deletedDate: number, retentionDays: number): DeletedRecord | undefined {
    const record = this.live.get(keyOf(name));
    if (record === undefined) return undefined;
    const deleted: DeletedRecord = {
      ...record,
      deletedDate,
      scheduledPurgeDate: deletedDate + retentionDays * 86400,
      ...(this.consistencyDelayMs > 0 ? { visibleAt: this.now() + this.consistencyDelayMs } : {}),
    };
    this.live.delete(keyOf(name));
    this.deleted.set(keyOf(name), deleted);
    this.save();
    return deleted;
  }

  recover(name: string): KeyRecord | undefined {
    const deleted = this.getVisibleDeleted(name);
    if (deleted === undefined) return undefined;
    const record: KeyRecord = { name: deleted.name, versions: deleted.versions };
    this.deleted.delete(keyOf(name));
    this.live.set(keyOf(name), record);
    this.save();
    return record;
  }

  purge(name: string): boolean {
    const removed = this.getVisibleDeleted(name) !== undefined && this.deleted.delete(keyOf(name));
    if (removed) this.save();
    return removed;
  }

  /** Drops soft-deleted keys whose retention has passed, as the service's purge job would. */
  purgeExpired(nowSeconds: number): void {
    let changed = false;
    for (const [k, d] of this.deleted) {
      if (d.scheduledPurgeDate <= nowSeconds) changed = this.deleted.delete(k) || changed;
    }
    if (changed) this.save();
  }

  private save(): void {
    if (this.stateFile === undefined) return;
    const toStored = (v: KeyVersion): StoredVersion => ({
      ...v,
      material: storeMaterial(v.material),
    });
    const state: StateFile = {
      format: 'keyplane-azure-key-vault-state',
      formatVersion: 1,
      keys: [...this.live.values()].map((r) => ({
        name: r.name,
        versions: r.versions.map(toStored),
      })),
      // The consistency delay is not persisted: after a restart, deletions are settled.
      deleted: [...this.deleted.values()].map((d) => ({
        name: d.name,
        versions: d.versions.map(toStored),
        deletedDate: d.deletedDate,
        scheduledPurgeDate: d.scheduledPurgeDate,
      })),
    };
    // Synchronous on purpose: mutations are rare and small, and a synchronous write keeps the
    // file consistent with what the response just told the client.
    const tmp = `${this.stateFile}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    writeFileSync(tmp, JSON.stringify(state), { mode: 0o600 });
    renameSync(tmp, this.stateFile);
  }

  private load(file: string): void {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    if (parsed.format !== 'keyplane-azure-key-vault-state' || parsed.formatVersion !== 1)
      throw new Error(`${file} is not a Keyplane Azure Key Vault emulator state file`);
    const state = parsed as unknown as StateFile;
    const toVersion = (v: StoredVersion): KeyVersion => ({
      ...v,
      material: loadMaterial(v.material),
    });
    for (const r of state.keys)
      this.live.set(keyOf(r.name), { name: r.name, versions: r.versions.map(toVersion) });
    for (const d of state.deleted)
      this.deleted.set(keyOf(d.name), { ...d, versions: d.versions.map(toVersion) });
  }
}
