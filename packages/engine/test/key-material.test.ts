/**
 * Key material: generation for every key type (checked via node KeyObject fields), import of
 * PKCS#8 PEM/DER, PKCS#1 and SEC1 PEM and raw AES keys, keys made by the openssl CLI, refusals
 * (unsupported sizes and curves, public keys, garbage) whose messages never echo key bytes,
 * declared-type mismatches, and PKCS#8 PEM export checked against node and `openssl pkey`.
 */
import { createPublicKey, createSecretKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  KEY_TYPE_NAMES,
  exportPkcs8Pem,
  exportPlaintext,
  generateKeyMaterial,
  importKeyMaterial,
  keyMaterialFromKeyObject,
  keyTypeOf,
  publicKeyOf,
  type KeyMaterial,
} from '@keyplane/engine';
import { detBytes } from './crypto-helpers/bytes';
import { expectKeyplaneError, expectNoSecretInError } from './crypto-helpers/expect-error';
import {
  makeTempDir,
  openssl,
  opensslOk,
  removeTempDir,
  writeFiles,
} from './crypto-helpers/openssl-cli';

const ALLOWED_TYPES =
  'aes256-gcm96, rsa-2048, rsa-3072, rsa-4096, ecdsa-p256, ecdsa-p384, ecdsa-p521, ed25519';

/** What node must report for each type, typed here (not read from the engine's table). */
const EXPECTED = {
  'aes256-gcm96': { keyType: 'secret', symmetricKeySize: 32 },
  'rsa-2048': { keyType: 'private', asymmetric: 'rsa', modulusLength: 2048 },
  'rsa-3072': { keyType: 'private', asymmetric: 'rsa', modulusLength: 3072 },
  'rsa-4096': { keyType: 'private', asymmetric: 'rsa', modulusLength: 4096 },
  'ecdsa-p256': { keyType: 'private', asymmetric: 'ec', namedCurve: 'prime256v1' },
  'ecdsa-p384': { keyType: 'private', asymmetric: 'ec', namedCurve: 'secp384r1' },
  'ecdsa-p521': { keyType: 'private', asymmetric: 'ec', namedCurve: 'secp521r1' },
  ed25519: { keyType: 'private', asymmetric: 'ed25519' },
} as const;
type Name = keyof typeof EXPECTED;
const NAMES = Object.keys(EXPECTED) as Name[];
const ASYMMETRIC = NAMES.filter((n) => n !== 'aes256-gcm96');

const generated = new Map<Name, KeyMaterial>();
let dir = '';
beforeAll(() => {
  dir = makeTempDir();
  for (const name of NAMES) generated.set(name, generateKeyMaterial(name));
}, 60_000);
afterAll(() => {
  removeTempDir(dir);
});
function material(name: Name): KeyMaterial {
  const m = generated.get(name);
  if (m === undefined) throw new Error(`no ${name}`);
  return m;
}
const pkcs8Der = (k: KeyObject) => k.export({ format: 'der', type: 'pkcs8' });
const pkcs8Pem = (k: KeyObject) => Buffer.from(k.export({ format: 'pem', type: 'pkcs8' }));
const spkiPem = (k: KeyObject) => createPublicKey(k).export({ format: 'pem', type: 'spki' });

describe('generateKeyMaterial', () => {
  test('KEY_TYPE_NAMES lists exactly the eight key types', () => {
    expect(KEY_TYPE_NAMES).toEqual(NAMES);
  });

  test.each(NAMES)('%s', (name) => {
    const m = material(name);
    const want = EXPECTED[name];
    expect(m.type.name).toBe(name);
    expect(m.key.type).toBe(want.keyType);
    if ('symmetricKeySize' in want) {
      expect(m.key.symmetricKeySize).toBe(want.symmetricKeySize);
    } else {
      expect(m.key.asymmetricKeyType).toBe(want.asymmetric);
      const details = m.key.asymmetricKeyDetails;
      if ('modulusLength' in want) {
        expect(details?.modulusLength).toBe(want.modulusLength);
        expect(details?.publicExponent).toBe(65537n);
      }
      if ('namedCurve' in want) expect(details?.namedCurve).toBe(want.namedCurve);
      expect(keyTypeOf(createPublicKey(m.key)).name).toBe(name);
    }
    expect(keyTypeOf(m.key).name).toBe(name);
  });

  test('fresh material every call', () => {
    const a = exportPlaintext(generateKeyMaterial('aes256-gcm96'), 'raw');
    const b = exportPlaintext(generateKeyMaterial('aes256-gcm96'), 'raw');
    expect(a).not.toEqual(b);
  });

  test('an unknown type name is ERR_UNSUPPORTED_KEY_TYPE', () => {
    const err = expectKeyplaneError(
      () => generateKeyMaterial('rsa-1024'),
      'ERR_UNSUPPORTED_KEY_TYPE',
      `type 'rsa-1024' is not supported; allowed: ${ALLOWED_TYPES}`,
    );
    expect(err.field).toBe('type');
    expect(err.allowed).toEqual(NAMES);
  });
});

