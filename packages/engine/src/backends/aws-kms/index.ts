/**
 * AWS KMS backend: `@aws-sdk/client-kms` behind the KmsBackend contract. Keys are addressed by
 * alias (`alias/x`), key id or ARN; a Keyplane version is one KMS key (its key id), joined to
 * the others by the alias and the keyplane-* tags. Every request goes through one CallPolicy
 * (limiter + retries + error mapping); the SDK's own retries are off.
 *
 * @module
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { GetPublicKeyCommand } from '@aws-sdk/client-kms';
import type { TransferableKey } from '../../crypto/token-key';
import { BackendError, UnsupportedOperationError } from '../../errors';
import type { AwsKmsBackendConfig } from '../configs';
import type {
  BackendCapabilities,
  BackendEncryptOptions,
  BackendKey,
  BackendKeyVersion,
  BackendSignOptions,
  BackendType,
  ImportOptions,
  KeyRef,
  KeySpec,
  KmsBackend,
} from '../contract';
import { AWS_KMS_CAPABILITIES } from './capabilities';
import { connect, send, type AwsConnection } from './client';
import { decryptWithKms, encryptWithKms, macWithKms, verifyMacWithKms } from './crypto';
import { generateInKms } from './generate';
import { importVersion } from './import';
import { describeKey, findResolved, readTags, toBackendKey } from './keys';
import { listKeyVersions, scheduleDeletion, setEnabled } from './lifecycle';
import { signWithKms, verifyWithKms } from './signing';

export { AWS_KMS_CAPABILITIES } from './capabilities';

export class AwsKmsBackend implements KmsBackend {
  readonly type: BackendType = 'awskms';
  readonly capabilities: BackendCapabilities = AWS_KMS_CAPABILITIES;
  private readonly conn: AwsConnection;
  private closed = false;

  /** Builds the SDK client; no request is sent until the first operation. */
  constructor(config: AwsKmsBackendConfig) {
    this.conn = connect(config);
  }

  async findKey(ref: KeyRef): Promise<BackendKey | undefined> {
    const key = await findResolved(this.conn, ref);
    if (key === undefined) return undefined;
    return toBackendKey(ref, key, await readTags(this.conn, key.keyId, ref.name));
  }

  async getKey(ref: KeyRef): Promise<BackendKey> {
    const key = await describeKey(this.conn, ref);
    return toBackendKey(ref, key, await readTags(this.conn, key.keyId, ref.name));
  }

  async generateKey(ref: KeyRef, spec: KeySpec): Promise<BackendKey> {
    return await generateInKms(this.conn, ref, spec);
  }

  async getPublicKey(ref: KeyRef): Promise<KeyObject> {
    const key = await describeKey(this.conn, ref);
    if (key.row.schemes.length === 0) {
      throw new UnsupportedOperationError(
        `key '${ref.name}' (${key.row.keyType}) has no public key`,
        { field: 'name' },
      );
    }
    const out = await send(this.conn, `GetPublicKey ${ref.name}`, (c) =>
      c.send(new GetPublicKeyCommand({ KeyId: key.keyId })),
    );
    if (out.PublicKey === undefined) {
      throw new BackendError(`GetPublicKey ${ref.name}: AWS KMS returned no public key`, {
        backendCode: 'MissingPublicKey',
      });
    }
    return createPublicKey({ key: Buffer.from(out.PublicKey), format: 'der', type: 'spki' });
  }

  async sign(ref: KeyRef, data: Uint8Array, options: BackendSignOptions): Promise<Buffer> {
    return await signWithKms(this.conn, ref, data, options);
  }

  async verify(
    ref: KeyRef,
    data: Uint8Array,
    signature: Uint8Array,
    options: BackendSignOptions,
  ): Promise<boolean> {
    return await verifyWithKms(this.conn, ref, data, signature, options);
  }

  async encrypt(
    ref: KeyRef,
    plaintext: Uint8Array,
    options?: BackendEncryptOptions,
  ): Promise<Buffer> {
    return await encryptWithKms(this.conn, ref, plaintext, options);
  }

  async decrypt(
    ref: KeyRef,
    ciphertext: Uint8Array,
    options?: BackendEncryptOptions,
  ): Promise<Buffer> {
    return await decryptWithKms(this.conn, ref, ciphertext, options);
  }

  async mac(ref: KeyRef, data: Uint8Array): Promise<Buffer> {
    return await macWithKms(this.conn, ref, data);
  }

  async verifyMac(ref: KeyRef, data: Uint8Array, tag: Uint8Array): Promise<boolean> {
    return await verifyMacWithKms(this.conn, ref, data, tag);
  }

  async importKeyVersion(
    ref: KeyRef,
    material: TransferableKey,
    options: ImportOptions,
  ): Promise<BackendKeyVersion> {
    return await importVersion(this.conn, ref, material, options);
  }

  async listVersions(ref: KeyRef): Promise<BackendKeyVersion[]> {
    return await listKeyVersions(this.conn, ref);
  }

  async setVersionEnabled(ref: KeyRef, enabled: boolean): Promise<BackendKeyVersion> {
    return await setEnabled(this.conn, ref, enabled);
  }

  async scheduleVersionDeletion(
    ref: KeyRef,
    options?: { readonly pendingWindowDays?: number | undefined },
  ): Promise<BackendKeyVersion> {
    return await scheduleDeletion(this.conn, ref, options);
  }

  close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.conn.cache.clear();
      // Closes the SDK's keep-alive sockets so processes exit promptly.
      this.conn.client.destroy();
    }
    return Promise.resolve();
  }
}
