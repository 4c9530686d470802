/**
 * Software key material: generation for every key type, import of PKCS#8 (PEM or DER) and raw
 * AES keys, and export for wrapping. Secrets stay inside OpenSSL-owned `KeyObject`s; bytes are
 * only produced by {@link exportPlaintext}, whose caller must zeroize them.
 *
 * @module
 */
import {
  createPrivateKey,
  createPublicKey,
  createSecretKey,
  generateKeyPairSync,
  randomBytes,
  type KeyObject,
} from 'node:crypto';
import { InvalidKeyMaterialError, UnsupportedKeyTypeError, notAllowedMessage } from '../errors';
import {
  KEY_TYPES,
  KEY_TYPE_NAMES,
  ecdsaTypeForCurve,
  keyType,
  type KeyFamily,
  type KeyType,
} from '../algorithms/key-types';
import type { PlaintextFormat } from '../algorithms/clouds';
import { lookup, table } from '../algorithms/table';
import { zeroize } from './zeroize';

/** A private or secret key with its resolved Keyplane type. */
export interface KeyMaterial {
  readonly type: KeyType;
  /** `private` for asymmetric keys, `secret` for AES. */
  readonly key: KeyObject;
}

interface FamilyOps {
  generate(type: KeyType): KeyObject;
  /** Resolves the Keyplane type of an imported private key of this family, if it is one. */
  typeOf(key: KeyObject): KeyType | undefined;
}

/** RSA rows match on modulus size AND public exponent (the clouds' keys all use 65537). */
const rsaType = (key: KeyObject): KeyType | undefined => {
  const d = key.asymmetricKeyDetails;
  return Object.values(KEY_TYPES).find(
    (t) =>
      t.family === 'rsa' &&
      t.bits === d?.modulusLength &&
      BigInt(t.publicExponent) === d.publicExponent,
  );
};

const FAMILIES: Readonly<Record<KeyFamily, FamilyOps>> = {
  aes: {
    generate: (t) => createSecretKey(randomBytes(t.bits / 8)),
    typeOf: (k) => (k.symmetricKeySize === 32 ? KEY_TYPES['aes256-gcm96'] : undefined),
  },
  rsa: {
    generate: (t) =>
      generateKeyPairSync('rsa', { modulusLength: t.bits, publicExponent: 65537 }).privateKey,
    typeOf: rsaType,
  },
  ecdsa: {
    generate: (t) =>
      generateKeyPairSync('ec', { namedCurve: t.family === 'ecdsa' ? t.namedCurve : '' })
        .privateKey,
    typeOf: (k) => ecdsaTypeForCurve(k.asymmetricKeyDetails?.namedCurve ?? ''),
  },
  ed25519: {
    generate: () => generateKeyPairSync('ed25519').privateKey,
    typeOf: () => KEY_TYPES.ed25519,
  },
};

/** OpenSSL `asymmetricKeyType` → Keyplane family. */
const ASYMMETRIC_FAMILIES = table<string, KeyFamily>({
  rsa: 'rsa',
  ec: 'ecdsa',
  ed25519: 'ed25519',
});

/** Generates fresh software key material of the named type. */
export function generateKeyMaterial(typeName: string): KeyMaterial {
  const type = keyType(typeName);
  return { type, key: FAMILIES[type.family].generate(type) };
}

/**
 * The Keyplane key type of any `KeyObject` (secret, private or public), or
 * `ERR_UNSUPPORTED_KEY_TYPE` when it is none of the table's types (e.g. RSA-1024, secp256k1).
 */
/**
 * Types already resolved. A KeyObject never changes (https://nodejs.org/api/crypto.html#class-keyobject),
 * and every software sign / verify starts here: one WeakMap read instead of the native getters
 * and table lookups on each call.
 */
const RESOLVED_TYPES = new WeakMap<KeyObject, KeyType>();

export function keyTypeOf(key: KeyObject): KeyType {
  const known = RESOLVED_TYPES.get(key);
  if (known !== undefined) return known;
  const family: KeyFamily | undefined =
    key.type === 'secret' ? 'aes' : lookup(ASYMMETRIC_FAMILIES, key.asymmetricKeyType ?? '');
  const type = family === undefined ? undefined : FAMILIES[family].typeOf(key);
  if (type === undefined) {
    const what =
      key.type === 'secret' ? `${key.symmetricKeySize ?? 0}-byte secret key` : describe(key);
    throw new UnsupportedKeyTypeError(notAllowedMessage('key', what, '', KEY_TYPE_NAMES), {
      field: 'key',
      allowed: KEY_TYPE_NAMES,
    });
  }
  RESOLVED_TYPES.set(key, type);
  return type;
}

/** Wraps an existing private/secret `KeyObject`, resolving (and checking) its Keyplane type. */
export function keyMaterialFromKeyObject(key: KeyObject, expectedType?: string): KeyMaterial {
  if (key.type === 'public') {
    throw new InvalidKeyMaterialError('key is a public key; a private or secret key is needed', {
      field: 'key',
    });
  }
  const type = keyTypeOf(key);
  if (expectedType !== undefined && keyType(expectedType).name !== type.name) {
    throw new InvalidKeyMaterialError(
      `key is ${type.name}, but type '${expectedType}' was declared`,
      {
        field: 'key',
      },
    );
  }
  return { type, key };
}

function describe(key: KeyObject): string {
  const d = key.asymmetricKeyDetails;
  const e = d?.publicExponent;
  const size =
    d?.modulusLength === undefined
      ? d?.namedCurve
      : `${d.modulusLength}${e === undefined || e === 65537n ? '' : ` (public exponent ${e})`}`;
  return size === undefined
    ? `${key.asymmetricKeyType ?? 'unknown'} key`
    : `${key.asymmetricKeyType ?? ''} ${size} key`;
}

