/**
 * Azure Key Vault / Managed HSM behind the KmsBackend contract, through `@azure/keyvault-keys`:
 * KeyClient for lifecycle, CryptographyClient (sharing its pipeline) for operations.
 *
 * Azure specifics the contract leaves to backends:
 * - Versions are native: a KeyRef's `version` is Azure's version string, `id` the versioned kid.
 * - `generateKey` checks the name first: Azure's create on an existing name silently adds a
 *   version, which would be a replace the caller never asked for.
 * - Azure cannot delete one version: scheduleVersionDeletion disables it and tags it
 *   pending-deletion (versions.ts).
 * - Sign takes a digest: messages are hashed locally. ECDSA comes back raw r‖s → DER (signing.ts).
 *
 * @module
 */
import type { KeyObject } from 'node:crypto';
import type { CryptographyClient, KeyVaultKey } from '@azure/keyvault-keys';
import type { AzureService } from '../../algorithms/clouds';
import { KEY_TYPES, type KeyTypeName } from '../../algorithms/key-types';
import type { TransferableKey } from '../../crypto/token-key';
import {
  AlreadyExistsError,
  InvalidArgumentError,
  MissingParameterError,
  NotFoundError,
  UnsupportedKeyTypeError,
  UnsupportedProtectionError,
  notAllowedMessage,
} from '../../errors';
import type { AzureKeyVaultBackendConfig } from '../configs';
import {
  KEYPLANE_TAGS,
  type BackendCapabilities,
  type BackendEncryptOptions,
  type BackendKey,
  type BackendKeyVersion,
  type BackendSignOptions,
  type ImportOptions,
  type KeyRef,
  type KeySpec,
  type KmsBackend,
} from '../contract';
import { ensureKek, keyOpsFor } from './byok';
import { capabilitiesOf } from './capabilities';
import { cipherWith } from './ciphers';
import { AzureConnection } from './client';
import { createKey } from './generate';
import { isStale, type OperationContext, type OperationKey } from './key-cache';
import { publicKeyOf, toBackendKey } from './keys';
import { checkRef, describeRef } from './refs';
import { signWith, verifyWith } from './signing';
import {
  importVersion,
  listVersions,
  scheduleVersionDeletion,
  setVersionEnabled,
  type VersionContext,
} from './versions';

export { AZURE_CLOUDS } from './config';

const is404 = (e: unknown): boolean => (e as { statusCode?: number }).statusCode === 404;

export class AzureKeyVaultBackend implements KmsBackend {
  readonly type = 'azurekeyvault' as const;
  readonly capabilities: BackendCapabilities;
  private readonly connection: AzureConnection;
  private kek: Promise<KeyVaultKey> | undefined;

  /** Validates the config (environment, URL, credential parts); no I/O until the first call. */
  constructor(config: AzureKeyVaultBackendConfig) {
    this.connection = new AzureConnection(config);
    this.capabilities = capabilitiesOf(this.connection.resolved.service);
  }

  /** `vault` or `managed-hsm`, as configured or inferred from the host. */
  get service(): AzureService {
    return this.connection.resolved.service;
  }

  get vaultUrl(): string {
    return this.connection.resolved.vaultUrl;
  }

  private async fetch(ref: KeyRef): Promise<KeyVaultKey | undefined> {
    checkRef(ref);
    return await this.connection.call(`get key ${describeRef(ref)}`, async (c) => {
      try {
        return await c.getKey(ref.name, ref.version === undefined ? {} : { version: ref.version });
      } catch (e) {
        if (is404(e)) return undefined;
        throw e;
      }
    });
  }

  private async require(ref: KeyRef): Promise<KeyVaultKey> {
    const key = await this.fetch(ref);
    if (key === undefined) {
      throw new NotFoundError(`Azure key ${describeRef(ref)} was not found in ${this.vaultUrl}`, {
        field: 'name',
      });
    }
    return key;
  }

  /** The operation path's view of `ref` (cached, see key-cache.ts); lifecycle reads stay live. */
  private async operationKey(ref: KeyRef): Promise<OperationKey> {
    checkRef(ref);
    return await this.connection.keyCache.resolve(ref, (r) => this.require(r));
  }

  /**
   * One CryptographyClient request on the version `key` resolved to. A failure that suggests
   * the cached view is stale (missing, wrong state, operation refused) drops it and the client.
   */
  private async cryptoCall<T>(
    ref: KeyRef,
    key: OperationKey,
    operation: string,
    request: (crypto: CryptographyClient) => Promise<T>,
  ): Promise<T> {
    const crypto = await this.connection.cryptoClient(ref.name, key.version);
    try {
      return await this.connection.call(`${operation} with ${describeRef(ref)}`, () =>
        request(crypto),
      );
    } catch (e) {
      if (isStale(e)) this.connection.forgetVersion(ref.name, key.version);
      throw e;
    }
  }

  async findKey(ref: KeyRef): Promise<BackendKey | undefined> {
    const key = await this.fetch(ref);
    return key === undefined ? undefined : toBackendKey(ref.name, key);
  }

  async getKey(ref: KeyRef): Promise<BackendKey> {
    return toBackendKey(ref.name, await this.require(ref));
  }

