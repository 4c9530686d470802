/**
 * Google Cloud KMS behind the KmsBackend contract, through `@google-cloud/kms` over gRPC.
 *
 * - KeyRef.name = crypto key id in the configured key ring; version = version number;
 *   BackendKey.id = the version's resource name.
 * - One algorithm per key: a key signs with exactly one scheme; RSA keys sign OR decrypt.
 * - No Verify / asymmetric Encrypt RPCs: both are local with the version's public key.
 * - Every request goes through CallPolicy (gax retries off), carries CRC32Cs and has its
 *   response's CRC32Cs checked.
 *
 * @module
 */
import type { KeyObject } from 'node:crypto';
import { PROTECTIONS } from '../../algorithms/clouds';
import type { KeyMaterial } from '../../crypto/key-material';
import type { GcpKmsBackendConfig } from '../configs';
import type {
  BackendCapabilities,
  BackendEncryptOptions,
  BackendKey,
  BackendKeyType,
  BackendKeyVersion,
  BackendSignOptions,
  ImportOptions,
  KeyRef,
  KeySpec,
  KeyUsage,
  KmsBackend,
} from '../contract';
import type { KeyTypeName } from '../../algorithms/key-types';
import { PURPOSES, purposesFor } from './algorithms';
import { GcpContext } from './context';
import { decrypt, encrypt, generateRandom, mac, verifyMac } from './encryption';
import { IMPORT_TYPES, importKeyVersion } from './import';
import { GENERATE_TYPES, findKey, generateKey, getKey } from './keys';
import { listVersions, scheduleVersionDeletion, setVersionEnabled } from './lifecycle';
import { getPublicKey, sign, verify } from './signing';

function capabilities(): BackendCapabilities {
  const generate: Partial<Record<BackendKeyType, readonly KeyUsage[]>> = {};
  for (const keyType of GENERATE_TYPES) {
    const usages = purposesFor(keyType).flatMap((p) => PURPOSES[p].usages);
    generate[keyType as BackendKeyType] = [...new Set(usages)];
  }
  return {
    type: 'gcpckms',
    generate,
    import: IMPORT_TYPES as readonly KeyTypeName[],
    protections: PROTECTIONS,
    nativeVersions: true,
  };
}

export class GcpKmsBackend implements KmsBackend {
  readonly type = 'gcpckms' as const;
  readonly capabilities: BackendCapabilities = capabilities();
  private readonly ctx: GcpContext;

  /** Validates the config; no I/O (the client is created on first use). */
  constructor(config: GcpKmsBackendConfig) {
    this.ctx = new GcpContext(config);
  }

  async findKey(ref: KeyRef): Promise<BackendKey | undefined> {
    return await findKey(this.ctx, ref);
  }

  async getKey(ref: KeyRef): Promise<BackendKey> {
    return await getKey(this.ctx, ref);
  }

  async generateKey(ref: KeyRef, spec: KeySpec): Promise<BackendKey> {
    return await this.changing(ref, () => generateKey(this.ctx, ref, spec));
  }

  async getPublicKey(ref: KeyRef): Promise<KeyObject> {
    return await getPublicKey(this.ctx, ref);
  }

  async sign(ref: KeyRef, data: Uint8Array, options: BackendSignOptions): Promise<Buffer> {
    return await sign(this.ctx, ref, data, options);
  }

  async verify(
    ref: KeyRef,
    data: Uint8Array,
    signature: Uint8Array,
    options: BackendSignOptions,
  ): Promise<boolean> {
    return await verify(this.ctx, ref, data, signature, options);
  }

  async encrypt(
    ref: KeyRef,
    plaintext: Uint8Array,
    options?: BackendEncryptOptions,
  ): Promise<Buffer> {
    return await encrypt(this.ctx, ref, plaintext, options);
  }

  async decrypt(
    ref: KeyRef,
    ciphertext: Uint8Array,
    options?: BackendEncryptOptions,
  ): Promise<Buffer> {
    return await decrypt(this.ctx, ref, ciphertext, options);
  }

  async mac(ref: KeyRef, data: Uint8Array): Promise<Buffer> {
    return await mac(this.ctx, ref, data);
  }

  async verifyMac(ref: KeyRef, data: Uint8Array, tag: Uint8Array): Promise<boolean> {
    return await verifyMac(this.ctx, ref, data, tag);
  }

  async generateRandom(length: number): Promise<Buffer> {
    return await generateRandom(this.ctx, length);
  }

  async importKeyVersion(
    ref: KeyRef,
    material: KeyMaterial,
    options: ImportOptions,
  ): Promise<BackendKeyVersion> {
    return await this.changing(ref, () => importKeyVersion(this.ctx, ref, material, options));
  }

  async listVersions(ref: KeyRef): Promise<BackendKeyVersion[]> {
    return await listVersions(this.ctx, ref);
  }

  async setVersionEnabled(ref: KeyRef, enabled: boolean): Promise<BackendKeyVersion> {
    return await this.changing(ref, () => setVersionEnabled(this.ctx, ref, enabled));
  }

  /**
   * DestroyCryptoKeyVersion. `pendingWindowDays` cannot apply per call in Cloud KMS: the delay
   * is the crypto key's `destroy_scheduled_duration` (default 30 days), set at creation.
   */
  async scheduleVersionDeletion(
    ref: KeyRef,
    _options?: { readonly pendingWindowDays?: number | undefined },
  ): Promise<BackendKeyVersion> {
    return await this.changing(ref, () => scheduleVersionDeletion(this.ctx, ref));
  }

  /** Runs a change to `ref`'s versions; its cached current version is dropped, even on failure. */
  private async changing<T>(ref: KeyRef, change: () => Promise<T>): Promise<T> {
    try {
      return await change();
    } finally {
      this.ctx.current.delete(ref.name);
    }
  }

  async close(): Promise<void> {
    await this.ctx.close();
  }
}
