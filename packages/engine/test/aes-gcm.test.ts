/**
 * AES-256-GCM (`aes256-gcm96`): round trips, the sealed layout nonce(12) ‖ ciphertext ‖ tag(16)
 * checked by decrypting with node:crypto directly, the GCM spec's published vectors fed through
 * the engine's decrypt, nonce freshness, AAD / tamper / truncation failures and key-size errors.
 */
import {
  createCipheriv,
  createDecipheriv,
  createSecretKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import { aesGcmDecrypt, aesGcmEncrypt } from '@keyplane/engine';
import { detBytes, flipBit, hex } from './crypto-helpers/bytes';
import { expectKeyplaneError } from './crypto-helpers/expect-error';
import { GCM_SPEC_VECTORS } from './vectors/aes-gcm-spec';

const DECRYPTION_FAILED = 'decryption failed: wrong key or corrupted ciphertext';
const BAD_KEY = 'key must be a 32-byte AES-256 secret key';

const keyBytes = detBytes('gcm-key', 32);
const key = createSecretKey(keyBytes);

/** Opens `nonce(12) ‖ ct ‖ tag(16)` with node:crypto alone (the layout contract). */
function nodeOpen(sealed: Buffer, aad?: Buffer): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', keyBytes, sealed.subarray(0, 12), {
    authTagLength: 16,
  });
  if (aad !== undefined) decipher.setAAD(aad);
  decipher.setAuthTag(sealed.subarray(sealed.length - 16));
  return Buffer.concat([
    decipher.update(sealed.subarray(12, sealed.length - 16)),
    decipher.final(),
  ]);
}

describe('round trip and layout', () => {
  test.each([0, 1, 15, 16, 17, 64, 1000])('%i-byte plaintext, with and without AAD', (len) => {
    const plaintext = detBytes(`pt-${len}`, len);
    const aad = detBytes(`aad-${len}`, 20);
    for (const a of [undefined, aad]) {
      const sealed = aesGcmEncrypt(key, plaintext, a);
      expect(sealed.length).toBe(12 + len + 16);
      expect(aesGcmDecrypt(key, sealed, a)).toEqual(plaintext);
      expect(nodeOpen(sealed, a)).toEqual(plaintext);
    }
  });

  test('the body is plain AES-256-CTR keystream output under the sealed nonce', () => {
    // GCM encrypts with counter blocks nonce ‖ 00000002, 00000003, …: check ct = pt ⊕ keystream.
    const plaintext = detBytes('ctr', 40);
    const sealed = aesGcmEncrypt(key, plaintext);
    const counter = Buffer.concat([sealed.subarray(0, 12), Buffer.from([0, 0, 0, 2])]);
    const ctr = createCipheriv('aes-256-ctr', keyBytes, counter);
    const expected = Buffer.concat([ctr.update(plaintext), ctr.final()]);
    expect(sealed.subarray(12, 12 + 40)).toEqual(expected);
  });

  test('every encryption draws a fresh nonce', () => {
    const plaintext = Buffer.from('same plaintext every time');
    const nonces = new Set<string>();
    const bodies = new Set<string>();
    for (let i = 0; i < 64; i++) {
      const sealed = aesGcmEncrypt(key, plaintext);
      nonces.add(sealed.subarray(0, 12).toString('hex'));
      bodies.add(sealed.subarray(12).toString('hex'));
    }
    expect(nonces.size).toBe(64);
    expect(bodies.size).toBe(64);
  });

  test('accepts Uint8Array views that do not start at offset 0', () => {
    const plaintext = detBytes('view-pt', 33);
    const aad = detBytes('view-aad', 9);
    const sealed = aesGcmEncrypt(key, new Uint8Array(plaintext), new Uint8Array(aad));
    const backing = new Uint8Array(sealed.length + 11);
    backing.set(sealed, 5);
    const aadBacking = new Uint8Array(20);
    aadBacking.set(aad, 4);
    const opened = aesGcmDecrypt(
      key,
      backing.subarray(5, 5 + sealed.length),
      aadBacking.subarray(4, 13),
    );
    expect(opened).toEqual(plaintext);
  });

  test('an empty AAD is the same as no AAD (GCM authenticates zero bytes either way)', () => {
    const sealed = aesGcmEncrypt(key, Buffer.from('x'), Buffer.alloc(0));
    expect(aesGcmDecrypt(key, sealed)).toEqual(Buffer.from('x'));
  });
});

