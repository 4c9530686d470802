/**
 * PreparedHmacSha256 (the store's record MAC and audit HMAC, crypto/prepared-hmac.ts): the RFC
 * 4231 HMAC-SHA-256 vectors, and the openssl CLI for keys below, at and above the block size
 * with inputs on both sides of the one-shot limit (hashed behind the key block / streamed).
 */
import { join } from 'node:path';
import { PreparedHmacSha256 } from '@keyplane/engine/internal';
import { detBytes } from './crypto-helpers/bytes';
import { makeTempDir, opensslOk, removeTempDir, writeFiles } from './crypto-helpers/openssl-cli';
import { RFC4231_VECTORS } from './vectors/hmac-rfc4231-rfc2202';

it.each(RFC4231_VECTORS.map((v) => [v.source, v] as const))('%s', (_source, v) => {
  const hmac = new PreparedHmacSha256(Buffer.from(v.key, 'hex'));
  expect(hmac.hex(Buffer.from(v.data, 'hex'))).toBe(v.macs['sha2-256']);
});

describe('against openssl dgst -sha256 -mac HMAC', () => {
  let dir = '';
  beforeAll(() => {
    dir = makeTempDir();
  });
  afterAll(() => {
    removeTempDir(dir);
  });

  it.each(
    [16, 32, 64, 65, 200].flatMap((keyLen) =>
      [0, 256, 4096, 4097, 70_000].map((n) => [keyLen, n] as const),
    ),
  )('a %i-byte key over %i bytes', (keyLen, n) => {
    const key = detBytes(`prepared-hmac-key-${String(keyLen)}`, keyLen);
    const data = detBytes(`prepared-hmac-data-${String(n)}`, n);
    writeFiles(dir, { 'data.bin': data });
    const out = opensslOk(
      [
        'dgst',
        '-sha256',
        '-mac',
        'HMAC',
        '-macopt',
        `hexkey:${key.toString('hex')}`,
        join(dir, 'data.bin'),
      ],
      dir,
    );
    const expected = /=\s*([0-9a-f]{64})\s*$/.exec(out)?.[1];
    expect(expected).toHaveLength(64);
    const hmac = new PreparedHmacSha256(key);
    expect(hmac.hex(data)).toBe(expected);
    // The same bytes as a string are hashed as UTF-8, like Hmac.update(string).
    const text = data.toString('latin1');
    expect(hmac.hex(text)).toBe(new PreparedHmacSha256(key).hex(Buffer.from(text, 'utf8')));
  });
});

it('forgets its key on dispose', () => {
  const hmac = new PreparedHmacSha256(Buffer.alloc(32, 1));
  const before = hmac.hex('x');
  hmac.dispose();
  // Key and padded blocks are zeros now: nothing of the key is left to MAC with.
  expect(hmac.hex('x')).not.toBe(before);
});
