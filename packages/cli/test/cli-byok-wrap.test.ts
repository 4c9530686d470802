/**
 * `keyplane byok wrap` end to end (the real executable), cross-checked with the openssl CLI:
 * every blob the CLI writes is unwrapped by openssl and must equal openssl's own PKCS#8 DER of
 * the key file (or the raw AES key).
 */
import { existsSync, readFileSync } from 'node:fs';
import { openssl, opensslPkcs8Der, opensslUnwrap } from '../../../test/support/openssl';
import { cliSandbox, type CliSandbox } from './support/cli';

let sandbox: CliSandbox;
const keyplane = (...args: string[]) => sandbox.run(...args);
const path = (name: string) => sandbox.path(name);

beforeAll(() => {
  sandbox = cliSandbox();
  for (const bits of [2048, 3072]) {
    const name = `kek${bits}`;
    openssl([
      'genpkey',
      '-algorithm',
      'RSA',
      '-pkeyopt',
      `rsa_keygen_bits:${bits}`,
      '-out',
      path(`${name}.pem`),
    ]);
    openssl(['pkey', '-in', path(`${name}.pem`), '-pubout', '-out', path(`${name}.pub.pem`)]);
    openssl([
      'pkey',
      '-in',
      path(`${name}.pem`),
      '-pubout',
      '-outform',
      'DER',
      '-out',
      path(`${name}.pub.der`),
    ]);
  }
});
afterAll(() => {
  sandbox.dispose();
});