describe('GCM spec vectors through the engine decrypt', () => {
  test.each(GCM_SPEC_VECTORS)('$source', (v) => {
    const vkey = createSecretKey(hex(v.key));
    const sealed = Buffer.concat([hex(v.iv), hex(v.ciphertext), hex(v.tag)]);
    const aad = v.aad === '' ? undefined : hex(v.aad);
    expect(aesGcmDecrypt(vkey, sealed, aad).toString('hex')).toBe(v.plaintext);
    expectKeyplaneError(
      () => aesGcmDecrypt(vkey, flipBit(sealed, sealed.length - 1), aad),
      'ERR_DECRYPTION_FAILED',
      DECRYPTION_FAILED,
    );
    if (aad !== undefined) {
      expectKeyplaneError(() => aesGcmDecrypt(vkey, sealed), 'ERR_DECRYPTION_FAILED');
    }
  });
});

describe('authentication failures are ERR_DECRYPTION_FAILED', () => {
  const plaintext = detBytes('auth-pt', 5);
  const aad = Buffer.from('tenant=a; key=k1');
  const sealed = aesGcmEncrypt(key, plaintext, aad);

  test('AAD mismatch, missing AAD, unexpected AAD', () => {
    const err = expectKeyplaneError(
      () => aesGcmDecrypt(key, sealed, Buffer.from('tenant=b; key=k1')),
      'ERR_DECRYPTION_FAILED',
      DECRYPTION_FAILED,
    );
    expect(err.message).not.toContain(plaintext.toString('hex'));
    expectKeyplaneError(() => aesGcmDecrypt(key, sealed), 'ERR_DECRYPTION_FAILED');
    const noAad = aesGcmEncrypt(key, plaintext);
    expectKeyplaneError(() => aesGcmDecrypt(key, noAad, aad), 'ERR_DECRYPTION_FAILED');
  });

  test('a flipped bit anywhere (nonce, ciphertext, tag)', () => {
    expect(sealed.length).toBe(12 + 5 + 16);
    for (let i = 0; i < sealed.length; i++) {
      expectKeyplaneError(
        () => aesGcmDecrypt(key, flipBit(sealed, i, i % 8), aad),
        'ERR_DECRYPTION_FAILED',
        DECRYPTION_FAILED,
      );
    }
  });

  test('truncated, extended, too short for nonce + tag', () => {
    for (const bad of [
      sealed.subarray(0, sealed.length - 1),
      Buffer.concat([sealed, Buffer.from([0])]),
      sealed.subarray(0, 27),
      Buffer.alloc(0),
      Buffer.alloc(28),
    ]) {
      expectKeyplaneError(
        () => aesGcmDecrypt(key, bad, aad),
        'ERR_DECRYPTION_FAILED',
        DECRYPTION_FAILED,
      );
    }
  });

  test('wrong key', () => {
    const other = createSecretKey(detBytes('other-gcm-key', 32));
    expectKeyplaneError(() => aesGcmDecrypt(other, sealed, aad), 'ERR_DECRYPTION_FAILED');
  });
});

describe('key errors are ERR_INVALID_ARGUMENT', () => {
  const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  test.each<[string, KeyObject]>([
    ['16-byte secret', createSecretKey(Buffer.alloc(16, 1))],
    ['24-byte secret', createSecretKey(Buffer.alloc(24, 1))],
    ['31-byte secret', createSecretKey(Buffer.alloc(31, 1))],
    ['33-byte secret', createSecretKey(Buffer.alloc(33, 1))],
    ['EC private key', ec.privateKey],
    ['EC public key', ec.publicKey],
  ])('%s', (_label, badKey) => {
    const err = expectKeyplaneError(
      () => aesGcmEncrypt(badKey, Buffer.from('x')),
      'ERR_INVALID_ARGUMENT',
      BAD_KEY,
    );
    expect(err.field).toBe('key');
    expectKeyplaneError(
      () => aesGcmDecrypt(badKey, Buffer.alloc(40)),
      'ERR_INVALID_ARGUMENT',
      BAD_KEY,
    );
  });
});
