/**
 * Key Vault's encryption and key-wrap algorithms (`encrypt`/`decrypt`, `wrapkey`/`unwrapkey`):
 * RSA-OAEP (SHA-1), RSA-OAEP-256, RSA1_5 for RSA keys; AES key wrap (RFC 3394 / RFC 5649) for
 * Managed HSM oct keys. Each algorithm is one table row.
 *
 * RSA1_5 decryption is done by hand on the raw RSA output: Node 20 refuses
 * `RSA_PKCS1_PADDING` for private decryption (CVE-2023-46809, Marvin), but the service still
 * offers RSA1_5, so the emulator must too. Timing side channels do not matter for an emulator.
 *
 * @module
 */
import {
  constants,
  createCipheriv,
  createDecipheriv,
  createPublicKey,
  privateDecrypt,
  publicEncrypt,
} from 'node:crypto';
import { badParameter } from './errors';
import type { Material } from './jwk';

export interface CipherAlgorithm {
  readonly family: 'RSA' | 'oct';
  readonly kind: 'oaep' | 'rsa1_5' | 'aes-kw' | 'aes-kwp';
  readonly oaepHash?: 'sha1' | 'sha256';
  /** AES-KW variants bound to one key size (A128KW…); unset = any AES size. */
  readonly aesBits?: number;
  /** AES key wrap exists for wrapKey/unwrapKey only. */
  readonly wrapOnly: boolean;
}

const rsa = (kind: CipherAlgorithm['kind'], oaepHash?: 'sha1' | 'sha256'): CipherAlgorithm => ({
  family: 'RSA',
  kind,
  wrapOnly: false,
  ...(oaepHash === undefined ? {} : { oaepHash }),
});
const aes = (kind: 'aes-kw' | 'aes-kwp', aesBits?: number): CipherAlgorithm => ({
  family: 'oct',
  kind,
  wrapOnly: true,
  ...(aesBits === undefined ? {} : { aesBits }),
});

export const CIPHER_ALGORITHMS: Readonly<Record<string, CipherAlgorithm>> = {
  'RSA-OAEP': rsa('oaep', 'sha1'),
  'RSA-OAEP-256': rsa('oaep', 'sha256'),
  RSA1_5: rsa('rsa1_5'),
  A128KW: aes('aes-kw', 128),
  A192KW: aes('aes-kw', 192),
  A256KW: aes('aes-kw', 256),
  CKM_AES_KEY_WRAP: aes('aes-kw'),
  CKM_AES_KEY_WRAP_PAD: aes('aes-kwp'),
};

/** RFC 3394 default IV and RFC 5649 alternative IV. */
const AES_IV = { 'aes-kw': 'A6A6A6A6A6A6A6A6', 'aes-kwp': 'A65959A6' } as const;

function aesCipherName(alg: CipherAlgorithm, secret: Buffer): string {
  const bits = secret.length * 8;
  if (alg.aesBits !== undefined && alg.aesBits !== bits)
    throw badParameter(`The algorithm needs a ${alg.aesBits}-bit key; this key has ${bits} bits`);
  return `id-aes${bits}-wrap${alg.kind === 'aes-kwp' ? '-pad' : ''}`;
}

function aesRun(decrypt: boolean, alg: CipherAlgorithm, secret: Buffer, input: Buffer): Buffer {
  const kind = alg.kind === 'aes-kwp' ? 'aes-kwp' : 'aes-kw';
  const args = [aesCipherName(alg, secret), secret, Buffer.from(AES_IV[kind], 'hex')] as const;
  try {
    const c = decrypt ? createDecipheriv(...args) : createCipheriv(...args);
    return Buffer.concat([c.update(input), c.final()]);
  } catch {
    throw badParameter(
      decrypt
        ? 'The wrapped key failed the AES key wrap integrity check'
        : 'The key to wrap has an invalid length',
    );
  }
}

/** Strips PKCS#1 v1.5 type 2 padding (RFC 8017 §7.2.2) from the raw RSA output. */
function unpadPkcs1Type2(em: Buffer): Buffer {
  const separator = em.indexOf(0, 2);
  if (em[0] !== 0 || em[1] !== 2 || separator < 10)
    throw badParameter('The ciphertext could not be decrypted');
  return em.subarray(separator + 1);
}

/** encrypt / wrapKey. */
export function encryptWith(alg: CipherAlgorithm, m: Material, plaintext: Buffer): Buffer {
  if (m.family === 'oct') return aesRun(false, alg, m.secret, plaintext);
  if (m.family !== 'RSA') throw badParameter('EC keys cannot encrypt');
  const padding =
    alg.kind === 'oaep' ? constants.RSA_PKCS1_OAEP_PADDING : constants.RSA_PKCS1_PADDING;
  try {
    return publicEncrypt(
      {
        key: createPublicKey(m.privateKey),
        padding,
        ...(alg.oaepHash ? { oaepHash: alg.oaepHash } : {}),
      },
      plaintext,
    );
  } catch {
    throw badParameter(`The plaintext is too long for ${m.bits}-bit RSA with this algorithm`);
  }
}

/** decrypt / unwrapKey. */
export function decryptWith(alg: CipherAlgorithm, m: Material, ciphertext: Buffer): Buffer {
  if (m.family === 'oct') return aesRun(true, alg, m.secret, ciphertext);
  if (m.family !== 'RSA') throw badParameter('EC keys cannot decrypt');
  if (ciphertext.length !== m.bits / 8)
    throw badParameter(`The ciphertext must be ${m.bits / 8} bytes for this key`);
  try {
    if (alg.kind === 'rsa1_5')
      return unpadPkcs1Type2(
        privateDecrypt({ key: m.privateKey, padding: constants.RSA_NO_PADDING }, ciphertext),
      );
    return privateDecrypt(
      {
        key: m.privateKey,
        padding: constants.RSA_PKCS1_OAEP_PADDING,
        oaepHash: alg.oaepHash ?? 'sha1',
      },
      ciphertext,
    );
  } catch {
    throw badParameter('The ciphertext could not be decrypted with this key and algorithm');
  }
}