describe('importKeyMaterial: formats', () => {
  test.each(ASYMMETRIC)('%s from PKCS#8 PEM and PKCS#8 DER', (name) => {
    const { key } = material(name);
    for (const bytes of [pkcs8Pem(key), pkcs8Der(key)]) {
      const imported = importKeyMaterial(bytes);
      expect(imported.type.name).toBe(name);
      expect(imported.key.type).toBe('private');
      expect(pkcs8Der(imported.key)).toEqual(pkcs8Der(key));
    }
  });

  test('PKCS#1 "RSA PRIVATE KEY" PEM', () => {
    const { key } = material('rsa-2048');
    const pem = Buffer.from(key.export({ format: 'pem', type: 'pkcs1' }));
    expect(pem.toString()).toMatch(/^-{5}BEGIN RSA PRIVATE KEY-{5}\n/);
    const imported = importKeyMaterial(pem);
    expect(imported.type.name).toBe('rsa-2048');
    expect(pkcs8Der(imported.key)).toEqual(pkcs8Der(key));
  });

  test('SEC1 "EC PRIVATE KEY" PEM', () => {
    const { key } = material('ecdsa-p256');
    const pem = Buffer.from(key.export({ format: 'pem', type: 'sec1' }));
    expect(pem.toString()).toMatch(/^-{5}BEGIN EC PRIVATE KEY-{5}\n/);
    expect(importKeyMaterial(pem).type.name).toBe('ecdsa-p256');
  });

  test('raw 32-byte AES key (even one that starts like DER) and the input is left intact', () => {
    for (const raw of [detBytes('raw aes', 32), Buffer.alloc(32, 0x30)]) {
      const copy = Buffer.from(raw);
      const imported = importKeyMaterial(raw);
      expect(imported.type.name).toBe('aes256-gcm96');
      expect(imported.key.export()).toEqual(copy);
      expect(raw).toEqual(copy);
      expect(importKeyMaterial(raw, 'aes256-gcm96').type.name).toBe('aes256-gcm96');
    }
  });

  test.each([
    [
      'EC P-384 (genpkey)',
      ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384'],
      'ecdsa-p384',
    ],
    [
      'EC P-521 (genpkey)',
      ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-521'],
      'ecdsa-p521',
    ],
    ['Ed25519 (genpkey)', ['genpkey', '-algorithm', 'ed25519'], 'ed25519'],
    ['RSA 3072 (genrsa, PKCS#8)', ['genrsa', '3072'], 'rsa-3072'],
    ['RSA 2048 (genrsa -traditional, PKCS#1)', ['genrsa', '-traditional', '2048'], 'rsa-2048'],
    [
      'EC P-256 (ecparam -genkey, SEC1)',
      ['ecparam', '-name', 'prime256v1', '-genkey', '-noout'],
      'ecdsa-p256',
    ],
  ])('keys made by the openssl CLI: %s', (_label, args, name) => {
    const [command = '', ...rest] = args;
    opensslOk([command, '-out', 'cli.pem', ...rest], dir); // genrsa wants the size last
    const pem = readFileSync(join(dir, 'cli.pem'));
    const imported = importKeyMaterial(pem);
    expect(imported.type.name).toBe(name);
    // Same key as openssl's: identical public key, and the PKCS#8 DER form imports too.
    expect(spkiPem(imported.key)).toBe(opensslOk(['pkey', '-in', 'cli.pem', '-pubout'], dir));
    opensslOk(
      ['pkcs8', '-topk8', '-nocrypt', '-in', 'cli.pem', '-outform', 'DER', '-out', 'cli.der'],
      dir,
    );
    expect(importKeyMaterial(readFileSync(join(dir, 'cli.der')), name).type.name).toBe(name);
  });
});

