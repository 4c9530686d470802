/**
 * Auto-unseal through an HSM or a cloud KMS, as Vault's `pkcs11`, `awskms`, `azurekeyvault` and
 * `gcpckms` seals (https://developer.hashicorp.com/vault/docs/configuration/seal): the store's
 * data key is encrypted by a key that never leaves the HSM / KMS, through the same KmsBackend the
 * rest of Keyplane uses. AES keys (PKCS#11, AWS, GCP) encrypt it with AES-256-GCM and the data-key
 * AAD (AWS: EncryptionContext, GCP: additional_authenticated_data); an Azure RSA key wraps it
 * with RSA-OAEP-256 (`wrapKey`, as Vault's Azure seal).
 *
 * Wrapped format: `kpkms1.<backend key version b64url>.<ciphertext b64url>` — the version is
 * kept so Azure and GCP keys can be rotated without losing old wrapped data keys.
 *
 * @module
 */
import type { BackendKey, KeyRef, KeySpec, KmsBackend } from '../backends/contract';
import { NotFoundError, SealError } from '../errors';
import { DATA_KEY_AAD, type Seal, type SealType } from './contract';

const PREFIX = 'kpkms1';
const AAD = Buffer.from(DATA_KEY_AAD);

export interface KmsSealOptions {
  readonly type: Exclude<SealType, 'passphrase'>;
  readonly backend: KmsBackend;
  readonly ref: KeyRef;
  /** Non-secret description (`awskms key alias/keyplane-seal in us-east-1`). */
  readonly description: string;
  /** Generate the key when it does not exist (only at `store init`). */
  readonly generate?: KeySpec;
}

export class KmsSeal implements Seal {
  readonly type: Exclude<SealType, 'passphrase'>;
  readonly description: string;
  private key: Promise<BackendKey> | undefined;

  constructor(private readonly options: KmsSealOptions) {
    this.type = options.type;
    this.description = options.description;
  }

  private resolve(): Promise<BackendKey> {
    this.key ??= (async () => {
      const { backend, ref, generate } = this.options;
      const found = await backend.findKey(ref);
      if (found !== undefined) return found;
      if (generate === undefined) {
        throw new NotFoundError(
          `${this.description} does not exist; create it, or pass generate_key=true to keyplane store init`,
          { field: 'seal' },
        );
      }
      return await backend.generateKey(ref, generate);
    })();
    this.key.catch(() => (this.key = undefined));
    return this.key;
  }

  private rsa(key: BackendKey): boolean {
    return key.keyType.startsWith('rsa-');
  }

  async wrapDataKey(dataKey: Uint8Array): Promise<string> {
    const key = await this.resolve();
    const { backend } = this.options;
    const wrapped =
      this.rsa(key) && backend.wrapKey !== undefined
        ? await backend.wrapKey(key, dataKey, { algorithm: 'rsa-oaep-sha256' })
        : await this.encryptor(backend).encrypt(key, dataKey, { aad: AAD });
    return [
      PREFIX,
      Buffer.from(key.version).toString('base64url'),
      wrapped.toString('base64url'),
    ].join('.');
  }

  async unwrapDataKey(wrapped: string): Promise<Buffer> {
    const [prefix, version, body, extra] = wrapped.split('.');
    if (prefix !== PREFIX || version === undefined || body === undefined || extra !== undefined) {
      throw new SealError(`the data key was not wrapped by a KMS seal`, { field: 'seal' });
    }
    const current = await this.resolve();
    const { backend } = this.options;
    // Native versions (Azure, GCP): the version it was wrapped under, of the configured key.
    // AWS / PKCS#11 "versions" are separate keys: the configured key stays the authority (AWS
    // refuses a ciphertext of another key with IncorrectKeyException).
    const ref: KeyRef = backend.capabilities.nativeVersions
      ? { ...this.options.ref, version: Buffer.from(version, 'base64url').toString() }
      : this.options.ref;
    const bytes = Buffer.from(body, 'base64url');
    if (this.rsa(current) && backend.unwrapKey !== undefined) {
      return await backend.unwrapKey(ref, bytes, { algorithm: 'rsa-oaep-sha256' });
    }
    return await this.encryptor(backend).decrypt(ref, bytes, { aad: AAD });
  }

  /** The backend's encrypt/decrypt pair (every backend with an AES key has one). */
  private encryptor(backend: KmsBackend): Required<Pick<KmsBackend, 'encrypt' | 'decrypt'>> {
    if (backend.encrypt === undefined || backend.decrypt === undefined) {
      throw new SealError(`${this.type} keys cannot encrypt through Keyplane`, { field: 'seal' });
    }
    return backend as Required<Pick<KmsBackend, 'encrypt' | 'decrypt'>>;
  }

  async close(): Promise<void> {
    await this.options.backend.close();
  }
}
