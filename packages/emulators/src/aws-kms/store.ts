/**
 * The emulator's in-memory account: keys, aliases and import tokens of one region, key
 * identifier resolution (id, key ARN, `alias/x`, alias ARN) and the time-driven transitions
 * (imported material expiring at ValidTo, keys deleted at DeletionDate). Persistence to the
 * optional state file lives in state-file.ts; the store only calls `persist()` after mutations.
 *
 * @module
 */
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { kmsError } from './errors';
import type { KeyUsage } from './key-specs';

export type KeyState = 'Enabled' | 'Disabled' | 'PendingDeletion' | 'PendingImport';
export type Origin = 'AWS_KMS' | 'EXTERNAL';
export type ExpirationModel = 'KEY_MATERIAL_EXPIRES' | 'KEY_MATERIAL_DOES_NOT_EXPIRE';
/** RotationsListEntry.KeyMaterialState (multi-Region states are out of scope). */
export type KeyMaterialState = 'CURRENT' | 'NON_CURRENT' | 'PENDING_ROTATION';

/**
 * One key material of a key (AWS API reference, RotationsListEntry). Symmetric keys collect
 * one per rotation — the CURRENT one encrypts, NON_CURRENT ones still decrypt what they
 * encrypted, and an imported PENDING_ROTATION one waits for RotateKeyOnDemand. Asymmetric and
 * HMAC keys have exactly one, forever.
 */
export interface MaterialRecord {
  /** KeyMaterialId: derived from the key id and the bytes, so it outlives them. */
  readonly id: string;
  /**
   * Raw bytes (symmetric/HMAC) or canonical PKCS#8 DER (asymmetric). Absent after
   * DeleteImportedKeyMaterial or expiry (ImportState PENDING_IMPORT): only the same bytes can
   * be imported again.
   */
  bytes?: Buffer | undefined;
  state: KeyMaterialState;
  description?: string | undefined;
  expirationModel?: ExpirationModel | undefined;
  validTo?: number | undefined;
  /** When it became CURRENT by a rotation (absent for the first material). */
  rotationDate?: number;
  rotationType?: 'ON_DEMAND';
}

export interface KeyRecord {
  readonly id: string;
  readonly creationDate: number;
  description: string;
  readonly keySpec: string;
  readonly keyUsage: KeyUsage;
  readonly origin: Origin;
  /** What the owner asked for (Enable/DisableKey); the visible KeyState also depends on material. */
  enabled: boolean;
  deletionDate?: number | undefined;
  /** In the order they were added; empty until an EXTERNAL key's first import. */
  readonly materials: MaterialRecord[];
  readonly tags: Map<string, string>;
}

/** The CURRENT material (undefined before an EXTERNAL key's first import). */
export const currentMaterial = (key: KeyRecord): MaterialRecord | undefined =>
  key.materials.find((m) => m.state === 'CURRENT');

/**
 * Whether all material AWS counts as "permanently associated" (every state but
 * PENDING_ROTATION) is present: deleting or expiring any of it makes the key PendingImport
 * (developer guide, "Delete imported key material").
 */
const hasAllMaterial = (key: KeyRecord): boolean =>
  key.materials.length > 0 &&
  key.materials.every((m) => m.state === 'PENDING_ROTATION' || m.bytes !== undefined);

export interface AliasRecord {
  readonly name: string;
  targetKeyId: string;
  readonly creationDate: number;
  lastUpdatedDate: number;
}

export interface ImportTokenRecord {
  readonly keyId: string;
  readonly wrappingAlgorithm: string;
  readonly wrappingKeySpec: string;
  /** PKCS#8 DER of the wrapping private key that belongs to this token. */
  readonly privateKeyDer: Buffer;
  readonly validTo: number;
}