describe('importKeyMaterial: refusals never echo key bytes', () => {
  test.each([
    [
      'RSA-1024',
      () => generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey,
      'rsa 1024 key',
    ],
    ['Ed448', () => generateKeyPairSync('ed448').privateKey, 'ed448 key'],
  ])('%s is ERR_UNSUPPORTED_KEY_TYPE', (_label, make, described) => {
    const key = make();
    for (const bytes of [pkcs8Pem(key), pkcs8Der(key)]) {
      const err = expectKeyplaneError(
        () => importKeyMaterial(bytes),
        'ERR_UNSUPPORTED_KEY_TYPE',
        `key '${described}' is not supported; allowed: ${ALLOWED_TYPES}`,
      );
      expect(err.allowed).toEqual(NAMES);
      expectNoSecretInError(err, pkcs8Der(key));
    }
  });

  test('secp256k1 from the openssl CLI is ERR_UNSUPPORTED_KEY_TYPE', () => {
    opensslOk(
      ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:secp256k1', '-out', 'k1.pem'],
      dir,
    );
    const pem = readFileSync(join(dir, 'k1.pem'));
    const err = expectKeyplaneError(
      () => importKeyMaterial(pem),
      'ERR_UNSUPPORTED_KEY_TYPE',
      `key 'ec secp256k1 key' is not supported; allowed: ${ALLOWED_TYPES}`,
    );
    opensslOk(['pkey', '-in', 'k1.pem', '-outform', 'DER', '-out', 'k1.der'], dir);
    expectNoSecretInError(err, readFileSync(join(dir, 'k1.der')));
  });

  test('a 16-byte AES key is ERR_INVALID_KEY_MATERIAL (import) / ERR_UNSUPPORTED_KEY_TYPE (KeyObject)', () => {
    const aes128 = detBytes('aes-128 key', 16);
    expect(aes128[0]).not.toBe(0x30);
    const err = expectKeyplaneError(
      () => importKeyMaterial(aes128),
      'ERR_INVALID_KEY_MATERIAL',
      'key is neither PKCS#8 (PEM or DER) nor a raw 32-byte AES key (got 16 bytes)',
    );
    expect(err.field).toBe('key');
    expectNoSecretInError(err, aes128);
    const derLooking = Buffer.concat([Buffer.from([0x30]), aes128.subarray(1)]);
    expectNoSecretInError(
      expectKeyplaneError(() => importKeyMaterial(derLooking), 'ERR_INVALID_KEY_MATERIAL'),
      derLooking,
    );
    const viaKeyObject = expectKeyplaneError(
      () => keyMaterialFromKeyObject(createSecretKey(aes128)),
      'ERR_UNSUPPORTED_KEY_TYPE',
      `key '16-byte secret key' is not supported; allowed: ${ALLOWED_TYPES}`,
    );
    expectNoSecretInError(viaKeyObject, aes128);
  });

  test('public keys are ERR_INVALID_KEY_MATERIAL', () => {
    const { key } = material('ecdsa-p384');
    const pub = createPublicKey(key);
    for (const bytes of [Buffer.from(spkiPem(key)), pub.export({ format: 'der', type: 'spki' })]) {
      expectKeyplaneError(() => importKeyMaterial(bytes), 'ERR_INVALID_KEY_MATERIAL');
    }
    expectKeyplaneError(
      () => keyMaterialFromKeyObject(pub),
      'ERR_INVALID_KEY_MATERIAL',
      'key is a public key; a private or secret key is needed',
    );
  });

  test('garbage, corrupted PEM, encrypted PKCS#8 and empty input are ERR_INVALID_KEY_MATERIAL', () => {
    const garbage = Buffer.concat([Buffer.from([0x42]), detBytes('garbage', 99)]);
    const derGarbage = Buffer.concat([Buffer.from([0x30, 0x62]), detBytes('garbage', 98)]);
    const { key } = material('ecdsa-p256');
    const der = pkcs8Der(key);
    const body = der.toString('base64');
    const corrupted = Buffer.from(
      `${'-'.repeat(5)}BEGIN PRIVATE KEY${'-'.repeat(5)}\n${body.slice(0, 40)}${body.slice(44)}\n${'-'.repeat(5)}END PRIVATE KEY${'-'.repeat(5)}\n`,
    );
    const encrypted = Buffer.from(
      key.export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: 'pw' }),
    );
    const truncatedDer = der.subarray(0, der.length - 10);
    for (const [bytes, secret] of [
      [garbage, garbage],
      [derGarbage, derGarbage],
      [corrupted, der],
      [encrypted, encrypted],
      [truncatedDer, der],
    ] as const) {
      const err = expectKeyplaneError(() => importKeyMaterial(bytes), 'ERR_INVALID_KEY_MATERIAL');
      expect(err.field).toBe('key');
      expectNoSecretInError(err, secret);
    }
    expectKeyplaneError(
      () => importKeyMaterial(Buffer.alloc(0)),
      'ERR_INVALID_KEY_MATERIAL',
      'key is neither PKCS#8 (PEM or DER) nor a raw 32-byte AES key (got 0 bytes)',
    );
    expectKeyplaneError(
      () => importKeyMaterial(derGarbage),
      'ERR_INVALID_KEY_MATERIAL',
      'key could not be parsed as a PKCS#8 private key',
    );
  });
});

