/**
 * Key types Keyplane generates and distributes, as one data table (the names are Vault KMSE's).
 * Code reads a row's `family` and parameters; nothing below the lookup branches on the name.
 *
 * @module
 */
import { UnsupportedKeyTypeError, notAllowedMessage } from '../errors';
import type { HashAlgorithmName } from './hashes';
import { lookup, names, table } from './table';

export type KeyTypeName =
  | 'aes256-gcm96'
  | 'rsa-2048'
  | 'rsa-3072'
  | 'rsa-4096'
  | 'ecdsa-p256'
  | 'ecdsa-p384'
  | 'ecdsa-p521'
  | 'ed25519';

export type KeyFamily = 'aes' | 'rsa' | 'ecdsa' | 'ed25519';

/** What a key of a type can do in software (clouds narrow this further, see clouds.ts). */
export type KeyCapability = 'encrypt' | 'decrypt' | 'sign' | 'verify' | 'wrap' | 'unwrap';

interface KeyTypeBase {
  readonly name: KeyTypeName;
  readonly family: KeyFamily;
  /** Security-relevant size: AES key bits, RSA modulus bits, EC field bits. */
  readonly bits: number;
  readonly capabilities: readonly KeyCapability[];
}

export interface AesKeyType extends KeyTypeBase {
  readonly family: 'aes';
  readonly keyBytes: number;
  /** GCM nonce length; `gcm96` = 96-bit nonce, as Vault names it. */
  readonly nonceBytes: number;
  readonly tagBytes: number;
}

export interface RsaKeyType extends KeyTypeBase {
  readonly family: 'rsa';
  readonly publicExponent: number;
}

export interface EcdsaKeyType extends KeyTypeBase {
  readonly family: 'ecdsa';
  /** JOSE / cloud curve name. */
  readonly curve: 'P-256' | 'P-384' | 'P-521';
  /** OpenSSL curve name for node:crypto. */
  readonly namedCurve: 'prime256v1' | 'secp384r1' | 'secp521r1';
  /** Bytes of one coordinate / scalar: the half-length of a raw r||s signature. */
  readonly scalarBytes: number;
  /** The hash the curve is conventionally paired with (ES256/ES384/ES512). */
  readonly defaultHash: HashAlgorithmName;
}

export interface Ed25519KeyType extends KeyTypeBase {
  readonly family: 'ed25519';
}

export type KeyType = AesKeyType | RsaKeyType | EcdsaKeyType | Ed25519KeyType;

const SIGNING: readonly KeyCapability[] = ['sign', 'verify'];
const RSA_CAPS: readonly KeyCapability[] = [
  'encrypt',
  'decrypt',
  'sign',
  'verify',
  'wrap',
  'unwrap',
];

function rsa(name: KeyTypeName, bits: number): RsaKeyType {
  return { name, family: 'rsa', bits, publicExponent: 65537, capabilities: RSA_CAPS };
}

function ecdsa(
  name: KeyTypeName,
  curve: EcdsaKeyType['curve'],
  namedCurve: EcdsaKeyType['namedCurve'],
  bits: number,
  defaultHash: HashAlgorithmName,
): EcdsaKeyType {
  const scalarBytes = Math.ceil(bits / 8);
  return {
    name,
    family: 'ecdsa',
    bits,
    curve,
    namedCurve,
    scalarBytes,
    defaultHash,
    capabilities: SIGNING,
  };
}

export const KEY_TYPES = table<KeyTypeName, KeyType>({
  'aes256-gcm96': {
    name: 'aes256-gcm96',
    family: 'aes',
    bits: 256,
    keyBytes: 32,
    nonceBytes: 12,
    tagBytes: 16,
    capabilities: ['encrypt', 'decrypt', 'wrap', 'unwrap'],
  },
  'rsa-2048': rsa('rsa-2048', 2048),
  'rsa-3072': rsa('rsa-3072', 3072),
  'rsa-4096': rsa('rsa-4096', 4096),
  'ecdsa-p256': ecdsa('ecdsa-p256', 'P-256', 'prime256v1', 256, 'sha2-256'),
  'ecdsa-p384': ecdsa('ecdsa-p384', 'P-384', 'secp384r1', 384, 'sha2-384'),
  'ecdsa-p521': ecdsa('ecdsa-p521', 'P-521', 'secp521r1', 521, 'sha2-512'),
  ed25519: { name: 'ed25519', family: 'ed25519', bits: 256, capabilities: SIGNING },
});

export const KEY_TYPE_NAMES: readonly KeyTypeName[] = names(KEY_TYPES);

/** Resolves a key type name from user input, or throws `ERR_UNSUPPORTED_KEY_TYPE`. */
export function keyType(name: string, field = 'type'): KeyType {
  const found = lookup(KEY_TYPES, name);
  if (found === undefined) {
    throw new UnsupportedKeyTypeError(notAllowedMessage(field, name, '', KEY_TYPE_NAMES), {
      field,
      allowed: KEY_TYPE_NAMES,
    });
  }
  return found;
}

/** Finds the ECDSA row for an OpenSSL curve name (used when parsing foreign keys). */
export function ecdsaTypeForCurve(namedCurve: string): EcdsaKeyType | undefined {
  return Object.values(KEY_TYPES).find(
    (t): t is EcdsaKeyType => t.family === 'ecdsa' && t.namedCurve === namedCurve,
  );
}