/**
 * The label of the first PEM block (`PRIVATE KEY`, `RSA PRIVATE KEY`, …), read straight from
 * the buffer: decoding the file into a JS string would leave key text in the heap for good.
 */
function pemLabel(bytes: Buffer): string | undefined {
  const begin = bytes.indexOf('-----BEGIN ');
  if (begin < 0) return undefined;
  const end = bytes.indexOf('-----', begin + 11);
  return end < 0 ? undefined : bytes.toString('latin1', begin + 11, Math.min(end, begin + 64));
}

const PEM_PRIVATE_LABELS: readonly string[] = ['PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY'];

/**
 * Parses key bytes as found in a key-ceremony file: PKCS#8 PEM (also PKCS#1/SEC1 PEM), PKCS#8
 * DER, or a raw 32-byte AES-256 key. The input buffer is not modified; zero it yourself.
 */
export function importKeyMaterial(bytes: Buffer, expectedType?: string): KeyMaterial {
  const label = pemLabel(bytes);
  if (label === 'ENCRYPTED PRIVATE KEY') {
    throw new InvalidKeyMaterialError(
      'key is an encrypted PKCS#8 file; decrypt it first (openssl pkcs8 -in key.pem -out plain.pem) inside the ceremony environment',
      { field: 'key' },
    );
  }
  if (label !== undefined && !PEM_PRIVATE_LABELS.includes(label)) {
    throw new InvalidKeyMaterialError(
      `key is a PEM '${label}' block; expected one of: ${PEM_PRIVATE_LABELS.join(', ')}`,
      { field: 'key' },
    );
  }
  if (label !== undefined) {
    return keyMaterialFromKeyObject(
      parsePrivate(() => createPrivateKey({ key: bytes, format: 'pem' })),
      expectedType,
    );
  }
  if (bytes.length > 0 && bytes[0] === 0x30 && bytes.length !== 32) {
    return keyMaterialFromKeyObject(
      parsePrivate(() => createPrivateKey({ key: bytes, format: 'der', type: 'pkcs8' })),
      expectedType,
    );
  }
  if (bytes.length === 32) {
    return keyMaterialFromKeyObject(createSecretKey(bytes), expectedType ?? 'aes256-gcm96');
  }
  throw new InvalidKeyMaterialError(
    `key is neither PKCS#8 (PEM or DER) nor a raw 32-byte AES key (got ${bytes.length} bytes)`,
    { field: 'key' },
  );
}

function parsePrivate(parse: () => KeyObject): KeyObject {
  try {
    return parse();
  } catch (cause) {
    // OpenSSL's message names only the decoder step, never key bytes: safe to chain.
    throw new InvalidKeyMaterialError('key could not be parsed as a PKCS#8 private key', {
      field: 'key',
      cause,
    });
  }
}

/**
 * The plaintext bytes a cloud expects before wrapping: PKCS#8 DER `PrivateKeyInfo` for
 * asymmetric keys, the raw key for AES. The caller owns the buffer and must zeroize it.
 */
export function exportPlaintext(material: KeyMaterial, format: PlaintextFormat): Buffer {
  if (format === 'raw') {
    if (material.key.type !== 'secret') {
      throw new InvalidKeyMaterialError(`${material.type.name} has no raw form; use PKCS#8`, {
        field: 'key',
      });
    }
    return material.key.export();
  }
  if (material.key.type !== 'private') {
    throw new InvalidKeyMaterialError(`${material.type.name} is symmetric; it has no PKCS#8 form`, {
      field: 'key',
    });
  }
  return material.key.export({ format: 'der', type: 'pkcs8' });
}

/**
 * PKCS#8 PEM for key-ceremony files (asymmetric keys only), as a Buffer the caller zeroizes —
 * encoded by hand because a JS string of the key could never be wiped.
 */
export function exportPkcs8Pem(material: KeyMaterial): Buffer {
  const der = exportPlaintext(material, 'pkcs8');
  try {
    return pemEncode('PRIVATE KEY', der);
  } finally {
    zeroize(der);
  }
}

const B64 = Buffer.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/');

/** RFC 7468 PEM with 64-column lines, written straight into one Buffer. */
function pemEncode(label: string, der: Buffer): Buffer {
  const head = Buffer.from(`-----BEGIN ${label}-----\n`);
  const tail = Buffer.from(`-----END ${label}-----\n`);
  const b64Len = Math.ceil(der.length / 3) * 4;
  const body = Buffer.alloc(b64Len + Math.ceil(b64Len / 64));
  let o = 0;
  let col = 0;
  const put = (c: number) => {
    body[o++] = c;
    if (++col === 64) {
      body[o++] = 0x0a;
      col = 0;
    }
  };
  for (let i = 0; i < der.length; i += 3) {
    const n = ((der[i] ?? 0) << 16) | ((der[i + 1] ?? 0) << 8) | (der[i + 2] ?? 0);
    put(B64[(n >> 18) & 63] ?? 0);
    put(B64[(n >> 12) & 63] ?? 0);
    put(i + 1 < der.length ? (B64[(n >> 6) & 63] ?? 0) : 0x3d);
    put(i + 2 < der.length ? (B64[n & 63] ?? 0) : 0x3d);
  }
  if (col !== 0) body[o++] = 0x0a;
  const pem = Buffer.concat([head, body.subarray(0, o), tail]);
  zeroize(body);
  return pem;
}

/** The public half of an asymmetric key; `undefined` for AES. */
export function publicKeyOf(material: KeyMaterial): KeyObject | undefined {
  return material.key.type === 'private' ? createPublicKey(material.key) : undefined;
}