  async generateKey(ref: KeyRef, spec: KeySpec): Promise<BackendKey> {
    checkRef(ref);
    const allowedUsages = this.capabilities.generate[spec.keyType];
    if (allowedUsages === undefined) {
      const allowed = Object.keys(this.capabilities.generate);
      throw new UnsupportedKeyTypeError(
        notAllowedMessage(
          'key_type',
          spec.keyType,
          `for generation in Azure ${this.service}`,
          allowed,
        ),
        { field: 'key_type', allowed },
      );
    }
    const protection = spec.protection ?? 'hsm';
    if (!this.capabilities.protections.includes(protection)) {
      throw new UnsupportedProtectionError(
        notAllowedMessage(
          'protection',
          protection,
          `in Azure ${this.service}`,
          this.capabilities.protections,
        ),
        { field: 'protection', allowed: this.capabilities.protections },
      );
    }
    if (spec.algorithm !== undefined) {
      throw new InvalidArgumentError(
        `algorithm '${spec.algorithm}' cannot be set: Azure keys are not bound to one algorithm (it is chosen per operation)`,
        { field: 'algorithm', allowed: [] },
      );
    }
    if (spec.usages.length === 0) {
      throw new MissingParameterError(
        `usages must name at least one of: ${allowedUsages.join(', ')}`,
        {
          field: 'usages',
          allowed: allowedUsages,
        },
      );
    }
    const keyOps = keyOpsFor(spec.usages, allowedUsages, spec.keyType);
    if ((await this.fetch({ name: ref.name })) !== undefined) {
      throw new AlreadyExistsError(
        `Azure key '${ref.name}' already exists in ${this.vaultUrl}; delete it first or choose another name`,
        { field: 'name' },
      );
    }
    const tags = { ...spec.tags, [KEYPLANE_TAGS.key]: spec.tags?.[KEYPLANE_TAGS.key] ?? ref.name };
    const type = KEY_TYPES[spec.keyType as KeyTypeName];
    try {
      const created = await this.connection.call(`create key ${describeRef(ref)}`, (c) =>
        createKey(c, ref.name, type, { hsm: protection === 'hsm', keyOps, tags }),
      );
      return toBackendKey(ref.name, created);
    } finally {
      this.connection.keyCache.forgetLatest(ref.name);
    }
  }

  async getPublicKey(ref: KeyRef): Promise<KeyObject> {
    return publicKeyOf(await this.require(ref));
  }

  /** Sign / verify (signing.ts) and the cipher calls (ciphers.ts) run on this context. */
  private get operations(): OperationContext {
    return {
      operationKey: (ref) => this.operationKey(ref),
      cryptoCall: (ref, key, operation, request) => this.cryptoCall(ref, key, operation, request),
    };
  }

  async sign(ref: KeyRef, data: Uint8Array, options: BackendSignOptions): Promise<Buffer> {
    return await signWith(this.operations, ref, data, options);
  }

  async verify(
    ref: KeyRef,
    data: Uint8Array,
    signature: Uint8Array,
    options: BackendSignOptions,
  ): Promise<boolean> {
    return await verifyWith(this.operations, ref, data, signature, options);
  }

  async encrypt(ref: KeyRef, plaintext: Uint8Array, options?: BackendEncryptOptions) {
    return await cipherWith(this.operations, 'encrypt', ref, plaintext, options);
  }

  async decrypt(ref: KeyRef, ciphertext: Uint8Array, options?: BackendEncryptOptions) {
    return await cipherWith(this.operations, 'decrypt', ref, ciphertext, options);
  }

  async wrapKey(ref: KeyRef, keyBytes: Uint8Array, options?: BackendEncryptOptions) {
    return await cipherWith(this.operations, 'wrap', ref, keyBytes, options);
  }

  async unwrapKey(ref: KeyRef, wrapped: Uint8Array, options?: BackendEncryptOptions) {
    return await cipherWith(this.operations, 'unwrap', ref, wrapped, options);
  }

  private async ensureKek(): Promise<KeyVaultKey> {
    this.kek ??= ensureKek(this.connection).catch((e: unknown) => {
      this.kek = undefined;
      throw e;
    });
    return await this.kek;
  }

  private get versions(): VersionContext {
    return {
      connection: this.connection,
      require: (ref) => this.require(ref),
      kek: () => this.ensureKek(),
    };
  }

  async importKeyVersion(
    ref: KeyRef,
    material: TransferableKey,
    options: ImportOptions,
  ): Promise<BackendKeyVersion> {
    return await importVersion(this.versions, ref, material, options);
  }

  async listVersions(ref: KeyRef): Promise<BackendKeyVersion[]> {
    return await listVersions(this.versions, ref);
  }

  async setVersionEnabled(ref: KeyRef, enabled: boolean): Promise<BackendKeyVersion> {
    return await setVersionEnabled(this.versions, ref, enabled);
  }

  /** See versions.ts: Azure has no per-version deletion (disable + pending-deletion tag). */
  async scheduleVersionDeletion(
    ref: KeyRef,
    options?: { readonly pendingWindowDays?: number | undefined },
  ): Promise<BackendKeyVersion> {
    return await scheduleVersionDeletion(this.versions, ref, options);
  }

  close(): Promise<void> {
    this.connection.close();
    return Promise.resolve();
  }
}
