/**
 * The algorithm tables: lookups refuse Object.prototype names; every hash row's node name,
 * length and DigestInfo prefix are checked independently (RSA PKCS#1 v1.5 signatures opened with
 * the public key, RFC 8017 §9.2's published prefixes, and `openssl asn1parse` naming the OID);
 * key type rows agree with what node generates.
 */
import {
  constants,
  createHash,
  generateKeyPairSync,
  publicDecrypt,
  sign as nodeSign,
} from 'node:crypto';
import {
  HASH_ALGORITHMS,
  HASH_ALGORITHM_NAMES,
  KEY_TYPES,
  KEY_TYPE_NAMES,
  KMS_PROVIDER_NAMES,
  ecdsaTypeForCurve,
  hashAlgorithm,
  keyType,
  kmsProvider,
  wrappingAlgorithm,
} from '@keyplane/engine';
import { ALL_HASHES, NODE_HASH, detBytes, hex, type TestHashName } from './crypto-helpers/bytes';
import { expectKeyplaneError } from './crypto-helpers/expect-error';
import { makeTempDir, opensslOk, removeTempDir, writeFiles } from './crypto-helpers/openssl-cli';

const PROTOTYPE_NAMES = [
  'toString',
  'constructor',
  '__proto__',
  'hasOwnProperty',
  'valueOf',
  'isPrototypeOf',
  '__defineGetter__',
];

describe('lookups refuse Object.prototype names', () => {
  test('exact messages', () => {
    expectKeyplaneError(
      () => keyType('toString'),
      'ERR_UNSUPPORTED_KEY_TYPE',
      "type 'toString' is not supported; allowed: aes256-gcm96, rsa-2048, rsa-3072, rsa-4096, ecdsa-p256, ecdsa-p384, ecdsa-p521, ed25519",
    );
    expectKeyplaneError(
      () => hashAlgorithm('constructor'),
      'ERR_UNSUPPORTED_HASH_ALGORITHM',
      "hash_algorithm 'constructor' is not supported; allowed: sha1, sha2-224, sha2-256, sha2-384, sha2-512, sha3-224, sha3-256, sha3-384, sha3-512",
    );
  });

  test.each(PROTOTYPE_NAMES)('%s', (name) => {
    const k = expectKeyplaneError(() => keyType(name), 'ERR_UNSUPPORTED_KEY_TYPE');
    expect(k.field).toBe('type');
    expect(k.allowed).toEqual(KEY_TYPE_NAMES);
    const h = expectKeyplaneError(
      () => hashAlgorithm(name, 'hash'),
      'ERR_UNSUPPORTED_HASH_ALGORITHM',
    );
    expect(h.field).toBe('hash');
    expect(h.allowed).toEqual(HASH_ALGORITHM_NAMES);
    expectKeyplaneError(() => kmsProvider(name), 'ERR_UNSUPPORTED_TARGET');
    for (const provider of KMS_PROVIDER_NAMES) {
      expectKeyplaneError(
        () => wrappingAlgorithm(provider, name),
        'ERR_UNSUPPORTED_WRAPPING_ALGORITHM',
      );
    }
    expect(ecdsaTypeForCurve(name)).toBeUndefined();
  });

  test('tables are frozen and have no prototype', () => {
    for (const t of [KEY_TYPES, HASH_ALGORITHMS]) {
      expect(Object.getPrototypeOf(t)).toBeNull();
      expect(Object.isFrozen(t)).toBe(true);
    }
  });

  test('names are case-sensitive and exact', () => {
    expectKeyplaneError(() => keyType('RSA-2048'), 'ERR_UNSUPPORTED_KEY_TYPE');
    expectKeyplaneError(() => keyType(' rsa-2048'), 'ERR_UNSUPPORTED_KEY_TYPE');
    expectKeyplaneError(() => hashAlgorithm('SHA1'), 'ERR_UNSUPPORTED_HASH_ALGORITHM');
    expectKeyplaneError(() => hashAlgorithm('sha256'), 'ERR_UNSUPPORTED_HASH_ALGORITHM');
  });
});

