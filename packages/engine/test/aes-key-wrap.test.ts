/**
 * AES Key Wrap (RFC 3394) and Key Wrap with Padding (RFC 5649): the published vectors, a sweep
 * against an independent reference implementation built on raw AES-ECB blocks, crafted RFC 5649
 * blobs with a bad length indicator / padding, tampering, and argument errors.
 */
import { createCipheriv } from 'node:crypto';
import {
  RFC3394_IV,
  RFC5649_AIV,
  aesKeyUnwrap,
  aesKeyWrap,
  type KeyWrapMode,
} from '@keyplane/engine';
import { detBytes, flipBit, hex } from './crypto-helpers/bytes';
import { expectKeyplaneError } from './crypto-helpers/expect-error';
import { RFC3394_VECTORS, RFC5649_VECTORS } from './vectors/aes-key-wrap-rfc3394-rfc5649';

const DECRYPTION_FAILED = 'decryption failed: wrong key or corrupted ciphertext';

// ---- Reference implementation (RFC 3394 §2.2.1 index form, RFC 5649 §4.1) over AES-ECB ----

/** The RFCs' constants, typed here rather than read from the engine. */
const DEFAULT_IV = hex('a6a6a6a6a6a6a6a6');
const AIV_PREFIX = hex('a65959a6');

function aesBlock(kek: Buffer, block: Buffer): Buffer {
  const cipher = createCipheriv(`aes-${kek.length * 8}-ecb`, kek, null);
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(block), cipher.final()]);
}

/** W(): wraps n ≥ 2 64-bit blocks under the 64-bit initial value `iv`. */
function referenceWrapBlocks(kek: Buffer, iv: Buffer, plaintext: Buffer): Buffer {
  const n = plaintext.length / 8;
  let a: Buffer = Buffer.from(iv);
  const r: Buffer[] = Array.from({ length: n }, (_, i) =>
    Buffer.from(plaintext.subarray(8 * i, 8 * i + 8)),
  );
  for (let j = 0; j <= 5; j++) {
    for (let i = 0; i < n; i++) {
      const b = aesBlock(kek, Buffer.concat([a, r[i]!]));
      a = Buffer.alloc(8);
      a.writeBigUInt64BE(b.readBigUInt64BE(0) ^ BigInt(n * j + i + 1));
      r[i] = b.subarray(8);
    }
  }
  return Buffer.concat([a, ...r]);
}

/** RFC 5649 wrap with an explicit length indicator and padding (for crafting bad blobs). */
function referenceWrapPadRaw(kek: Buffer, mli: number, padded: Buffer): Buffer {
  const aiv = Buffer.concat([AIV_PREFIX, Buffer.alloc(4)]);
  aiv.writeUInt32BE(mli, 4);
  return padded.length === 8
    ? aesBlock(kek, Buffer.concat([aiv, padded]))
    : referenceWrapBlocks(kek, aiv, padded);
}

function referenceWrapPad(kek: Buffer, plaintext: Buffer): Buffer {
  const padded = Buffer.concat([plaintext, Buffer.alloc((8 - (plaintext.length % 8)) % 8)]);
  return referenceWrapPadRaw(kek, plaintext.length, padded);
}

// ---- Published vectors ----

function expectEveryBitFlipRefused(kek: Buffer, wrapped: Buffer, mode: KeyWrapMode): void {
  for (let i = 0; i < wrapped.length; i++) {
    const tampered = flipBit(wrapped, i, i % 8);
    expectKeyplaneError(
      () => aesKeyUnwrap(kek, tampered, mode),
      'ERR_DECRYPTION_FAILED',
      DECRYPTION_FAILED,
    );
  }
}

describe('RFC 3394 §4 vectors', () => {
  test.each(RFC3394_VECTORS)('$source', (v) => {
    const kek = hex(v.kek);
    const keyData = hex(v.keyData);
    const wrapped = hex(v.wrapped);
    expect(aesKeyWrap(kek, keyData, 'rfc3394').toString('hex')).toBe(v.wrapped);
    expect(aesKeyUnwrap(kek, wrapped, 'rfc3394')).toEqual(keyData);
    // The reference implementation must reproduce the RFC before it may judge the sweep below.
    expect(referenceWrapBlocks(kek, DEFAULT_IV, keyData).toString('hex')).toBe(v.wrapped);
    expectEveryBitFlipRefused(kek, wrapped, 'rfc3394');
  });
});

