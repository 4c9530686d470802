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

export interface KeyRecord {
  readonly id: string;
  readonly creationDate: number;
  description: string;
  readonly keySpec: string;
  readonly keyUsage: KeyUsage;
  readonly origin: Origin;
  /** What the owner asked for (Enable/DisableKey); the visible KeyState also depends on material. */
  enabled: boolean;
  deletionDate?: number;
  /** Raw bytes (symmetric/HMAC) or canonical PKCS#8 DER (asymmetric); absent = PendingImport. */
  material?: Buffer;
  /**
   * Fingerprint of the first imported material. AWS only ever accepts the same material again
   * for a key, even after DeleteImportedKeyMaterial or expiry, so this outlives `material`.
   */
  materialId?: string;
  expirationModel?: ExpirationModel;
  validTo?: number;
  readonly tags: Map<string, string>;
}

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
  readonly persist?: (store: KmsStore) => void;
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
    if (key.material === undefined) return 'PendingImport';
    return key.enabled ? 'Enabled' : 'Disabled';
  }

  /**
   * Applies the transitions that happen by themselves as (emulated) time passes: keys whose
   * waiting period ended are deleted with their aliases and tokens, and imported material whose
   * ValidTo passed is dropped (the key goes back to PendingImport, as in AWS).
   */
  sweep(): void {
    const now = this.now();
    let changed = false;
    for (const key of this.keys.values()) {
      if (key.deletionDate !== undefined && key.deletionDate <= now) {
        this.deleteKeyNow(key.id);
        changed = true;
      } else if (key.material !== undefined && key.validTo !== undefined && key.validTo <= now) {
        key.material = undefined;
        key.validTo = undefined;
        key.expirationModel = undefined;
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
      // Another region or account: it cannot exist in this single-account emulator.
      throw kmsError('NotFoundException', `Key '${input}' does not exist`);
    } else {
      id = input;
    }
    const key = UUID.test(id) ? this.keys.get(id) : undefined;
    if (key === undefined) {
      const shown = UUID.test(id) ? this.keyArn(id) : input;
      throw kmsError('NotFoundException', `Key '${shown}' does not exist`);
    }
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

/** Generic state checks shared by every operation that uses key material. */
export function requireUsable(
  store: KmsStore,
  key: KeyRecord,
  usage: KeyUsage,
  operation: string,
): Buffer {
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
  if (key.material === undefined)
    throw kmsError('KMSInvalidStateException', `${arn} is pending import.`);
  return key.material;
}

/** Mutations (tags, aliases, enable/disable) are refused while a key waits for deletion. */
export function requireNotPendingDeletion(store: KmsStore, key: KeyRecord): void {
  if (key.deletionDate !== undefined)
    throw kmsError('KMSInvalidStateException', `${store.keyArn(key.id)} is pending deletion.`);
}
