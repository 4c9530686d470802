/**
 * Encryption and key-wrap algorithms as data: Keyplane's EncryptionAlgorithm names → Azure's,
 * per key family and operation kind. RSA keys encrypt and wrap with RSA-OAEP (SHA-1 or SHA-256);
 * Managed HSM AES keys wrap with AES key wrap (RFC 3394, A256KW), which has no Keyplane
 * EncryptionAlgorithm name, so it is the AES default and the only choice.
 *
 * @module
 */
import type {
  CryptographyClient,
  KeyWrapAlgorithm,
  RsaEncryptionAlgorithm,
} from '@azure/keyvault-keys';
import type { KeyFamily, KeyType } from '../../algorithms/key-types';
import { lookup, names, table } from '../../algorithms/table';
import { InvalidArgumentError, UnsupportedOperationError, notAllowedMessage } from '../../errors';
import type { BackendEncryptOptions, EncryptionAlgorithm, KeyRef } from '../contract';
import { asDecryptionFailure } from './errors';
import type { OperationContext } from './key-cache';

export type CipherKind = 'encrypt' | 'wrap';

interface CipherRow {
  /** Named algorithms the caller may pick. */
  readonly named: Readonly<Partial<Record<EncryptionAlgorithm, string>>>;
  /** Azure algorithm when the caller names none. */
  readonly defaultAlg: string;
}

const RSA_OAEP: CipherRow = {
  named: { 'rsa-oaep-sha256': 'RSA-OAEP-256', 'rsa-oaep-sha1': 'RSA-OAEP' },
  defaultAlg: 'RSA-OAEP-256',
};

const CIPHERS = table<CipherKind, Readonly<Partial<Record<KeyFamily, CipherRow>>>>({
  encrypt: { rsa: RSA_OAEP },
  wrap: { rsa: RSA_OAEP, aes: { named: {}, defaultAlg: 'A256KW' } },
});

/** The Azure algorithm for one encrypt / decrypt / wrap / unwrap call, checked before sending. */
export function resolveCipher(
  type: KeyType,
  kind: CipherKind,
  options: BackendEncryptOptions = {},
): string {
  const row = CIPHERS[kind][type.family];
  const operation = kind === 'encrypt' ? 'encryption' : 'key wrapping';
  if (row === undefined) {
    throw new UnsupportedOperationError(
      `${type.name} keys cannot do ${operation} in Azure Key Vault`,
      { field: 'key_type' },
    );
  }
  if (options.aad !== undefined) {
    throw new InvalidArgumentError(
      `aad is not supported for ${type.name} ${operation} in Azure Key Vault`,
      {
        field: 'aad',
      },
    );
  }
  if (options.algorithm === undefined) return row.defaultAlg;
  const alg = lookup(row.named as Readonly<Record<string, string>>, options.algorithm);
  if (alg === undefined) {
    const allowed = names(row.named as Readonly<Record<string, string>>);
    throw new UnsupportedOperationError(
      notAllowedMessage(
        'algorithm',
        options.algorithm,
        `for ${type.name} ${operation} in Azure Key Vault`,
        allowed,
      ),
      { field: 'algorithm', allowed },
    );
  }
  return alg;
}

export type CipherOperation = 'encrypt' | 'decrypt' | 'wrap' | 'unwrap';

interface CipherCall {
  readonly kind: CipherKind;
  /** A refusal of this call means wrong key or corrupted input: DecryptionFailedError. */
  readonly opens: boolean;
  readonly send: (
    c: CryptographyClient,
    alg: string,
    bytes: Uint8Array,
  ) => Promise<{ result: Uint8Array }>;
}

/** The four CryptographyClient calls, as data. */
const CIPHER_CALLS = table<CipherOperation, CipherCall>({
  encrypt: {
    kind: 'encrypt',
    opens: false,
    send: (c, alg, plaintext) => c.encrypt({ algorithm: alg as RsaEncryptionAlgorithm, plaintext }),
  },
  decrypt: {
    kind: 'encrypt',
    opens: true,
    send: (c, alg, ciphertext) =>
      c.decrypt({ algorithm: alg as RsaEncryptionAlgorithm, ciphertext }),
  },
  wrap: {
    kind: 'wrap',
    opens: false,
    send: (c, alg, key) => c.wrapKey(alg as KeyWrapAlgorithm, key),
  },
  unwrap: {
    kind: 'wrap',
    opens: true,
    send: (c, alg, wrapped) => c.unwrapKey(alg as KeyWrapAlgorithm, wrapped),
  },
});

/** One encrypt / decrypt / wrap / unwrap through the service, algorithm checked first. */
export async function cipherWith(
  ctx: OperationContext,
  operation: CipherOperation,
  ref: KeyRef,
  bytes: Uint8Array,
  options?: BackendEncryptOptions,
): Promise<Buffer> {
  const call = CIPHER_CALLS[operation];
  const key = await ctx.operationKey(ref);
  const alg = resolveCipher(key.type, call.kind, options);
  const { result } = await ctx.cryptoCall(ref, key, operation, async (c) => {
    try {
      return await call.send(c, alg, bytes);
    } catch (e) {
      throw call.opens ? asDecryptionFailure(e) : e;
    }
  });
  return Buffer.from(result);
}
