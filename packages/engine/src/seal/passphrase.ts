/**
 * The development seal: the store's data key (and, for `import-registry`, the secrets of a
 * pre-store registry file) is AES-256-GCM encrypted under a key derived from a passphrase
 * (scrypt, per-blob salt). The production seals (pkcs11, awskms, azurekeyvault, gcpckms:
 * kms-seal.ts) implement the same {@link Seal} contract without any passphrase.
 *
 * Blob format (ASCII, safe in JSON): `kpseal1.<salt b64url>.<iv‖ciphertext‖tag b64url>`.
 * `context` is bound as AAD so a sealed PIN cannot be moved onto another record.
 *
 * @module
 */
import { createSecretKey, randomBytes, scryptSync, type KeyObject } from 'node:crypto';
import { aesGcmDecrypt, aesGcmEncrypt } from '../crypto/aes-gcm';
import { DecryptionFailedError, InvalidArgumentError, MissingParameterError } from '../errors';
import { DATA_KEY_AAD, type Seal } from './contract';
import { ENV_VARIABLES, readEnv } from '../env';

/** The variable holding the development passphrase (the row of {@link ENV_VARIABLES}). */
export const SEAL_PASSPHRASE_ENV = ENV_VARIABLES.sealPassphrase.name;

export const PASSPHRASE_SEAL_WARNING =
  'warning: the passphrase seal is for development only; use a pkcs11, awskms, azurekeyvault or gcpckms seal for real keys';

const PREFIX = 'kpseal1';
/** scrypt cost: N=2^15, r=8 (~32 MiB, tens of ms): OWASP's floor for scrypt. */
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;
const MIN_PASSPHRASE = 12;

export class PassphraseSeal implements Seal {
  readonly type = 'passphrase' as const;
  readonly description = 'passphrase (scrypt)';
  readonly warning = PASSPHRASE_SEAL_WARNING;

  /** Derived keys by salt: one scrypt per blob per process, not per unseal. */
  private readonly keys = new Map<string, KeyObject>();

  constructor(private readonly passphrase: string) {
    if (passphrase.length < MIN_PASSPHRASE) {
      throw new InvalidArgumentError(
        `${SEAL_PASSPHRASE_ENV} must be at least ${String(MIN_PASSPHRASE)} characters`,
        { field: SEAL_PASSPHRASE_ENV },
      );
    }
  }

  /** The seal configured by KEYPLANE_SEAL_PASSPHRASE, or undefined when it is not set. */
  static fromEnv(env: NodeJS.ProcessEnv = process.env): PassphraseSeal | undefined {
    const p = readEnv(ENV_VARIABLES.sealPassphrase, env);
    return p === undefined ? undefined : new PassphraseSeal(p);
  }

  /** Like fromEnv, but says what to set when the passphrase is missing. */
  static require(
    env: NodeJS.ProcessEnv = process.env,
    why = 'to seal secrets at rest',
  ): PassphraseSeal {
    const seal = PassphraseSeal.fromEnv(env);
    if (seal === undefined) {
      throw new MissingParameterError(`set ${SEAL_PASSPHRASE_ENV} ${why}`, {
        field: SEAL_PASSPHRASE_ENV,
      });
    }
    return seal;
  }

  private key(salt: Buffer): KeyObject {
    const id = salt.toString('base64url');
    let key = this.keys.get(id);
    if (key === undefined) {
      const bytes = scryptSync(this.passphrase, salt, 32, SCRYPT);
      key = createSecretKey(bytes);
      bytes.fill(0);
      this.keys.set(id, key);
    }
    return key;
  }

  /** Encrypts `plaintext`, binding `context` (AAD). */
  seal(plaintext: Uint8Array, context: string): string {
    const salt = randomBytes(16);
    const sealed = aesGcmEncrypt(this.key(salt), plaintext, Buffer.from(context));
    return [PREFIX, salt.toString('base64url'), sealed.toString('base64url')].join('.');
  }

  wrapDataKey(dataKey: Uint8Array): Promise<string> {
    return Promise.resolve(this.seal(dataKey, DATA_KEY_AAD));
  }

  unwrapDataKey(wrapped: string): Promise<Buffer> {
    return Promise.resolve(this.unseal(wrapped, DATA_KEY_AAD));
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  /** Decrypts; DecryptionFailedError on a wrong passphrase, context or a tampered blob. */
  unseal(blob: string, context: string): Buffer {
    const [prefix, salt, sealed, extra] = blob.split('.');
    if (prefix !== PREFIX || salt === undefined || sealed === undefined || extra !== undefined) {
      throw new DecryptionFailedError({ field: 'sealed' });
    }
    return aesGcmDecrypt(
      this.key(Buffer.from(salt, 'base64url')),
      Buffer.from(sealed, 'base64url'),
      Buffer.from(context),
    );
  }
}
