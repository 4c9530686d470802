import { createDecipheriv } from 'node:crypto';
import { PassphraseSeal } from '@keyplane/engine';
import { openssl } from '../../../../test/support/openssl';

/** The error `fn` throws (fails the test when it does not throw). */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error');
}

const PASSPHRASE = 'correct horse battery staple';

describe('PassphraseSeal', () => {
  const seal = new PassphraseSeal(PASSPHRASE);

  it('round-trips and binds the context', () => {
    const blob = seal.seal(Buffer.from('1234'), 'managed-key:a');
    expect(blob).toMatch(/^kpseal1\.[\w-]+\.[\w-]+$/);
    expect(blob).not.toContain('1234');
    expect(seal.unseal(blob, 'managed-key:a').toString()).toBe('1234');
    expect(thrown(() => seal.unseal(blob, 'managed-key:b'))).toMatchObject({
      code: 'ERR_DECRYPTION_FAILED',
    });
  });

  it('refuses a wrong passphrase, a tampered blob and a malformed one', () => {
    const blob = seal.seal(Buffer.from('secret'), 'ctx');
    expect(
      thrown(() => new PassphraseSeal('another long passphrase').unseal(blob, 'ctx')),
    ).toMatchObject({ code: 'ERR_DECRYPTION_FAILED' });
    // The second-to-last character carries six bits of the tag (the last one may carry only
    // padding bits, so changing it can leave the bytes as they were).
    const tampered = blob.slice(0, -2) + (blob.at(-2) === 'A' ? 'B' : 'A') + blob.slice(-1);
    expect(tampered).not.toBe(blob);
    expect(thrown(() => seal.unseal(tampered, 'ctx'))).toMatchObject({
      code: 'ERR_DECRYPTION_FAILED',
    });
    expect(thrown(() => seal.unseal('kpseal1.only-two', 'ctx'))).toMatchObject({
      code: 'ERR_DECRYPTION_FAILED',
    });
  });

  it('refuses short passphrases and explains a missing one', () => {
    expect(thrown(() => new PassphraseSeal('short'))).toMatchObject({
      field: 'KEYPLANE_SEAL_PASSPHRASE',
    });
    expect(PassphraseSeal.fromEnv({})).toBeUndefined();
    expect(thrown(() => PassphraseSeal.require({}))).toMatchObject({
      code: 'ERR_MISSING_PARAMETER',
      field: 'KEYPLANE_SEAL_PASSPHRASE',
    });
  });

  it('is scrypt(N=2^15, r=8, p=1) + AES-256-GCM: openssl derives the same key, node decrypts with it', () => {
    const blob = seal.seal(Buffer.from('pin 9876'), 'ctx');
    const [, salt = '', sealed = ''] = blob.split('.');
    const saltHex = Buffer.from(salt, 'base64url').toString('hex');
    const keyHex = openssl([
      'kdf',
      '-keylen',
      '32',
      '-kdfopt',
      `pass:${PASSPHRASE}`,
      '-kdfopt',
      `hexsalt:${saltHex}`,
      '-kdfopt',
      'n:32768',
      '-kdfopt',
      'r:8',
      '-kdfopt',
      'p:1',
      '-kdfopt',
      'maxmem_bytes:67108864',
      'SCRYPT',
    ])
      .toString('utf8')
      .trim()
      .replace(/:/g, '');
    const bytes = Buffer.from(sealed, 'base64url');
    const decipher = createDecipheriv(
      'aes-256-gcm',
      Buffer.from(keyHex, 'hex'),
      bytes.subarray(0, 12),
    );
    decipher.setAAD(Buffer.from('ctx'));
    decipher.setAuthTag(bytes.subarray(bytes.length - 16));
    const plain = Buffer.concat([
      decipher.update(bytes.subarray(12, bytes.length - 16)),
      decipher.final(),
    ]);
    expect(plain.toString()).toBe('pin 9876');
  });
});
