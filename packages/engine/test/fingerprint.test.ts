/**
 * publicKeyFingerprint cross-checked with the openssl CLI: for keys openssl generated itself,
 * `openssl pkey -pubout -outform DER | openssl dgst -sha256` gives the same digest, whether the
 * engine is handed the public key PEM, the RSA PUBLIC KEY form or a self-signed certificate.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isKeyplaneError, publicKeyFingerprint } from '@keyplane/engine';
import { makeTempDir, opensslOk, removeTempDir } from './crypto-helpers/openssl-cli';

let dir = '';
beforeAll(() => {
  dir = makeTempDir();
});
afterAll(() => {
  removeTempDir(dir);
});

const GENKEY: Readonly<Record<string, readonly string[]>> = {
  'ec-p256': ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'],
  'rsa-2048': ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'],
  ed25519: ['-algorithm', 'ED25519'],
};

describe.each(Object.keys(GENKEY))('%s key made by openssl', (name) => {
  let expected = '';
  beforeAll(() => {
    opensslOk(['genpkey', ...(GENKEY[name] ?? []), '-out', `${name}.key`], dir);
    opensslOk(['pkey', '-in', `${name}.key`, '-pubout', '-out', `${name}.pub.pem`], dir);
    opensslOk(
      ['pkey', '-in', `${name}.key`, '-pubout', '-outform', 'DER', '-out', `${name}.pub.der`],
      dir,
    );
    const dgst = opensslOk(['dgst', '-sha256', '-r', `${name}.pub.der`], dir);
    expected = `sha256:${dgst.split(' ')[0] ?? ''}`;
  });

  it('matches openssl for the PUBLIC KEY PEM and the DER', () => {
    expect(expected).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(publicKeyFingerprint(readFileSync(join(dir, `${name}.pub.pem`), 'utf8'))).toBe(expected);
    expect(publicKeyFingerprint(readFileSync(join(dir, `${name}.pub.der`)))).toBe(expected);
  });

  it('matches openssl for a certificate over the key', () => {
    opensslOk(
      [
        'req',
        '-new',
        '-x509',
        '-key',
        `${name}.key`,
        '-subj',
        '/CN=fp',
        '-days',
        '1',
        '-out',
        `${name}.crt`,
      ],
      dir,
    );
    expect(publicKeyFingerprint(readFileSync(join(dir, `${name}.crt`), 'utf8'))).toBe(expected);
  });

  it('fails on the private key, naming the field, without echoing it', () => {
    const pem = readFileSync(join(dir, `${name}.key`), 'utf8');
    let caught: unknown;
    try {
      publicKeyFingerprint(pem);
    } catch (e) {
      caught = e;
    }
    expect(isKeyplaneError(caught) && caught.code).toBe('ERR_INVALID_ARGUMENT');
    expect((caught as Error).message).toBe(
      'pem must be a public key or certificate PEM, not a private key',
    );
  });
});

it('accepts the PKCS#1 RSA PUBLIC KEY form', () => {
  opensslOk(
    ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'r.key'],
    dir,
  );
  opensslOk(['rsa', '-in', 'r.key', '-RSAPublicKey_out', '-out', 'r.pkcs1.pem'], dir);
  opensslOk(['pkey', '-in', 'r.key', '-pubout', '-outform', 'DER', '-out', 'r.der'], dir);
  const expected = `sha256:${createHash('sha256')
    .update(readFileSync(join(dir, 'r.der')))
    .digest('hex')}`;
  const pkcs1 = readFileSync(join(dir, 'r.pkcs1.pem'), 'utf8');
  expect(pkcs1).toContain('BEGIN RSA PUBLIC KEY');
  expect(publicKeyFingerprint(pkcs1)).toBe(expected);
});

it('fails on text that is not a key', () => {
  expect(() => publicKeyFingerprint('hello')).toThrow(
    'pem is not a public key: expected a PEM "PUBLIC KEY" (SPKI), "RSA PUBLIC KEY" or "CERTIFICATE" block',
  );
});
