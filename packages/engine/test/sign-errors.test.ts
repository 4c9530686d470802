/**
 * sign/verify refusals shared by all key families: keys that cannot sign (AES, public keys,
 * unsupported curves and sizes), digests of the wrong length, PSS on non-RSA keys and unknown
 * hash names — each asserted on its error code, field and (once per error type) exact message.
 */
import { createSecretKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import {
  HASH_ALGORITHM_NAMES,
  hashAlgorithm,
  sign,
  verify,
  type SignOptions,
} from '@keyplane/engine';
import { emsaPssEncode } from '../src/crypto/rsa-pss';
import { detBytes } from './crypto-helpers/bytes';
import { expectKeyplaneError } from './crypto-helpers/expect-error';

const ALLOWED_HASHES =
  'sha1, sha2-224, sha2-256, sha2-384, sha2-512, sha3-224, sha3-256, sha3-384, sha3-512';
const ALLOWED_TYPES =
  'aes256-gcm96, rsa-2048, rsa-3072, rsa-4096, ecdsa-p256, ecdsa-p384, ecdsa-p521, ed25519';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const p256 = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const p521 = generateKeyPairSync('ec', { namedCurve: 'secp521r1' });
const msg = Buffer.from('message');

describe('keys that cannot sign', () => {
  const aes = createSecretKey(detBytes('aes', 32));

  test('an AES key is ERR_UNSUPPORTED_OPERATION for sign and verify', () => {
    const message = 'aes256-gcm96 cannot sign; use HMAC or an asymmetric key';
    const err = expectKeyplaneError(() => sign(aes, msg), 'ERR_UNSUPPORTED_OPERATION', message);
    expect(err.field).toBe('key');
    expectKeyplaneError(
      () => verify(aes, msg, Buffer.alloc(64)),
      'ERR_UNSUPPORTED_OPERATION',
      message,
    );
    expectKeyplaneError(
      () => sign(aes, detBytes('d', 32), { input: 'digest' }),
      'ERR_UNSUPPORTED_OPERATION',
    );
  });

  test('a secret key that is not AES-256 is ERR_UNSUPPORTED_KEY_TYPE', () => {
    const short = createSecretKey(detBytes('aes128', 16));
    expectKeyplaneError(
      () => sign(short, msg),
      'ERR_UNSUPPORTED_KEY_TYPE',
      `key '16-byte secret key' is not supported; allowed: ${ALLOWED_TYPES}`,
    );
  });

  test.each<[string, KeyObject]>([
    ['RSA', rsa.publicKey],
    ['EC', p256.publicKey],
    ['Ed25519', generateKeyPairSync('ed25519').publicKey],
  ])('an %s public key is ERR_INVALID_KEY_MATERIAL for sign', (_label, publicKey) => {
    const err = expectKeyplaneError(
      () => sign(publicKey, msg),
      'ERR_INVALID_KEY_MATERIAL',
      'signing needs a private key',
    );
    expect(err.field).toBe('key');
  });

  test.each<[string, KeyObject, string]>([
    ['RSA-1024', generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey, 'rsa 1024 key'],
    [
      'secp256k1',
      generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).privateKey,
      'ec secp256k1 key',
    ],
    ['Ed448', generateKeyPairSync('ed448').privateKey, 'ed448 key'],
    [
      'RSA-PSS-restricted 2048',
      generateKeyPairSync('rsa-pss', { modulusLength: 2048 }).privateKey,
      'rsa-pss 2048 key',
    ],
  ])('%s is ERR_UNSUPPORTED_KEY_TYPE', (_label, key, described) => {
    const err = expectKeyplaneError(
      () => sign(key, msg),
      'ERR_UNSUPPORTED_KEY_TYPE',
      `key '${described}' is not supported; allowed: ${ALLOWED_TYPES}`,
    );
    expect(err.field).toBe('key');
    expectKeyplaneError(() => verify(key, msg, Buffer.alloc(64)), 'ERR_UNSUPPORTED_KEY_TYPE');
  });
});

