/**
 * What this backend can do, as data: key types it generates (mechanism + template per type),
 * which it imports, usage → CKA_* attribute pairs, signature schemes and mechanism parameters.
 * Facts are SoftHSM 2.6.1's (observed on SoftHSM 2.6.1, https://github.com/softhsm/SoftHSMv2, and pinned by the pkcs11 tests): OAEP SHA-1 only, Ed25519 generation works
 * but unwrapping an Edwards PKCS#8 fails (CKR_FUNCTION_FAILED), so Ed25519 is not importable.
 *
 * @module
 */
import * as pkcs11js from 'pkcs11js';
import { HASH_ALGORITHM_NAMES, type HashAlgorithmName } from '../../algorithms/hashes';
import {
  KEY_TYPES,
  KEY_TYPE_NAMES,
  type KeyFamily,
  type KeyTypeName,
} from '../../algorithms/key-types';
import { lookup, names, table } from '../../algorithms/table';
import type {
  BackendCapabilities,
  BackendKeyType,
  EncryptionAlgorithm,
  KeyUsage,
  SignatureScheme,
} from '../contract';

/** PKCS#11 v3.0 values pkcs11js 2.1.7 does not export. */
export const CKK_EC_EDWARDS = 0x40;
export const CKK_SHA256_HMAC = 0x2b;
export const CKM_EC_EDWARDS_KEY_PAIR_GEN = 0x1055;
export const CKM_EDDSA = 0x1057;
export const CKZ_DATA_SPECIFIED = 1;

/** Named-curve OIDs (DER) as CKA_EC_PARAMS carries them. */
const CURVE_PARAMS = table<string, BackendKeyType>({
  '06082a8648ce3d030107': 'ecdsa-p256',
  '06052b81040022': 'ecdsa-p384',
  '06052b81040023': 'ecdsa-p521',
  '06032b6570': 'ed25519',
  // SoftHSM 2.6.1 stores an Ed25519 private key's params as PrintableString "edwards25519".
  '130c656477617264733235353139': 'ed25519',
});

function curveParams(keyType: BackendKeyType): Buffer {
  const hex = Object.keys(CURVE_PARAMS).find((k) => CURVE_PARAMS[k] === keyType) ?? '';
  return Buffer.from(hex, 'hex');
}

export interface GenerationSpec {
  readonly usages: readonly KeyUsage[];
  readonly pair: boolean;
  readonly mechanism: number;
  readonly keyType: number;
  /** Type-specific attributes: the public template for pairs, the secret template otherwise. */
  readonly attributes: pkcs11js.Template;
}

const RSA_USAGES: readonly KeyUsage[] = ['sign', 'verify', 'encrypt', 'decrypt', 'wrap', 'unwrap'];
const SIGN_USAGES: readonly KeyUsage[] = ['sign', 'verify'];
const AES_USAGES: readonly KeyUsage[] = ['encrypt', 'decrypt', 'wrap', 'unwrap'];

const rsa = (bits: number): GenerationSpec => ({
  usages: RSA_USAGES,
  pair: true,
  mechanism: pkcs11js.CKM_RSA_PKCS_KEY_PAIR_GEN,
  keyType: pkcs11js.CKK_RSA,
  attributes: [
    { type: pkcs11js.CKA_MODULUS_BITS, value: bits },
    { type: pkcs11js.CKA_PUBLIC_EXPONENT, value: Buffer.from([0x01, 0x00, 0x01]) },
  ],
});

const ec = (keyType: BackendKeyType, mechanism: number, ckk: number): GenerationSpec => ({
  usages: SIGN_USAGES,
  pair: true,
  mechanism,
  keyType: ckk,
  attributes: [{ type: pkcs11js.CKA_EC_PARAMS, value: curveParams(keyType) }],
});

const ecdsa = (keyType: BackendKeyType): GenerationSpec =>
  ec(keyType, pkcs11js.CKM_EC_KEY_PAIR_GEN, pkcs11js.CKK_EC);

const secret = (usages: readonly KeyUsage[], mechanism: number, ckk: number): GenerationSpec => ({
  usages,
  pair: false,
  mechanism,
  keyType: ckk,
  attributes: [{ type: pkcs11js.CKA_VALUE_LEN, value: 32 }],
});

export const GENERATION = table<BackendKeyType, GenerationSpec>({
  'rsa-2048': rsa(2048),
  'rsa-3072': rsa(3072),
  'rsa-4096': rsa(4096),
  'ecdsa-p256': ecdsa('ecdsa-p256'),
  'ecdsa-p384': ecdsa('ecdsa-p384'),
  'ecdsa-p521': ecdsa('ecdsa-p521'),
  ed25519: ec('ed25519', CKM_EC_EDWARDS_KEY_PAIR_GEN, CKK_EC_EDWARDS),
  'aes256-gcm96': secret(AES_USAGES, pkcs11js.CKM_AES_KEY_GEN, pkcs11js.CKK_AES),
  'hmac-sha256': secret(['mac'], pkcs11js.CKM_GENERIC_SECRET_KEY_GEN, pkcs11js.CKK_GENERIC_SECRET),
});

/**
 * Importable through C_UnwrapKey(CKM_AES_KEY_WRAP_PAD): every key type but Ed25519, whose
 * PKCS#8 SoftHSM 2.6.1 fails to unwrap (CKR_FUNCTION_FAILED).
 */
const IMPORTABLE: readonly KeyTypeName[] = KEY_TYPE_NAMES.filter((t) => t !== 'ed25519');

export const PKCS11_CAPABILITIES: BackendCapabilities = {
  type: 'pkcs11',
  generate: Object.fromEntries(names(GENERATION).map((t) => [t, GENERATION[t].usages])),
  import: IMPORTABLE,
  protections: ['hsm'],
  nativeVersions: false,
};