describe('importKeyMaterial: clear messages for near misses', () => {
  test('an encrypted PKCS#8 PEM says to decrypt it first', () => {
    const { key } = material('ecdsa-p256');
    const encrypted = Buffer.from(
      key.export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: 'pw' }),
    );
    expectKeyplaneError(
      () => importKeyMaterial(encrypted),
      'ERR_INVALID_KEY_MATERIAL',
      'key is an encrypted PKCS#8 file; decrypt it first (openssl pkcs8 -in key.pem -out plain.pem) inside the ceremony environment',
    );
  });

  test('a public key PEM names the PEM label it got', () => {
    const pem = Buffer.from(
      createPublicKey(material('rsa-2048').key).export({ format: 'pem', type: 'spki' }),
    );
    expectKeyplaneError(
      () => importKeyMaterial(pem),
      'ERR_INVALID_KEY_MATERIAL',
      "key is a PEM 'PUBLIC KEY' block; expected one of: PRIVATE KEY, RSA PRIVATE KEY, EC PRIVATE KEY",
    );
  });

  test('RSA-2048 with public exponent 3 is not rsa-2048 (the table fixes e = 65537)', () => {
    const key = generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 3 }).privateKey;
    const err = expectKeyplaneError(
      () => importKeyMaterial(pkcs8Der(key)),
      'ERR_UNSUPPORTED_KEY_TYPE',
      `key 'rsa 2048 (public exponent 3) key' is not supported; allowed: ${ALLOWED_TYPES}`,
    );
    expectNoSecretInError(err, pkcs8Der(key));
  });
});

describe('declared key type', () => {
  test.each([
    ['ecdsa-p256', 'ecdsa-p384'],
    ['rsa-2048', 'rsa-3072'],
    ['ed25519', 'ecdsa-p256'],
    ['rsa-4096', 'ed25519'],
  ] as const)('%s declared as %s is ERR_INVALID_KEY_MATERIAL', (actual, declared) => {
    const { key } = material(actual);
    const err = expectKeyplaneError(
      () => importKeyMaterial(pkcs8Pem(key), declared),
      'ERR_INVALID_KEY_MATERIAL',
      `key is ${actual}, but type '${declared}' was declared`,
    );
    expectNoSecretInError(err, pkcs8Der(key));
    expect(importKeyMaterial(pkcs8Der(key), actual).type.name).toBe(actual);
  });

  test('a raw 32-byte key declared as an asymmetric type', () => {
    expectKeyplaneError(
      () => importKeyMaterial(detBytes('raw', 32), 'ed25519'),
      'ERR_INVALID_KEY_MATERIAL',
      "key is aes256-gcm96, but type 'ed25519' was declared",
    );
  });

  test('an unknown declared type is ERR_UNSUPPORTED_KEY_TYPE', () => {
    expectKeyplaneError(
      () => importKeyMaterial(detBytes('raw', 32), 'aes128-gcm96'),
      'ERR_UNSUPPORTED_KEY_TYPE',
      `type 'aes128-gcm96' is not supported; allowed: ${ALLOWED_TYPES}`,
    );
  });
});

describe('export', () => {
  test('exercised PKCS#8 DER lengths cover every base64 padding case', () => {
    const residues = new Set(ASYMMETRIC.map((n) => pkcs8Der(material(n).key).length % 3));
    expect([...residues].sort()).toEqual([0, 1, 2]);
  });

  test.each(ASYMMETRIC)('%s: exportPkcs8Pem equals node’s PEM and parses with openssl', (name) => {
    const m = material(name);
    const pem = exportPkcs8Pem(m);
    expect(pem.toString('latin1')).toBe(m.key.export({ format: 'pem', type: 'pkcs8' }));
    writeFiles(dir, { 'export.pem': pem });
    const check = openssl(['pkey', '-in', 'export.pem', '-noout'], dir);
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
    expect(opensslOk(['pkey', '-in', 'export.pem', '-pubout'], dir)).toBe(spkiPem(m.key));
    expect(importKeyMaterial(pem).type.name).toBe(name);
    expect(exportPlaintext(m, 'pkcs8')).toEqual(pkcs8Der(m.key));
    expect(publicKeyOf(m)?.export({ format: 'pem', type: 'spki' })).toBe(spkiPem(m.key));
  });

  test('AES: raw export only', () => {
    const m = material('aes256-gcm96');
    expect(exportPlaintext(m, 'raw')).toEqual(m.key.export());
    expect(publicKeyOf(m)).toBeUndefined();
    expectKeyplaneError(
      () => exportPkcs8Pem(m),
      'ERR_INVALID_KEY_MATERIAL',
      'aes256-gcm96 is symmetric; it has no PKCS#8 form',
    );
  });

  test('asymmetric keys have no raw form', () => {
    expectKeyplaneError(
      () => exportPlaintext(material('ed25519'), 'raw'),
      'ERR_INVALID_KEY_MATERIAL',
      'ed25519 has no raw form; use PKCS#8',
    );
  });
});