describe('keyplane byok wrap (openssl unwraps what the CLI wrote)', () => {
  beforeAll(() => {
    for (const type of ['ecdsa-p256', 'rsa-2048', 'aes256-gcm96', 'ed25519']) {
      expect(keyplane('key', 'generate', '--type', type, '--out', path(type)).status).toBe(0);
    }
  });

  const expectedPlaintext = (type: string) =>
    type === 'aes256-gcm96' ? readFileSync(path(type)) : opensslPkcs8Der(path(type));

  it.each([
    [
      'aws',
      'RSA_AES_KEY_WRAP_SHA_256',
      'ecdsa-p256',
      'kek2048.pub.der',
      'sha256',
      'rsa-aes-key-wrap',
    ],
    ['aws', 'RSA_AES_KEY_WRAP_SHA_1', 'rsa-2048', 'kek2048.pub.der', 'sha1', 'rsa-aes-key-wrap'],
    ['aws', 'RSAES_OAEP_SHA_256', 'aes256-gcm96', 'kek2048.pub.der', 'sha256', 'rsa-oaep'],
    [
      'gcp',
      'RSA_OAEP_3072_SHA256_AES_256',
      'ed25519',
      'kek3072.pub.pem',
      'sha256',
      'rsa-aes-key-wrap',
    ],
    [
      'gcp',
      'RSA_OAEP_3072_SHA1_AES_256',
      'rsa-2048',
      'kek3072.pub.pem',
      'sha1',
      'rsa-aes-key-wrap',
    ],
    ['gcp', 'RSA_OAEP_3072_SHA256', 'aes256-gcm96', 'kek3072.pub.pem', 'sha256', 'rsa-oaep'],
  ] as const)('%s %s carries %s', (target, algorithm, type, kek, hash, scheme) => {
    const out = path(`${target}-${algorithm}-${type}.bin`);
    const r = keyplane(
      'byok',
      'wrap',
      '--target',
      target,
      '--algorithm',
      algorithm,
      '--wrapping-key',
      path(kek),
      '--key',
      path(type),
      '--out',
      out,
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const kekPrivate = readFileSync(path(kek.replace(/\.pub\.(pem|der)$/, '.pem')));
    expect(opensslUnwrap(readFileSync(out), kekPrivate, { scheme, hash })).toEqual(
      expectedPlaintext(type),
    );
  });

  it('azure writes the .byok JSON document whose ciphertext openssl unwraps with SHA-1', () => {
    const kid = 'https://keyplane-test.vault.azure.net/keys/kek/5f1b0c7e2a9d4e6f8a1b2c3d4e5f6a7b';
    const r = keyplane(
      'byok',
      'wrap',
      '--target',
      'azure',
      '--kid',
      kid,
      '--wrapping-key',
      path('kek2048.pub.pem'),
      '--key',
      path('rsa-2048'),
      '--out',
      path('rsa.byok'),
      '--json',
    );
    expect(r.status).toBe(0);
    const doc = JSON.parse(readFileSync(path('rsa.byok'), 'utf8')) as {
      schema_version: string;
      header: unknown;
      ciphertext: string;
      generator: string;
    };
    expect(doc.schema_version).toBe('1.0.0');
    expect(doc.header).toEqual({ kid, alg: 'dir', enc: 'CKM_RSA_AES_KEY_WRAP' });
    expect(doc.ciphertext).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(doc.generator).toMatch(/Keyplane/);
    const blob = Buffer.from(doc.ciphertext, 'base64url');
    expect(
      opensslUnwrap(blob, readFileSync(path('kek2048.pem')), {
        scheme: 'rsa-aes-key-wrap',
        hash: 'sha1',
      }),
    ).toEqual(expectedPlaintext('rsa-2048'));
    const meta = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(meta).toMatchObject({
      provider: 'azurekeyvault',
      kid,
      kty: 'RSA-HSM',
      azureService: 'vault',
      keyType: 'rsa-2048',
    });
    expect(meta).not.toHaveProperty('document');
    expect(meta).not.toHaveProperty('blob');
  });

  it('--json prints public metadata only', () => {
    const r = keyplane(
      'byok',
      'wrap',
      '--target',
      'aws',
      '--wrapping-key',
      path('kek2048.pub.pem'),
      '--key',
      path('aes256-gcm96'),
      '--out',
      path('meta.bin'),
      '--json',
    );
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      provider: 'awskms',
      algorithm: 'RSA_AES_KEY_WRAP_SHA_256',
      keyType: 'aes256-gcm96',
      cloudSpec: 'SYMMETRIC_DEFAULT',
      wrappingKeyBits: 2048,
      bytes: 256 + 40,
    });
    expect(r.stdout).not.toContain(readFileSync(path('aes256-gcm96')).toString('hex'));
  });

  it.each([
    [
      ['--target', 'azure'],
      'kid is required for Azure BYOK',
      'ERR_MISSING_PARAMETER',
      'kek2048.pub.pem',
      'rsa-2048',
    ],
    [
      ['--target', 'gcp', '--algorithm', 'RSA_OAEP_3072_SHA256'],
      "--key: key 'rsa-2048' is not supported with RSA_OAEP_3072_SHA256; allowed: aes256-gcm96",
      'ERR_UNSUPPORTED_KEY_TYPE',
      'kek3072.pub.pem',
      'rsa-2048',
    ],
    [
      ['--target', 'gcp'],
      "--wrapping-key: wrappingKey size '2048' is not supported for RSA_OAEP_3072_SHA256_AES_256 on gcpckms; allowed: 3072",
      'ERR_INVALID_WRAPPING_KEY',
      'kek2048.pub.pem',
      'ecdsa-p256',
    ],
    [
      ['--target', 'aws', '--algorithm', 'RSAES_OAEP_SHA_1'],
      "--key: key 'rsa-2048' is not supported with RSAES_OAEP_SHA_1",
      'ERR_UNSUPPORTED_KEY_TYPE',
      'kek2048.pub.der',
      'rsa-2048',
    ],
    [
      ['--target', 'aws', '--algorithm', 'AES_256'],
      "--algorithm: algorithm 'AES_256' is not supported for awskms",
      'ERR_UNSUPPORTED_WRAPPING_ALGORITHM',
      'kek2048.pub.der',
      'rsa-2048',
    ],
    [
      ['--target', 'aws', '--key-type', 'rsa-3072'],
      "key is rsa-2048, but type 'rsa-3072' was declared",
      'ERR_INVALID_KEY_MATERIAL',
      'kek2048.pub.der',
      'rsa-2048',
    ],
  ])('refuses %j with exit 2 and a message naming the flag', (args, message, code, kek, key) => {
    const out = path(`refused-${code}-${args.length}.bin`);
    const r = keyplane(
      'byok',
      'wrap',
      ...args,
      '--wrapping-key',
      path(kek),
      '--key',
      path(key),
      '--out',
      out,
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).toContain(`[${code}]`);
    expect(existsSync(out)).toBe(false);
  });
});