describe('hash rows', () => {
  /** RFC 8017 §9.2 note 1: the published DER prefixes for the SHA-1/SHA-2 family. */
  const RFC8017_PREFIX: Partial<Record<TestHashName, string>> = {
    sha1: '3021300906052b0e03021a05000414',
    'sha2-224': '302d300d06096086480165030402040500041c',
    'sha2-256': '3031300d060960864801650304020105000420',
    'sha2-384': '3041300d060960864801650304020205000430',
    'sha2-512': '3051300d060960864801650304020305000440',
  };
  // `openssl asn1parse` prints the digest OIDs with the same short names node uses.
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const message = detBytes('digest-info message', 90);
  let dir = '';
  beforeAll(() => {
    dir = makeTempDir();
  });
  afterAll(() => {
    removeTempDir(dir);
  });

  test('HASH_ALGORITHM_NAMES lists exactly the nine names, in order', () => {
    expect(HASH_ALGORITHM_NAMES).toEqual(ALL_HASHES);
  });

  test.each(ALL_HASHES)('%s: name, node name, length', (name) => {
    const row = hashAlgorithm(name);
    expect(row.name).toBe(name);
    expect(row.nodeName).toBe(NODE_HASH[name]);
    expect(row.length).toBe(createHash(NODE_HASH[name]).update(message).digest().length);
  });

  test.each(ALL_HASHES)(
    '%s: prefix ‖ hash(msg) is what node’s RSA PKCS#1 v1.5 signature carries',
    (name) => {
      const row = hashAlgorithm(name);
      const signature = nodeSign(NODE_HASH[name], message, privateKey);
      const opened = publicDecrypt(
        { key: publicKey, padding: constants.RSA_PKCS1_PADDING },
        signature,
      );
      const digest = createHash(NODE_HASH[name]).update(message).digest();
      expect(Buffer.concat([row.digestInfoPrefix, digest]).toString('hex')).toBe(
        opened.toString('hex'),
      );
    },
  );

  test.each(Object.entries(RFC8017_PREFIX))('%s: prefix equals RFC 8017 §9.2', (name, prefix) => {
    expect(hashAlgorithm(name).digestInfoPrefix).toEqual(hex(prefix));
  });

  test.each(ALL_HASHES)('%s: openssl asn1parse reads the DigestInfo and names the OID', (name) => {
    const row = hashAlgorithm(name);
    writeFiles(dir, { 'di.der': Buffer.concat([row.digestInfoPrefix, Buffer.alloc(row.length)]) });
    const out = opensslOk(['asn1parse', '-inform', 'DER', '-in', 'di.der'], dir);
    expect(out).toMatch(new RegExp(`OBJECT\\s+:${NODE_HASH[name]}\\s*\\n`));
    expect(out).toMatch(new RegExp(`l=\\s*${row.length} prim: OCTET STRING`));
    expect(out).toContain('NULL');
  });
});

describe('key type rows', () => {
  test.each([
    ['ecdsa-p256', 'P-256', 'prime256v1', 256, 32, 'sha2-256'],
    ['ecdsa-p384', 'P-384', 'secp384r1', 384, 48, 'sha2-384'],
    ['ecdsa-p521', 'P-521', 'secp521r1', 521, 66, 'sha2-512'],
  ] as const)('%s', (name, curve, namedCurve, bits, scalarBytes, defaultHash) => {
    const row = keyType(name);
    if (row.family !== 'ecdsa') throw new Error(`${name} is not ecdsa`);
    expect(row).toMatchObject({ curve, namedCurve, bits, scalarBytes, defaultHash });
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: row.namedCurve });
    expect(privateKey.asymmetricKeyDetails?.namedCurve).toBe(namedCurve);
    // an uncompressed point is 0x04 ‖ x ‖ y with scalarBytes-long coordinates
    const jwk = privateKey.export({ format: 'jwk' });
    expect(Buffer.from(jwk.x ?? '', 'base64url').length).toBe(scalarBytes);
    expect(ecdsaTypeForCurve(namedCurve)).toBe(row);
  });

  test('curves outside the table are not matched', () => {
    for (const curve of ['secp256k1', 'P-256', 'brainpoolP256r1', '']) {
      expect(ecdsaTypeForCurve(curve)).toBeUndefined();
    }
  });

  test.each([
    ['rsa-2048', 2048],
    ['rsa-3072', 3072],
    ['rsa-4096', 4096],
  ] as const)('%s', (name, bits) => {
    expect(keyType(name)).toMatchObject({ family: 'rsa', bits, publicExponent: 65537 });
  });

  test('aes256-gcm96 and ed25519', () => {
    expect(keyType('aes256-gcm96')).toMatchObject({
      family: 'aes',
      bits: 256,
      keyBytes: 32,
      nonceBytes: 12,
      tagBytes: 16,
    });
    expect(keyType('ed25519')).toMatchObject({ family: 'ed25519', bits: 256 });
  });
});