/**
 * Usage pairs: the "private half" attribute lives on the private (or secret) key and is what
 * disabling clears; the "public half" lives on the public key (or also on the secret key) and
 * is kept, so re-enabling restores exactly the usages the key was created with.
 */
export interface UsagePair {
  readonly usages: readonly KeyUsage[];
  readonly privateAttribute: number;
  readonly publicAttribute: number;
}

export const USAGE_PAIRS: readonly UsagePair[] = [
  {
    usages: ['sign', 'verify', 'mac'],
    privateAttribute: pkcs11js.CKA_SIGN,
    publicAttribute: pkcs11js.CKA_VERIFY,
  },
  {
    usages: ['encrypt', 'decrypt'],
    privateAttribute: pkcs11js.CKA_DECRYPT,
    publicAttribute: pkcs11js.CKA_ENCRYPT,
  },
  {
    usages: ['wrap', 'unwrap'],
    privateAttribute: pkcs11js.CKA_UNWRAP,
    publicAttribute: pkcs11js.CKA_WRAP,
  },
];

/** CKK → Keyplane key type, given the attributes that size it. */
export function keyTypeFromAttributes(
  ckk: number,
  modulusBytes: number | undefined,
  ecParams: Buffer | undefined,
  valueLen: number | undefined,
  keyplaneTagged: boolean,
): BackendKeyType | undefined {
  if (ckk === pkcs11js.CKK_RSA && modulusBytes !== undefined) {
    const name = `rsa-${String(modulusBytes * 8)}`;
    return lookup(GENERATION, name) === undefined ? undefined : (name as BackendKeyType);
  }
  if ((ckk === pkcs11js.CKK_EC || ckk === CKK_EC_EDWARDS) && ecParams !== undefined) {
    const found = lookup(CURVE_PARAMS, ecParams.toString('hex'));
    return ckk === CKK_EC_EDWARDS ? (found === 'ed25519' ? found : undefined) : found;
  }
  if (ckk === pkcs11js.CKK_AES && valueLen === 32) return 'aes256-gcm96';
  // SoftHSM 2.6.1 leaves CKA_VALUE_LEN at 0 on unwrapped AES keys; Keyplane only imports
  // AES-256, so a Keyplane-tagged AES key of unknown length is one.
  if (ckk === pkcs11js.CKK_AES && (valueLen ?? 0) === 0 && keyplaneTagged) return 'aes256-gcm96';
  if (ckk === pkcs11js.CKK_GENERIC_SECRET || ckk === CKK_SHA256_HMAC) return 'hmac-sha256';
  return undefined;
}

/** The Keyplane family of a backend key type (`hmac` for HMAC keys). */
export function familyOf(keyType: BackendKeyType): KeyFamily | 'hmac' {
  return keyType === 'hmac-sha256' ? 'hmac' : KEY_TYPES[keyType].family;
}

type PssHash = Extract<
  HashAlgorithmName,
  'sha1' | 'sha2-224' | 'sha2-256' | 'sha2-384' | 'sha2-512'
>;

/** RSA-PSS over a digest: only the hashes PKCS#11 defines CKM_* / CKG_MGF1_* values for. */
export const PSS_PARAMS = table<PssHash, { hashAlg: number; mgf: number }>({
  sha1: { hashAlg: pkcs11js.CKM_SHA_1, mgf: pkcs11js.CKG_MGF1_SHA1 },
  'sha2-224': { hashAlg: pkcs11js.CKM_SHA224, mgf: pkcs11js.CKG_MGF1_SHA224 },
  'sha2-256': { hashAlg: pkcs11js.CKM_SHA256, mgf: pkcs11js.CKG_MGF1_SHA256 },
  'sha2-384': { hashAlg: pkcs11js.CKM_SHA384, mgf: pkcs11js.CKG_MGF1_SHA384 },
  'sha2-512': { hashAlg: pkcs11js.CKM_SHA512, mgf: pkcs11js.CKG_MGF1_SHA512 },
});

const digestSchemes = (hashes: readonly HashAlgorithmName[], pss: boolean): SignatureScheme[] =>
  hashes.map((hash) => ({ hash, pss, digestInput: true }));

/** Signature schemes per family (RSA PKCS#1 v1.5 takes any DigestInfo; ECDSA any digest). */
export const SIGNATURE_SCHEMES = table<KeyFamily | 'hmac', readonly SignatureScheme[]>({
  rsa: [...digestSchemes(HASH_ALGORITHM_NAMES, false), ...digestSchemes(names(PSS_PARAMS), true)],
  ecdsa: digestSchemes(HASH_ALGORITHM_NAMES, false),
  ed25519: [{ hash: undefined, pss: false, digestInput: false }],
  aes: [],
  hmac: [],
});

/** RSA-OAEP parameters (source = CKZ_DATA_SPECIFIED with an empty label). */
export const OAEP_PARAMS = table<Exclude<EncryptionAlgorithm, 'aes-256-gcm'>, pkcs11js.RsaOAEP>({
  'rsa-oaep-sha1': {
    type: pkcs11js.CK_PARAMS_RSA_OAEP,
    hashAlg: pkcs11js.CKM_SHA_1,
    mgf: pkcs11js.CKG_MGF1_SHA1,
    source: CKZ_DATA_SPECIFIED,
  },
  'rsa-oaep-sha256': {
    type: pkcs11js.CK_PARAMS_RSA_OAEP,
    hashAlg: pkcs11js.CKM_SHA256,
    mgf: pkcs11js.CKG_MGF1_SHA256,
    source: CKZ_DATA_SPECIFIED,
  },
});
