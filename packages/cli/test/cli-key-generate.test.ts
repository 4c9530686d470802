/**
 * `keyplane key generate` end to end (the real executable), with openssl reading what it wrote,
 * and the CLI's usage contract: help, exit codes, one-line errors.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { openssl } from '../../../test/support/openssl';
import { cliSandbox, type CliSandbox } from './support/cli';

let sandbox: CliSandbox;
const keyplane = (...args: string[]) => sandbox.run(...args);
const path = (name: string) => sandbox.path(name);

beforeAll(() => {
  sandbox = cliSandbox();
});
afterAll(() => {
  sandbox.dispose();
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
    expect(readFileSync(out, 'utf8')).toMatch(/^-{5}BEGIN PRIVATE KEY-{5}\n/);
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
      path('nope.pem'),
      '--out',
      path('o.bin'),
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`error: --key ${path('nope.pem')}: no such file or directory\n`);
    expect(existsSync(path('o.bin'))).toBe(false);
  });
});