describe('RFC 5649 §6 vectors', () => {
  test.each(RFC5649_VECTORS)('$source', (v) => {
    const kek = hex(v.kek);
    const keyData = hex(v.keyData);
    const wrapped = hex(v.wrapped);
    expect(aesKeyWrap(kek, keyData, 'rfc5649').toString('hex')).toBe(v.wrapped);
    expect(aesKeyWrap(kek, keyData).toString('hex')).toBe(v.wrapped); // default mode
    expect(aesKeyUnwrap(kek, wrapped, 'rfc5649')).toEqual(keyData);
    expect(aesKeyUnwrap(kek, wrapped)).toEqual(keyData);
    expect(referenceWrapPad(kek, keyData).toString('hex')).toBe(v.wrapped);
    expectEveryBitFlipRefused(kek, wrapped, 'rfc5649');
  });

  test('exported initial values are the RFC constants', () => {
    expect(RFC3394_IV).toEqual(DEFAULT_IV);
    expect(RFC5649_AIV).toEqual(AIV_PREFIX);
  });
});

// ---- Sweep against the reference ----

describe.each([16, 24, 32])('%i-byte KEK matches the reference implementation', (kekBytes) => {
  const kek = detBytes(`kek-${kekBytes}`, kekBytes);

  test('RFC 5649 for every length 1..72', () => {
    for (let len = 1; len <= 72; len++) {
      const plaintext = detBytes(`kwp-${kekBytes}-${len}`, len);
      const wrapped = aesKeyWrap(kek, plaintext, 'rfc5649');
      expect(wrapped.length).toBe(8 + Math.ceil(len / 8) * 8);
      expect(wrapped).toEqual(referenceWrapPad(kek, plaintext));
      expect(aesKeyUnwrap(kek, wrapped, 'rfc5649')).toEqual(plaintext);
    }
  });

  test('RFC 3394 for every multiple of 8 from 16 to 72', () => {
    for (let len = 16; len <= 72; len += 8) {
      const plaintext = detBytes(`kw-${kekBytes}-${len}`, len);
      const wrapped = aesKeyWrap(kek, plaintext, 'rfc3394');
      expect(wrapped).toEqual(referenceWrapBlocks(kek, DEFAULT_IV, plaintext));
      expect(aesKeyUnwrap(kek, wrapped, 'rfc3394')).toEqual(plaintext);
    }
  });
});

test('accepts Uint8Array views that do not start at offset 0', () => {
  const backing = new Uint8Array(64);
  backing.set(detBytes('view-kek', 32), 3);
  backing.set(detBytes('view-data', 20), 40);
  const kek = backing.subarray(3, 35);
  const data = backing.subarray(40, 60);
  const wrapped = aesKeyWrap(kek, data);
  expect(wrapped).toEqual(referenceWrapPad(Buffer.from(kek), Buffer.from(data)));
  expect(aesKeyUnwrap(kek, new Uint8Array(wrapped))).toEqual(Buffer.from(data));
});

// ---- RFC 5649 §3 integrity checks on the length indicator and padding ----

describe('RFC 5649 unwrap refuses a correctly encrypted blob with a bad AIV', () => {
  const kek = detBytes('aiv-kek', 32);
  const five = Buffer.concat([detBytes('five', 5), Buffer.alloc(3)]);

  test('control: a crafted blob with a valid MLI and zero padding unwraps', () => {
    expect(aesKeyUnwrap(kek, referenceWrapPadRaw(kek, 5, five))).toEqual(five.subarray(0, 5));
    const twenty = Buffer.concat([detBytes('twenty', 20), Buffer.alloc(4)]);
    const wrapped = referenceWrapPadRaw(kek, 20, twenty);
    expect(aesKeyUnwrap(kek, wrapped)).toEqual(twenty.subarray(0, 20));
  });

  test.each([
    ['MLI 0', 0, five],
    ['MLI larger than the data (9 > 8)', 9, five],
    ['non-zero padding octets', 5, Buffer.concat([detBytes('five', 5), Buffer.from([0, 1, 0])])],
    ['MLI too small for the block count (16 of 24)', 16, detBytes('24', 24)],
    ['MLI 0 on a multi-block blob', 0, detBytes('24', 24)],
  ])('%s', (_label, mli, padded) => {
    const wrapped = referenceWrapPadRaw(kek, mli, padded);
    expectKeyplaneError(() => aesKeyUnwrap(kek, wrapped), 'ERR_DECRYPTION_FAILED');
  });

  test('an RFC 3394 IV is not an RFC 5649 AIV (and vice versa)', () => {
    const data = detBytes('iv-swap', 16);
    const kw = aesKeyWrap(kek, data, 'rfc3394');
    const kwp = aesKeyWrap(kek, data, 'rfc5649');
    expectKeyplaneError(() => aesKeyUnwrap(kek, kw, 'rfc5649'), 'ERR_DECRYPTION_FAILED');
    expectKeyplaneError(() => aesKeyUnwrap(kek, kwp, 'rfc3394'), 'ERR_DECRYPTION_FAILED');
  });
});