export interface StoreOptions {
  readonly region: string;
  readonly accountId: string;
  readonly now: () => number;
  /** Called after every mutation (the state file saver); no-op when there is no state file. */
  readonly persist?: ((store: KmsStore) => void) | undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export class KmsStore {
  readonly keys = new Map<string, KeyRecord>();
  readonly aliases = new Map<string, AliasRecord>();
  /** Keyed by the base64 ImportToken the client sends back. */
  readonly tokens = new Map<string, ImportTokenRecord>();
  private readonly privateKeys = new WeakMap<Buffer, KeyObject>();

  constructor(private readonly options: StoreOptions) {}

  get region(): string {
    return this.options.region;
  }

  get accountId(): string {
    return this.options.accountId;
  }

  now(): number {
    return this.options.now();
  }

  private get arnPrefix(): string {
    return `arn:aws:kms:${this.options.region}:${this.options.accountId}:`;
  }

  keyArn(id: string): string {
    return `${this.arnPrefix}key/${id}`;
  }

  aliasArn(name: string): string {
    return `${this.arnPrefix}${name}`;
  }

  persist(): void {
    this.options.persist?.(this);
  }

  /** The KeyState AWS would report, derived so it can never disagree with the record. */
  stateOf(key: KeyRecord): KeyState {
    if (key.deletionDate !== undefined) return 'PendingDeletion';
    if (!hasAllMaterial(key)) return 'PendingImport';
    return key.enabled ? 'Enabled' : 'Disabled';
  }

  /**
   * Applies the transitions that happen by themselves as (emulated) time passes: keys whose
   * waiting period ended are deleted with their aliases and tokens, and imported material whose
   * ValidTo passed is deleted (the key goes back to PendingImport, as in AWS).
   */
  sweep(): void {
    const now = this.now();
    let changed = false;
    for (const key of this.keys.values()) {
      if (key.deletionDate !== undefined && key.deletionDate <= now) {
        this.deleteKeyNow(key.id);
        changed = true;
        continue;
      }
      for (const m of [...key.materials])
        if (m.bytes !== undefined && m.validTo !== undefined && m.validTo <= now) {
          deleteMaterial(key, m);
          changed = true;
        }
    }
    if (changed) this.persist();
  }

  private deleteKeyNow(id: string): void {
    this.keys.delete(id);
    for (const [name, alias] of this.aliases)
      if (alias.targetKeyId === id) this.aliases.delete(name);
    for (const [token, record] of this.tokens) if (record.keyId === id) this.tokens.delete(token);
  }

  /**
   * Resolves a KeyId member. `allowAlias: false` is for members AWS documents as "key ID or key
   * ARN" only (CreateAlias/UpdateAlias TargetKeyId).
   */
  resolveKey(input: string, allowAlias = true): KeyRecord {
    let id: string | undefined;
    if (input.startsWith('alias/') || input.startsWith(`${this.arnPrefix}alias/`)) {
      const name = input.startsWith('alias/') ? input : input.slice(this.arnPrefix.length);
      if (!allowAlias)
        throw kmsError('ValidationException', `${input} is an alias; specify a key ID or key ARN`);
      id = this.aliases.get(name)?.targetKeyId;
      if (id === undefined)
        throw kmsError('NotFoundException', `Alias ${this.aliasArn(name)} is not found.`);
    } else if (input.startsWith(`${this.arnPrefix}key/`)) {
      id = input.slice(`${this.arnPrefix}key/`.length);
    } else if (input.startsWith('arn:')) {
      if (!/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/.+$/.test(input))
        throw kmsError('InvalidArnException', `${input} is not a valid KMS ARN`);
      // Another region or account: AWS's recorded answer.
      throw kmsError('NotFoundException', `Invalid arn ${input}`);
    } else {
      id = input;
    }
    // Recorded from AWS: a key id that is not a UUID is "Invalid keyId", not a missing key.
    if (!UUID.test(id)) throw kmsError('NotFoundException', `Invalid keyId '${input}'`);
    const key = this.keys.get(id);
    if (key === undefined)
      throw kmsError('NotFoundException', `Key '${this.keyArn(id)}' does not exist`);
    return key;
  }

  /** Like resolveKey but never throws: quota grouping peeks at the key type before the call. */
  peekKey(input: string): KeyRecord | undefined {
    try {
      return this.resolveKey(input);
    } catch {
      return undefined;
    }
  }

  /** The parsed private key of an asymmetric key's material (cached per material buffer). */
  privateKey(material: Buffer): KeyObject {
    let key = this.privateKeys.get(material);
    if (key === undefined) {
      key = createPrivateKey({ key: material, format: 'der', type: 'pkcs8' });
      this.privateKeys.set(material, key);
    }
    return key;
  }
}

/**
 * Deletes imported material: a PENDING_ROTATION material is dropped altogether (it is "not
 * permanently associated with the KMS key"); any other keeps its id, so only the same bytes
 * can come back.
 */
export function deleteMaterial(key: KeyRecord, m: MaterialRecord): void {
  if (m.state === 'PENDING_ROTATION') {
    key.materials.splice(key.materials.indexOf(m), 1);
    return;
  }
  m.bytes = undefined;
  m.expirationModel = undefined;
  m.validTo = undefined;
}

/** A key's usable material for `operation`: its state and usage checked, the CURRENT bytes. */
export interface Usable {
  readonly material: MaterialRecord;
  readonly bytes: Buffer;
}

/** Generic state checks shared by every operation that uses key material. */
export function requireUsable(
  store: KmsStore,
  key: KeyRecord,
  usage: KeyUsage,
  operation: string,
): Usable {
  const arn = store.keyArn(key.id);
  const state = store.stateOf(key);
  if (state === 'PendingDeletion')
    throw kmsError('KMSInvalidStateException', `${arn} is pending deletion.`);
  if (state === 'PendingImport')
    throw kmsError('KMSInvalidStateException', `${arn} is pending import.`);
  if (state === 'Disabled') throw kmsError('DisabledException', `${arn} is disabled.`);
  if (key.keyUsage !== usage)
    throw kmsError(
      'InvalidKeyUsageException',
      `${arn} key usage is ${key.keyUsage} which is not valid for ${operation}.`,
    );
  const material = currentMaterial(key);
  if (material?.bytes === undefined)
    throw kmsError('KMSInvalidStateException', `${arn} is pending import.`);
  return { material, bytes: material.bytes };
}

/** Mutations (tags, aliases, enable/disable) are refused while a key waits for deletion. */
export function requireNotPendingDeletion(store: KmsStore, key: KeyRecord): void {
  if (key.deletionDate !== undefined)
    throw kmsError('KMSInvalidStateException', `${store.keyArn(key.id)} is pending deletion.`);
}
