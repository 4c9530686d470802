/**
 * Signatures cross-checked with the Debian `openssl` CLI (OpenSSL 3.0), both ways:
 * engine signs → `openssl dgst -verify` / `openssl pkeyutl -verify` accepts (and refuses a
 * tampered copy); openssl signs keys it generated itself → the engine's verify accepts.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ecdsaDerToRaw,
  exportPkcs8Pem,
  generateKeyMaterial,
  importKeyMaterial,
  sign,
  verify,
  type KeyMaterial,
  type SignOptions,
} from '@keyplane/engine';
import {
  OPENSSL_DIGEST,
  detBytes,
  digestOf,
  flipBit,
  type TestHashName,
} from './crypto-helpers/bytes';
import {
  makeTempDir,
  openssl,
  opensslOk,
  removeTempDir,
  writeFiles,
} from './crypto-helpers/openssl-cli';

const PSS_OPTS = ['-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:digest'];

const message = detBytes('openssl cross-check message', 333);
let dir = '';
const engineKeys = new Map<string, KeyMaterial>();

beforeAll(() => {
  dir = makeTempDir();
  for (const t of ['rsa-2048', 'ecdsa-p256', 'ecdsa-p384', 'ecdsa-p521', 'ed25519']) {
    engineKeys.set(t, generateKeyMaterial(t));
  }
  writeFiles(dir, { 'msg.bin': message });
});
afterAll(() => {
  removeTempDir(dir);
});

function publicPem(key: KeyObject): string {
  return createPublicKey(key).export({ format: 'pem', type: 'spki' }).toString();
}
function engineKey(type: string): KeyMaterial {
  const m = engineKeys.get(type);
  if (m === undefined) throw new Error(`no ${type} key`);
  return m;
}

/** `openssl dgst -<hash> -verify pub.pem -signature sig.bin msg.bin [pss opts]`. */
function dgstVerify(pub: string, hash: TestHashName, sig: Buffer, pss: boolean) {
  writeFiles(dir, { 'pub.pem': pub, 'sig.bin': sig });
  const args = ['dgst', OPENSSL_DIGEST[hash], '-verify', 'pub.pem', '-signature', 'sig.bin'];
  return openssl([...args, ...(pss ? PSS_OPTS : []), 'msg.bin'], dir);
}

describe('engine signs, openssl verifies', () => {
  test.each<[string, TestHashName, boolean]>([
    ['rsa-2048', 'sha2-256', false],
    ['rsa-2048', 'sha2-256', true],
    ['rsa-2048', 'sha1', false],
    ['rsa-2048', 'sha2-512', true],
    ['rsa-2048', 'sha3-256', false],
    ['rsa-2048', 'sha3-384', true],
    ['ecdsa-p256', 'sha2-256', false],
    ['ecdsa-p256', 'sha2-512', false], // digest longer than the curve order: truncated
    ['ecdsa-p384', 'sha2-384', false],
    ['ecdsa-p384', 'sha3-256', false],
    ['ecdsa-p521', 'sha2-512', false],
    ['ecdsa-p521', 'sha1', false], // digest much shorter than the curve order
  ])('%s %s (pss: %s), digest mode, DER', (type, hash, pss) => {
    const { key } = engineKey(type);
    const opts: SignOptions = { hash, pss, input: 'digest' };
    const sig = sign(key, digestOf(hash, message), opts);
    const ok = dgstVerify(publicPem(key), hash, sig, pss);
    expect(ok.stdout).toContain('Verified OK');
    expect(ok.status).toBe(0);

    const bad = dgstVerify(publicPem(key), hash, flipBit(sig, sig.length - 2), pss);
    expect(bad.stdout).toContain('Verification failure');
    expect(bad.status).not.toBe(0);
  });

  test.each<[string, TestHashName, boolean]>([
    ['rsa-2048', 'sha2-384', true],
    ['rsa-2048', 'sha2-224', false],
    ['ecdsa-p384', 'sha2-384', false],
  ])('%s %s (pss: %s), message mode, DER', (type, hash, pss) => {
    const { key } = engineKey(type);
    const sig = sign(key, message, { hash, pss });
    expect(dgstVerify(publicPem(key), hash, sig, pss).stdout).toContain('Verified OK');
  });

  test('ed25519, message', () => {
    const { key } = engineKey('ed25519');
    const sig = sign(key, message);
    writeFiles(dir, { 'ed.pub.pem': publicPem(key), 'ed.sig': sig, 'ed.bad': flipBit(sig, 5) });
    const args = [
      'pkeyutl',
      '-verify',
      '-pubin',
      '-inkey',
      'ed.pub.pem',
      '-rawin',
      '-in',
      'msg.bin',
    ];
    const ok = openssl([...args, '-sigfile', 'ed.sig'], dir);
    expect(ok.stdout).toContain('Signature Verified Successfully');
    expect(ok.status).toBe(0);
    const bad = openssl([...args, '-sigfile', 'ed.bad'], dir);
    expect(bad.status).not.toBe(0);
    expect(bad.stdout).not.toContain('Signature Verified Successfully');
  });

  test('an exported engine key (PKCS#8 PEM) signs with openssl like the engine verifies', () => {
    const material = engineKey('ecdsa-p256');
    writeFiles(dir, { 'exported.pem': exportPkcs8Pem(material) });
    opensslOk(['dgst', '-sha256', '-sign', 'exported.pem', '-out', 'exp.sig', 'msg.bin'], dir);
    const sig = readFileSync(join(dir, 'exp.sig'));
    expect(verify(material.key, message, sig)).toBe(true);
  });
});