// ---- Failures ----

describe('unwrap failures are ERR_DECRYPTION_FAILED with no detail', () => {
  const kek = detBytes('fail-kek', 32);
  const data = detBytes('fail-data', 32);

  test('wrong KEK', () => {
    for (const mode of ['rfc3394', 'rfc5649'] as const) {
      const wrapped = aesKeyWrap(kek, data, mode);
      const err = expectKeyplaneError(
        () => aesKeyUnwrap(detBytes('other-kek', 32), wrapped, mode),
        'ERR_DECRYPTION_FAILED',
        DECRYPTION_FAILED,
      );
      expect(err.message).not.toContain(data.toString('hex'));
    }
  });

  test.each([0, 8, 15, 17, 23])('wrapped input of %i bytes', (len) => {
    for (const mode of ['rfc3394', 'rfc5649'] as const) {
      expectKeyplaneError(
        () => aesKeyUnwrap(kek, detBytes('short', len), mode),
        'ERR_DECRYPTION_FAILED',
        DECRYPTION_FAILED,
      );
    }
  });

  test('RFC 3394 unwrap of a single-block (16-byte) input', () => {
    const oneBlock = aesKeyWrap(kek, detBytes('one', 8), 'rfc5649');
    expect(oneBlock.length).toBe(16);
    expectKeyplaneError(() => aesKeyUnwrap(kek, oneBlock, 'rfc3394'), 'ERR_DECRYPTION_FAILED');
  });

  test('a truncated or extended blob', () => {
    const wrapped = aesKeyWrap(kek, data);
    const truncated = wrapped.subarray(0, wrapped.length - 8);
    const extended = Buffer.concat([wrapped, Buffer.alloc(8)]);
    expectKeyplaneError(() => aesKeyUnwrap(kek, truncated), 'ERR_DECRYPTION_FAILED');
    expectKeyplaneError(() => aesKeyUnwrap(kek, extended), 'ERR_DECRYPTION_FAILED');
  });
});

describe('argument errors are ERR_INVALID_ARGUMENT', () => {
  test.each([0, 8, 15, 20, 33, 64])('KEK of %i bytes', (len) => {
    const kek = Buffer.alloc(len, 1);
    const err = expectKeyplaneError(
      () => aesKeyWrap(kek, Buffer.alloc(16)),
      'ERR_INVALID_ARGUMENT',
      `kek length ${len} bytes is not supported; allowed: 16, 24, 32`,
    );
    expect(err.field).toBe('kek');
    expect(err.allowed).toEqual(['16', '24', '32']);
    expectKeyplaneError(() => aesKeyUnwrap(kek, Buffer.alloc(24)), 'ERR_INVALID_ARGUMENT');
  });

  test.each([0, 1, 8, 15, 17, 31])('RFC 3394 plaintext of %i bytes', (len) => {
    const err = expectKeyplaneError(
      () => aesKeyWrap(Buffer.alloc(32), Buffer.alloc(len), 'rfc3394'),
      'ERR_INVALID_ARGUMENT',
      `plaintext length ${len} is not valid for RFC 3394 (multiple of 8, at least 16); use RFC 5649`,
    );
    expect(err.field).toBe('plaintext');
  });

  test('RFC 5649 empty plaintext', () => {
    expectKeyplaneError(
      () => aesKeyWrap(Buffer.alloc(32), Buffer.alloc(0)),
      'ERR_INVALID_ARGUMENT',
      'plaintext must not be empty',
    );
  });
});
