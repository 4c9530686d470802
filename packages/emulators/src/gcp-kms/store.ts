/**
 * The emulator's state: key rings, crypto keys, versions and import jobs, keyed by full
 * resource name. Records are plain JSON (times in epoch ms, material as base64) so the optional
 * state file is just `JSON.stringify` of the maps, written atomically with mode 0600 because it
 * holds private keys.
 *
 * Time-driven transitions (PENDING_IMPORT → ENABLED / IMPORT_FAILED, DESTROY_SCHEDULED →
 * DESTROYED, ACTIVE → EXPIRED) are applied lazily when a record is read, against the injectable
 * clock, so tests can move time forward.
 *
 * @module
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Purpose } from './algorithms';
import { alreadyExists, notFound } from './errors';
import { parseCryptoKey, parseImportJob, parseKeyRing, parseVersion } from './names';

export type ProtectionLevel = 'SOFTWARE' | 'HSM';

export type VersionState =
  | 'ENABLED'
  | 'DISABLED'
  | 'DESTROYED'
  | 'DESTROY_SCHEDULED'
  | 'PENDING_GENERATION'
  | 'PENDING_IMPORT'
  | 'IMPORT_FAILED';

export interface KeyRingRecord {
  name: string;
  createTime: number;
}

export interface CryptoKeyRecord {
  name: string;
  purpose: Purpose;
  createTime: number;
  labels: Record<string, string>;
  importOnly: boolean;
  /** version_template */
  algorithm: string;
  protectionLevel: ProtectionLevel;
  primaryId?: string | undefined;
  nextVersionId: number;
  destroyScheduledSeconds: number;
}

export interface VersionRecord {
  name: string;
  state: VersionState;
  algorithm: string;
  protectionLevel: ProtectionLevel;
  createTime: number;
  generateTime?: number;
  destroyTime?: number;
  destroyEventTime?: number;
  importJob?: string;
  importTime?: number;
  importFailureReason?: string;
  /**
   * A PENDING_IMPORT version settles at this time (epoch ms): to ENABLED with `material`, or to
   * IMPORT_FAILED with `pendingFailure` as the reason.
   */
  settleTime?: number;
  pendingFailure?: string;
  /** base64: raw secret or PKCS#8 DER; absent once destroyed (and while an import fails). */
  material?: string;
  /** SHA-256 of the material, kept after destruction for identical-material re-import. */
  fingerprint?: string;
  imported: boolean;
}

export interface ImportJobRecord {
  name: string;
  importMethod: string;
  protectionLevel: ProtectionLevel;
  createTime: number;
  expireTime: number;
  privateKeyPem: string;
  publicKeyPem: string;
}

const STATE_FORMAT = 'keyplane-gcp-kms-emulator/1';

interface StateFile {
  readonly format: string;
  readonly keyRings: KeyRingRecord[];
  readonly cryptoKeys: CryptoKeyRecord[];
  readonly versions: VersionRecord[];
  readonly importJobs: ImportJobRecord[];
}

const childrenOf = <T extends { name: string }>(
  map: Map<string, T>,
  parent: string,
  collection: string,
): T[] => {
  const prefix = `${parent}/${collection}/`;
  return [...map.values()].filter(
    (r) => r.name.startsWith(prefix) && !r.name.slice(prefix.length).includes('/'),
  );
};

export class Store {
  readonly keyRings = new Map<string, KeyRingRecord>();
  readonly cryptoKeys = new Map<string, CryptoKeyRecord>();
  readonly versions = new Map<string, VersionRecord>();
  readonly importJobs = new Map<string, ImportJobRecord>();
  private dirty = false;

  constructor(
    readonly now: () => number,
    private readonly stateFile?: string,
  ) {
    if (stateFile !== undefined && existsSync(stateFile)) this.load(stateFile);
  }

  keyRing(name: string): KeyRingRecord {
    parseKeyRing(name);
    const record = this.keyRings.get(name);
    if (record === undefined) throw notFound(`KeyRing ${name}`);
    return record;
  }

  /** The key ring `name`, created now unless it exists (a dev stack's walkthrough ring). */
  ensureKeyRing(name: string): KeyRingRecord {
    parseKeyRing(name);
    return this.keyRings.get(name) ?? this.add(this.keyRings, { name, createTime: this.now() });
  }

