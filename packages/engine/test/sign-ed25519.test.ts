/**
 * Ed25519 (pure EdDSA, message only): RFC 8032 §7.1 vectors, round trips checked by node:crypto,
 * refusals of digest input, of a hash option and of PSS.
 */
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  verify as nodeVerify,
} from 'node:crypto';
import { sign, verify } from '@keyplane/engine';
import { detBytes, flipBit, hex } from './crypto-helpers/bytes';
import { expectKeyplaneError } from './crypto-helpers/expect-error';
import {
  ED25519_PKCS8_PREFIX,
  ED25519_SPKI_PREFIX,
  RFC8032_ED25519_VECTORS,
} from './vectors/ed25519-rfc8032';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');

describe('RFC 8032 §7.1 vectors', () => {
  test.each(RFC8032_ED25519_VECTORS)('$source', (v) => {
    const key = createPrivateKey({
      key: hex(ED25519_PKCS8_PREFIX + v.secretKey),
      format: 'der',
      type: 'pkcs8',
    });
    const pub = createPublicKey({
      key: hex(ED25519_SPKI_PREFIX + v.publicKey),
      format: 'der',
      type: 'spki',
    });
    // The vector's public key is the one derived from its secret key.
    expect(createPublicKey(key).export({ format: 'der', type: 'spki' })).toEqual(
      pub.export({ format: 'der', type: 'spki' }),
    );
    const msg = hex(v.message);
    const sig = sign(key, msg);
    expect(sig.toString('hex')).toBe(v.signature);
    expect(verify(pub, msg, hex(v.signature))).toBe(true);
    expect(nodeVerify(null, msg, pub, sig)).toBe(true);
    expect(verify(pub, Buffer.concat([msg, Buffer.from([0])]), sig)).toBe(false);
  });
});

describe('round trips', () => {
  test.each([0, 1, 64, 1000])('%i-byte message', (len) => {
    const msg = detBytes(`ed25519-${len}`, len);
    const sig = sign(privateKey, msg);
    expect(sig.length).toBe(64);
    expect(verify(publicKey, msg, sig)).toBe(true);
    expect(verify(privateKey, msg, sig)).toBe(true);
    expect(nodeVerify(null, msg, publicKey, sig)).toBe(true);
    // deterministic (RFC 8032): same message, same signature
    expect(sign(privateKey, msg)).toEqual(sig);

    const wrong = Buffer.concat([msg, Buffer.from([1])]);
    expect(verify(publicKey, wrong, sig)).toBe(false);
    expect(nodeVerify(null, wrong, publicKey, sig)).toBe(false);
    for (const index of [0, 31, 32, 63]) {
      const bad = flipBit(sig, index, 2);
      expect(verify(publicKey, msg, bad)).toBe(false);
      expect(nodeVerify(null, msg, publicKey, bad)).toBe(false);
    }
  });

  test('malformed signatures return false, never throw', () => {
    const msg = Buffer.from('m');
    for (const bad of [
      Buffer.alloc(0),
      Buffer.alloc(63, 1),
      Buffer.alloc(65, 1),
      Buffer.alloc(64),
    ]) {
      expect(verify(publicKey, msg, bad)).toBe(false);
    }
  });

  test('a signature by another key does not verify', () => {
    const other = generateKeyPairSync('ed25519');
    const msg = Buffer.from('m');
    expect(verify(publicKey, msg, sign(other.privateKey, msg))).toBe(false);
  });
});

describe('refusals', () => {
  const digest = detBytes('a sha-512 digest', 64);
  const DIGEST_REFUSED =
    'ed25519 signs whole messages only (pure EdDSA); input must be message, not digest';

  test("input: 'digest' is ERR_UNSUPPORTED_OPERATION", () => {
    const err = expectKeyplaneError(
      () => sign(privateKey, digest, { input: 'digest' }),
      'ERR_UNSUPPORTED_OPERATION',
      DIGEST_REFUSED,
    );
    expect(err.field).toBe('input');
    expect(err.allowed).toEqual(['message']);
    expectKeyplaneError(
      () => verify(publicKey, digest, Buffer.alloc(64), { input: 'digest' }),
      'ERR_UNSUPPORTED_OPERATION',
      DIGEST_REFUSED,
    );
  });

  test.each(['sha2-512', 'sha2-256', 'md5'])(
    "hash '%s' is ERR_UNSUPPORTED_HASH_ALGORITHM",
    (hash) => {
      const err = expectKeyplaneError(
        () => sign(privateKey, Buffer.from('m'), { hash }),
        'ERR_UNSUPPORTED_HASH_ALGORITHM',
        `hash '${hash}' is not supported with ed25519; it hashes internally (omit hash)`,
      );
      expect(err.field).toBe('hash');
      expect(err.allowed).toEqual([]);
      expectKeyplaneError(
        () => verify(publicKey, Buffer.from('m'), Buffer.alloc(64), { hash }),
        'ERR_UNSUPPORTED_HASH_ALGORITHM',
      );
      expectKeyplaneError(
        () => sign(privateKey, digest, { hash, input: 'digest' }),
        'ERR_UNSUPPORTED_HASH_ALGORITHM',
      );
    },
  );

  test('pss is ERR_UNSUPPORTED_OPERATION', () => {
    expectKeyplaneError(
      () => sign(privateKey, Buffer.from('m'), { pss: true }),
      'ERR_UNSUPPORTED_OPERATION',
      'pss is only valid for RSA keys, not ed25519',
    );
  });
});
