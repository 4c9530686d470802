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
 * - Sign takes a digest: messages are hashed locally. ECDSA comes back raw r‖s → DER.
 *
 * @module
 */
import type { KeyObject } from 'node:crypto';
import type {
  CryptographyClient,
  KeyVaultKey,
  KeyWrapAlgorithm,
  RsaEncryptionAlgorithm,
} from '@azure/keyvault-keys';
import type { AzureService } from '../../algorithms/clouds';
import { KEY_TYPES, type KeyTypeName } from '../../algorithms/key-types';
import type { KeyMaterial } from '../../crypto/key-material';
import { ecdsaRawToDer, tryEcdsaDerToRaw } from '../../crypto/ecdsa-encoding';
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
import { resolveCipher } from './ciphers';
import { AzureConnection } from './client';
import { asDecryptionFailure } from './errors';
import { createKey } from './generate';
import { isStale, type OperationKey } from './key-cache';
import { publicKeyOf, toBackendKey } from './keys';
import { checkRef, describeRef } from './refs';
import { resolveScheme } from './signing';
import { digestForSigning } from '../../crypto/digest';
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

  async sign(ref: KeyRef, data: Uint8Array, options: BackendSignOptions): Promise<Buffer> {
    const key = await this.operationKey(ref);
    const scheme = resolveScheme(key.type, options);
    const digest = digestForSigning(scheme.hash, data, options.input);
    const { result } = await this.cryptoCall(ref, key, 'sign', (c) => c.sign(scheme.alg, digest));
    const signature = Buffer.from(result);
    return scheme.scalarBytes === undefined
      ? signature
      : ecdsaRawToDer(signature, scheme.scalarBytes);
  }

  async verify(
    ref: KeyRef,
    data: Uint8Array,
    signature: Uint8Array,
    options: BackendSignOptions,
  ): Promise<boolean> {
    const key = await this.operationKey(ref);
    const type = key.type;
    const scheme = resolveScheme(type, options);
    const digest = digestForSigning(scheme.hash, data, options.input);
    // An RSA signature of the wrong length cannot verify; the service would answer 400 instead.
    if (type.family === 'rsa' && signature.length !== type.bits / 8) return false;
    let value: Uint8Array = signature;
    if (scheme.scalarBytes !== undefined) {
      const raw = tryEcdsaDerToRaw(signature, scheme.scalarBytes);
      if (raw === undefined) return false;
      value = raw;
    }
    const { result } = await this.cryptoCall(ref, key, 'verify', (c) =>
      c.verify(scheme.alg, digest, value),
    );
    return result;
  }

  async encrypt(
    ref: KeyRef,
    plaintext: Uint8Array,
    options?: BackendEncryptOptions,
  ): Promise<Buffer> {
    const key = await this.operationKey(ref);
    const algorithm = resolveCipher(key.type, 'encrypt', options) as RsaEncryptionAlgorithm;
    const { result } = await this.cryptoCall(ref, key, 'encrypt', (c) =>
      c.encrypt({ algorithm, plaintext }),
    );
    return Buffer.from(result);
  }

  async decrypt(
    ref: KeyRef,
    ciphertext: Uint8Array,
    options?: BackendEncryptOptions,
  ): Promise<Buffer> {
    const key = await this.operationKey(ref);
    const algorithm = resolveCipher(key.type, 'encrypt', options) as RsaEncryptionAlgorithm;
    const { result } = await this.cryptoCall(ref, key, 'decrypt', async (c) => {
      try {
        return await c.decrypt({ algorithm, ciphertext });
      } catch (e) {
        throw asDecryptionFailure(e);
      }
    });
    return Buffer.from(result);
  }

  async wrapKey(
    ref: KeyRef,
    keyBytes: Uint8Array,
    options?: BackendEncryptOptions,
  ): Promise<Buffer> {
    const key = await this.operationKey(ref);
    const algorithm = resolveCipher(key.type, 'wrap', options) as KeyWrapAlgorithm;
    const { result } = await this.cryptoCall(ref, key, 'wrap', (c) =>
      c.wrapKey(algorithm, keyBytes),
    );
    return Buffer.from(result);
  }

  async unwrapKey(
    ref: KeyRef,
    wrapped: Uint8Array,
    options?: BackendEncryptOptions,
  ): Promise<Buffer> {
    const key = await this.operationKey(ref);
    const algorithm = resolveCipher(key.type, 'wrap', options) as KeyWrapAlgorithm;
    const { result } = await this.cryptoCall(ref, key, 'unwrap', async (c) => {
      try {
        return await c.unwrapKey(algorithm, wrapped);
      } catch (e) {
        throw asDecryptionFailure(e);
      }
    });
    return Buffer.from(result);
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
    material: KeyMaterial,
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
