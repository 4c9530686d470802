/**
 * End-to-end tests of the real `keyplane` executable (spawned with node, as a user runs it),
 * cross-checked with the openssl CLI: every blob the CLI writes is unwrapped by openssl and must
 * equal openssl's own PKCS#8 DER of the key file (or the raw AES key).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openssl, opensslPkcs8Der, opensslUnwrap } from '../../engine/test/support/openssl';

const BIN = resolve(__dirname, '../bin/keyplane.js');
let dir: string;

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function keyplane(...args: string[]): Run {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const path = (name: string) => join(dir, name);

beforeAll(() => {
  if (!existsSync(resolve(__dirname, '../dist/main.js'))) {
    throw new Error('packages/cli/dist is missing: run `npm run build` first (npm test does)');
  }
  dir = mkdtempSync(join(tmpdir(), 'keyplane-cli-'));
  for (const [name, bits] of [
    ['kek2048', 2048],
    ['kek3072', 3072],
  ] as const) {
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
  rmSync(dir, { recursive: true, force: true });
});

describe('keyplane key generate', () => {
  it.each([
    ['ecdsa-p256', /ASN1 OID: prime256v1/],
    ['ecdsa-p521', /ASN1 OID: secp521r1/],
    ['rsa-2048', /Private-Key: \(2048 bit/],
    ['ed25519', /ED25519 Private-Key/],
  ])('writes a %s PKCS#8 PEM that openssl reads as that key, mode 0600', (type, expected) => {
    const out = path(`gen-${type}.pem`);
    const r = keyplane('key', 'generate', '--type', type, '--out', out);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(readFileSync(out, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(openssl(['pkey', '-in', out, '-noout', '-text']).toString()).toMatch(expected);
  });

  it('writes aes256-gcm96 as 32 raw bytes and prints no key material', () => {
    const r = keyplane(
      'key',
      'generate',
      '--type',
      'aes256-gcm96',
      '--out',
      path('gen.aes'),
      '--json',
    );
    expect(r.status).toBe(0);
    const key = readFileSync(path('gen.aes'));
    expect(key).toHaveLength(32);
    expect(JSON.parse(r.stdout)).toEqual({
      type: 'aes256-gcm96',
      out: path('gen.aes'),
      format: 'raw',
    });
    expect(r.stdout).not.toContain(key.toString('hex'));
    expect(r.stdout).not.toContain(key.toString('base64'));
  });

  it('writes DER when asked, and openssl parses it as PKCS#8', () => {
    expect(
      keyplane(
        'key',
        'generate',
        '--type',
        'ecdsa-p384',
        '--format',
        'der',
        '--out',
        path('gen.der'),
      ).status,
    ).toBe(0);
    const der = readFileSync(path('gen.der'));
    expect(
      openssl([
        'pkcs8',
        '-topk8',
        '-nocrypt',
        '-inform',
        'DER',
        '-in',
        path('gen.der'),
        '-outform',
        'DER',
      ]),
    ).toEqual(der);
  });

  it('fails to overwrite an existing file and leaves it untouched', () => {
    writeFileSync(path('existing.pem'), 'precious');
    const r = keyplane('key', 'generate', '--type', 'ed25519', '--out', path('existing.pem'));
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      `error: --out ${path('existing.pem')}: already exists (refusing to overwrite; remove it or choose another path)\n`,
    );
    expect(readFileSync(path('existing.pem'), 'utf8')).toBe('precious');
  });

  it('fails with exit 2 on a type it does not know, naming the allowed values', () => {
    const r = keyplane('key', 'generate', '--type', 'rsa-1024', '--out', path('x.pem'));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      "error: --type 'rsa-1024' is not valid; allowed: aes256-gcm96, rsa-2048, rsa-3072, rsa-4096, ecdsa-p256, ecdsa-p384, ecdsa-p521, ed25519",
    );
    expect(existsSync(path('x.pem'))).toBe(false);
  });

  it('fails with exit 2 on a format that does not fit the type', () => {
    const r = keyplane(
      'key',
      'generate',
      '--type',
      'aes256-gcm96',
      '--format',
      'pem',
      '--out',
      path('y'),
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("--format 'pem' is not valid for aes256-gcm96; allowed: raw");
  });
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

describe('keyplane usage', () => {
  it('prints help with exit 0 at every level', () => {
    for (const args of [
      ['--help'],
      [],
      ['byok', '--help'],
      ['byok', 'wrap', '--help'],
      ['help', 'key', 'generate'],
    ]) {
      const r = keyplane(...args);
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/keyplane/i);
    }
    expect(keyplane('byok', 'wrap', '--help').stdout).toContain('RSA_OAEP_4096_SHA256_AES_256');
  });

  it.each([
    [['frobnicate'], "error: unknown command 'frobnicate'"],
    [['byok', 'wrap', '--bogus'], "error: Unknown option '--bogus'"],
    [['byok', 'wrap', '--target', 'aws'], 'error: missing required option --wrapping-key'],
    [
      ['byok', 'wrap', '--target', 'oracle', '--wrapping-key', 'k', '--key', 'k', '--out', 'o'],
      "error: --target 'oracle' is not valid; allowed: aws, azure, gcp",
    ],
  ])('exits 2 on %j', (args, message) => {
    const r = keyplane(...args);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it('exits 1 with a one-line message when an input file is missing', () => {
    const r = keyplane(
      'byok',
      'wrap',
      '--target',
      'aws',
      '--wrapping-key',
      path('nope.der'),
      '--key',
      path('rsa-2048'),
      '--out',
      path('o.bin'),
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`error: --wrapping-key ${path('nope.der')}: no such file or directory\n`);
  });
});