describe('wrong digest length is ERR_INVALID_DIGEST', () => {
  test.each<[string, KeyObject, SignOptions, number, number]>([
    ['RSA PKCS#1 sha2-256', rsa.privateKey, { hash: 'sha2-256' }, 31, 32],
    ['RSA PKCS#1 sha1', rsa.privateKey, { hash: 'sha1' }, 32, 20],
    ['RSA PSS sha2-384', rsa.privateKey, { hash: 'sha2-384', pss: true }, 32, 48],
    ['RSA default hash', rsa.privateKey, {}, 64, 32],
    ['P-256 default hash', p256.privateKey, {}, 48, 32],
    ['P-256 sha3-512', p256.privateKey, { hash: 'sha3-512' }, 32, 64],
    ['P-521 default hash', p521.privateKey, {}, 32, 64],
    ['P-521 raw sha2-224', p521.privateKey, { hash: 'sha2-224', signatureEncoding: 'raw' }, 0, 28],
  ])('%s with a %i-byte digest', (_label, key, opts, got, want) => {
    const digest = detBytes('digest', got);
    const o: SignOptions = { ...opts, input: 'digest' };
    const hashName = opts.hash ?? (key === p521.privateKey ? 'sha2-512' : 'sha2-256');
    const err = expectKeyplaneError(
      () => sign(key, digest, o),
      'ERR_INVALID_DIGEST',
      `digest must be ${want} bytes for ${hashName}, got ${got}`,
    );
    expect(err.field).toBe('digest');
    expectKeyplaneError(() => verify(key, digest, Buffer.alloc(64), o), 'ERR_INVALID_DIGEST');
  });

  test('message mode does not care about the length', () => {
    const odd = detBytes('odd', 31);
    expect(verify(rsa.publicKey, odd, sign(rsa.privateKey, odd))).toBe(true);
  });
});

describe('pss with a non-RSA key is ERR_UNSUPPORTED_OPERATION', () => {
  test.each<[string, KeyObject]>([
    ['ecdsa-p256', p256.privateKey],
    ['ecdsa-p521', p521.privateKey],
  ])('%s', (name, key) => {
    const err = expectKeyplaneError(
      () => sign(key, msg, { pss: true }),
      'ERR_UNSUPPORTED_OPERATION',
      `pss is only valid for RSA keys, not ${name}`,
    );
    expect(err.field).toBe('pss');
    expectKeyplaneError(
      () => verify(key, msg, Buffer.alloc(64), { pss: true }),
      'ERR_UNSUPPORTED_OPERATION',
    );
    expectKeyplaneError(
      () => sign(key, detBytes('d', 32), { pss: true, input: 'digest', hash: 'sha2-256' }),
      'ERR_UNSUPPORTED_OPERATION',
    );
  });

  test('pss: false is fine on EC keys', () => {
    expect(verify(p256.publicKey, msg, sign(p256.privateKey, msg, { pss: false }))).toBe(true);
  });
});

describe('unknown hash names are ERR_UNSUPPORTED_HASH_ALGORITHM naming the allowed values', () => {
  const names = [
    'md5',
    'sha256',
    'SHA2-256',
    'sha2_256',
    'sha512-256',
    '',
    'toString',
    '__proto__',
  ];
  const keysUnderTest: [string, KeyObject][] = [
    ['RSA', rsa.privateKey],
    ['ECDSA', p256.privateKey],
  ];

  test.each(keysUnderTest.flatMap(([label, key]) => names.map((n) => [label, key, n] as const)))(
    "%s, hash '%s'",
    (_label, key, name) => {
      const err = expectKeyplaneError(
        () => sign(key, msg, { hash: name }),
        'ERR_UNSUPPORTED_HASH_ALGORITHM',
        `hash '${name}' is not supported; allowed: ${ALLOWED_HASHES}`,
      );
      expect(err.field).toBe('hash');
      expect(err.allowed).toEqual(HASH_ALGORITHM_NAMES);
      expectKeyplaneError(
        () => verify(key, msg, Buffer.alloc(64), { hash: name }),
        'ERR_UNSUPPORTED_HASH_ALGORITHM',
      );
      expectKeyplaneError(
        () => sign(key, detBytes('d', 32), { hash: name, input: 'digest' }),
        'ERR_UNSUPPORTED_HASH_ALGORITHM',
      );
    },
  );
});

describe('EMSA-PSS encoding (RFC 8017 §9.1.1 step 3)', () => {
  // Unreachable through sign() (its smallest RSA key, 2048 bits, fits every hash), so the
  // encoder is called directly: a modulus too small for the hash is a typed refusal.
  test('a hash too long for the modulus is ERR_UNSUPPORTED_HASH_ALGORITHM naming the hashes that fit', () => {
    const sha512 = hashAlgorithm('sha2-512');
    const err = expectKeyplaneError(
      () => emsaPssEncode(sha512, detBytes('d', 64), 1024),
      'ERR_UNSUPPORTED_HASH_ALGORITHM',
      "hash 'sha2-512' is not supported for RSA-PSS with a 1024-bit key (salt = hash length); allowed: sha1, sha2-224, sha2-256, sha2-384, sha3-224, sha3-256, sha3-384",
    );
    expect(err.field).toBe('hash');
    expect(emsaPssEncode(hashAlgorithm('sha2-384'), detBytes('d', 48), 1024)).toHaveLength(128);
  });
});