  cryptoKey(name: string): CryptoKeyRecord {
    parseCryptoKey(name);
    const record = this.cryptoKeys.get(name);
    if (record === undefined) throw notFound(`CryptoKey ${name}`);
    return record;
  }

  version(name: string): VersionRecord {
    parseVersion(name);
    const record = this.versions.get(name);
    if (record === undefined) throw notFound(`CryptoKeyVersion ${name}`);
    return this.refresh(record);
  }

  importJob(name: string): ImportJobRecord {
    parseImportJob(name);
    const record = this.importJobs.get(name);
    if (record === undefined) throw notFound(`ImportJob ${name}`);
    return record;
  }

  importJobState(job: ImportJobRecord): 'ACTIVE' | 'EXPIRED' {
    return this.now() >= job.expireTime ? 'EXPIRED' : 'ACTIVE';
  }

  listKeyRings(location: string): KeyRingRecord[] {
    return childrenOf(this.keyRings, location, 'keyRings');
  }

  listCryptoKeys(keyRing: string): CryptoKeyRecord[] {
    return childrenOf(this.cryptoKeys, keyRing, 'cryptoKeys');
  }

  listVersions(cryptoKey: string): VersionRecord[] {
    return childrenOf(this.versions, cryptoKey, 'cryptoKeyVersions').map((v) => this.refresh(v));
  }

  listImportJobs(keyRing: string): ImportJobRecord[] {
    return childrenOf(this.importJobs, keyRing, 'importJobs');
  }

  /** Inserts a new record; ALREADY_EXISTS when the name is taken. */
  add<T extends { name: string }>(map: Map<string, T>, record: T): T {
    if (map.has(record.name)) throw alreadyExists(record.name);
    map.set(record.name, record);
    this.touch();
    return record;
  }

  /** Marks the state as changed, so the next `flush` writes the state file. */
  touch(): void {
    this.dirty = true;
  }

  /** Writes the state file if anything changed (atomic: temp file + rename, mode 0600). */
  flush(): void {
    if (!this.dirty || this.stateFile === undefined) return;
    this.dirty = false;
    const state: StateFile = {
      format: STATE_FORMAT,
      keyRings: [...this.keyRings.values()],
      cryptoKeys: [...this.cryptoKeys.values()],
      versions: [...this.versions.values()],
      importJobs: [...this.importJobs.values()],
    };
    mkdirSync(dirname(this.stateFile), { recursive: true, mode: 0o700 });
    const temp = `${this.stateFile}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(state), { mode: 0o600 });
    renameSync(temp, this.stateFile);
  }

  private load(file: string): void {
    let state: StateFile;
    try {
      state = JSON.parse(readFileSync(file, 'utf8')) as StateFile;
    } catch (e) {
      throw new Error(`GCP KMS emulator state file ${file} is not valid JSON: ${String(e)}`);
    }
    if (state.format !== STATE_FORMAT)
      throw new Error(`GCP KMS emulator state file ${file} has an unknown format`);
    for (const r of state.keyRings) this.keyRings.set(r.name, r);
    for (const r of state.cryptoKeys) this.cryptoKeys.set(r.name, r);
    for (const r of state.versions) this.versions.set(r.name, r);
    for (const r of state.importJobs) this.importJobs.set(r.name, r);
  }

  /**
   * Applies the transitions whose time has come: an import settles (the service imports
   * asynchronously: https://cloud.google.com/kms/docs/troubleshooting-failed-imports), a
   * scheduled destruction happens (the material is then gone, and `destroy_time` is replaced
   * by `destroy_event_time`).
   */
  private refresh(v: VersionRecord): VersionRecord {
    const now = this.now();
    if (v.state === 'PENDING_IMPORT' && v.settleTime !== undefined && now >= v.settleTime) {
      if (v.pendingFailure === undefined) {
        v.state = 'ENABLED';
        v.generateTime = v.settleTime;
        v.importTime = v.settleTime;
      } else {
        v.state = 'IMPORT_FAILED';
        v.importFailureReason = v.pendingFailure;
        delete v.material;
      }
      delete v.settleTime;
      delete v.pendingFailure;
      this.touch();
    }
    if (v.state === 'DESTROY_SCHEDULED' && v.destroyTime !== undefined && now >= v.destroyTime) {
      v.state = 'DESTROYED';
      v.destroyEventTime = v.destroyTime;
      delete v.destroyTime;
      delete v.material;
      this.touch();
    }
    return v;
  }
}
