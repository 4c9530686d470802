/**
 * HMAC: RFC 4231 (SHA-2) and RFC 2202 (SHA-1) published vectors, all nine hashes against the
 * openssl CLI, constant-time verify behaviour, and error codes.
 */
import { createSecretKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { join } from 'node:path';
import { HASH_ALGORITHM_NAMES, hmacSign, hmacVerify } from '@keyplane/engine';
import {
  ALL_HASHES,
  OPENSSL_DIGEST,
  detBytes,
  flipBit,
  hex,
  type TestHashName,
} from './crypto-helpers/bytes';
import { expectKeyplaneError } from './crypto-helpers/expect-error';
import { makeTempDir, opensslOk, removeTempDir, writeFiles } from './crypto-helpers/openssl-cli';
import {
  RFC2202_SHA1_VECTORS,
  RFC4231_TRUNCATED,
  RFC4231_VECTORS,
  type HmacVector,
} from './vectors/hmac-rfc4231-rfc2202';

const ALLOWED =
  'sha1, sha2-224, sha2-256, sha2-384, sha2-512, sha3-224, sha3-256, sha3-384, sha3-512';

function vectorRows(vectors: readonly HmacVector[]) {
  return vectors.flatMap((v) =>
    Object.entries(v.macs).map(([hash, mac]) => ({ source: v.source, hash, v, mac })),
  );
}

describe('published vectors', () => {
  test.each(vectorRows([...RFC4231_VECTORS, ...RFC2202_SHA1_VECTORS]))(
    '$source, $hash',
    ({ hash, v, mac }) => {
      const key = createSecretKey(hex(v.key));
      const data = hex(v.data);
      const got = hmacSign(key, data, hash);
      expect(got.toString('hex')).toBe(mac);
      expect(hmacVerify(key, data, hex(mac), hash)).toBe(true);
      expect(hmacVerify(key, data, flipBit(hex(mac), got.length - 1, 7), hash)).toBe(false);
      expect(hmacVerify(key, data, flipBit(hex(mac), 0, 0), hash)).toBe(false);
      expect(hmacVerify(key, Buffer.concat([data, Buffer.from([0])]), hex(mac), hash)).toBe(false);
      expect(hmacVerify(createSecretKey(flipBit(hex(v.key), 0)), data, hex(mac), hash)).toBe(false);
    },
  );

  test.each(Object.entries(RFC4231_TRUNCATED.macs))(
    'RFC 4231 test case 5, %s: the full MAC starts with the 128-bit published tag',
    (hash, truncated) => {
      const key = createSecretKey(hex(RFC4231_TRUNCATED.key));
      const data = hex(RFC4231_TRUNCATED.data);
      expect(hmacSign(key, data, hash).subarray(0, 16).toString('hex')).toBe(truncated);
      // Truncated tags are not accepted: verify compares the full length.
      expect(hmacVerify(key, data, hex(truncated), hash)).toBe(false);
    },
  );

  test('the default hash is sha2-256', () => {
    const v = RFC4231_VECTORS[0]!;
    const key = createSecretKey(hex(v.key));
    expect(hmacSign(key, hex(v.data)).toString('hex')).toBe(v.macs['sha2-256']);
    expect(hmacVerify(key, hex(v.data), hex(v.macs['sha2-256']!))).toBe(true);
  });
});

describe('all nine hashes against the openssl CLI', () => {
  const OUTPUT_BYTES: Readonly<Record<TestHashName, number>> = {
    sha1: 20,
    'sha2-224': 28,
    'sha2-256': 32,
    'sha2-384': 48,
    'sha2-512': 64,
    'sha3-224': 28,
    'sha3-256': 32,
    'sha3-384': 48,
    'sha3-512': 64,
  };
  let dir = '';
  beforeAll(() => {
    dir = makeTempDir();
  });
  afterAll(() => {
    removeTempDir(dir);
  });

  test('the engine accepts exactly these nine names', () => {
    expect([...HASH_ALGORITHM_NAMES].sort()).toEqual([...ALL_HASHES].sort());
  });

  // Key lengths below, at and above the SHA-3-224 (144-byte) and SHA-2 (64/128-byte) block sizes.
  test.each(ALL_HASHES.flatMap((h) => [16, 64, 200].map((keyLen) => [h, keyLen] as const)))(
    '%s with a %i-byte key',
    (hash, keyLen) => {
      const keyBytes = detBytes(`hmac-key-${hash}-${keyLen}`, keyLen);
      const data = detBytes(`hmac-data-${hash}`, 300);
      writeFiles(dir, { 'data.bin': data });
      const out = opensslOk(
        [
          'dgst',
          OPENSSL_DIGEST[hash],
          '-mac',
          'HMAC',
          '-macopt',
          `hexkey:${keyBytes.toString('hex')}`,
          join(dir, 'data.bin'),
        ],
        dir,
      );
      const expected = /=\s*([0-9a-f]+)\s*$/.exec(out)?.[1];
      expect(expected).toHaveLength(OUTPUT_BYTES[hash] * 2);
      const key = createSecretKey(keyBytes);
      expect(hmacSign(key, data, hash).toString('hex')).toBe(expected);
      expect(hmacVerify(key, data, hex(expected ?? ''), hash)).toBe(true);
    },
  );
});

describe('verify', () => {
  const key = createSecretKey(detBytes('verify-key', 32));
  const data = detBytes('verify-data', 50);

  test('returns false (never throws) for a MAC of the wrong length', () => {
    const mac = hmacSign(key, data, 'sha2-512');
    expect(hmacVerify(key, data, Buffer.alloc(0), 'sha2-512')).toBe(false);
    expect(hmacVerify(key, data, mac.subarray(0, 63), 'sha2-512')).toBe(false);
    expect(hmacVerify(key, data, Buffer.concat([mac, Buffer.from([0])]), 'sha2-512')).toBe(false);
  });

  test('a MAC under one hash does not verify under another of the same length', () => {
    const mac = hmacSign(key, data, 'sha2-256');
    expect(hmacVerify(key, data, mac, 'sha3-256')).toBe(false);
  });

  test('accepts Uint8Array views', () => {
    const backing = new Uint8Array(80);
    backing.set(data, 7);
    const view = backing.subarray(7, 57);
    expect(hmacSign(key, view)).toEqual(hmacSign(key, data));
    expect(hmacVerify(key, view, new Uint8Array(hmacSign(key, data)))).toBe(true);
  });
});

describe('errors', () => {
  const key = createSecretKey(detBytes('err-key', 32));
  const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });

  test.each<[string, KeyObject]>([
    ['a private key', ec.privateKey],
    ['a public key', ec.publicKey],
  ])('%s is ERR_INVALID_ARGUMENT', (_label, notSecret) => {
    const err = expectKeyplaneError(
      () => hmacSign(notSecret, Buffer.from('x')),
      'ERR_INVALID_ARGUMENT',
      'HMAC needs a secret key',
    );
    expect(err.field).toBe('key');
    expectKeyplaneError(
      () => hmacVerify(notSecret, Buffer.from('x'), Buffer.alloc(32)),
      'ERR_INVALID_ARGUMENT',
    );
  });

  test.each(['sha256', 'SHA2-256', 'md5', 'sha2_256', '', 'toString', '__proto__'])(
    "unknown hash '%s' is ERR_UNSUPPORTED_HASH_ALGORITHM naming the allowed values",
    (name) => {
      const err = expectKeyplaneError(
        () => hmacSign(key, Buffer.from('x'), name),
        'ERR_UNSUPPORTED_HASH_ALGORITHM',
        `hash_algorithm '${name}' is not supported; allowed: ${ALLOWED}`,
      );
      expect(err.allowed).toEqual(ALL_HASHES);
      expectKeyplaneError(
        () => hmacVerify(key, Buffer.from('x'), Buffer.alloc(32), name),
        'ERR_UNSUPPORTED_HASH_ALGORITHM',
      );
    },
  );
});