describe('openssl generates and signs, the engine verifies', () => {
  const opensslKeys = new Map<string, KeyMaterial>();
  beforeAll(() => {
    const gen: [string, string[]][] = [
      ['rsa.pem', ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048']],
      ['ec384.pem', ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384']],
      ['ed.pem', ['-algorithm', 'ed25519']],
    ];
    for (const [file, args] of gen) {
      opensslOk(['genpkey', ...args, '-out', file], dir);
      opensslKeys.set(file, importKeyMaterial(readFileSync(join(dir, file))));
    }
  });
  function imported(file: string): KeyMaterial {
    const m = opensslKeys.get(file);
    if (m === undefined) throw new Error(`no ${file}`);
    return m;
  }
  function opensslSign(keyFile: string, hash: TestHashName, pss: boolean): Buffer {
    const args = ['dgst', OPENSSL_DIGEST[hash], '-sign', keyFile, ...(pss ? PSS_OPTS : [])];
    opensslOk([...args, '-out', 'ossl.sig', 'msg.bin'], dir);
    return readFileSync(join(dir, 'ossl.sig'));
  }

  test.each<[TestHashName, boolean]>([
    ['sha2-384', false],
    ['sha2-384', true],
    ['sha3-256', false],
    ['sha1', true],
  ])('RSA-2048 %s (pss: %s), message and digest mode', (hash, pss) => {
    const material = imported('rsa.pem');
    expect(material.type.name).toBe('rsa-2048');
    const pub = createPublicKey(material.key);
    const sig = opensslSign('rsa.pem', hash, pss);
    expect(verify(pub, message, sig, { hash, pss })).toBe(true);
    expect(verify(pub, digestOf(hash, message), sig, { hash, pss, input: 'digest' })).toBe(true);
    expect(verify(pub, message, sig, { hash, pss: !pss })).toBe(false);
    expect(verify(pub, message, flipBit(sig, 9), { hash, pss })).toBe(false);
  });

  test.each<TestHashName>(['sha2-384', 'sha2-256', 'sha3-512'])(
    'ECDSA P-384 %s, DER and raw, message and digest mode',
    (hash) => {
      const material = imported('ec384.pem');
      expect(material.type.name).toBe('ecdsa-p384');
      const pub = createPublicKey(material.key);
      const der = opensslSign('ec384.pem', hash, false);
      const raw = ecdsaDerToRaw(der, 48);
      const d = digestOf(hash, message);
      expect(verify(pub, message, der, { hash })).toBe(true);
      expect(verify(pub, d, der, { hash, input: 'digest' })).toBe(true);
      expect(verify(pub, message, raw, { hash, signatureEncoding: 'raw' })).toBe(true);
      expect(verify(pub, d, raw, { hash, input: 'digest', signatureEncoding: 'raw' })).toBe(true);
      expect(verify(pub, flipBit(message, 0), der, { hash })).toBe(false);
    },
  );

  test('Ed25519', () => {
    const material = imported('ed.pem');
    expect(material.type.name).toBe('ed25519');
    const args = ['pkeyutl', '-sign', '-inkey', 'ed.pem', '-rawin', '-in', 'msg.bin'];
    opensslOk([...args, '-out', 'ed-ossl.sig'], dir);
    const sig = readFileSync(join(dir, 'ed-ossl.sig'));
    const pub = createPublicKey(material.key);
    expect(verify(pub, message, sig)).toBe(true);
    // Ed25519 is deterministic: the engine's signature with the same key is byte-identical.
    expect(sign(material.key, message)).toEqual(sig);
  });
});
