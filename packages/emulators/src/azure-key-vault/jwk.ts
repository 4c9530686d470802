/**
 * Key types, curves and key material as Key Vault models them (JWK, RFC 7517 plus Azure's
 * `-HSM` key types), and the conversions between JWK fields and node:crypto `KeyObject`s.
 * Every supported type or curve is one table row; code reads the row, never the name.
 *
 * @module
 */
import { createPrivateKey, generateKeyPair, randomBytes, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { decodeBytes, type Json } from './encoding';
import { badParameter } from './errors';

export type Family = 'RSA' | 'EC' | 'oct';
export type Kty = 'RSA' | 'RSA-HSM' | 'EC' | 'EC-HSM' | 'oct' | 'oct-HSM';

export const KTYS: Readonly<Record<Kty, { readonly family: Family; readonly hsm: boolean }>> = {
  RSA: { family: 'RSA', hsm: false },
  'RSA-HSM': { family: 'RSA', hsm: true },
  EC: { family: 'EC', hsm: false },
  'EC-HSM': { family: 'EC', hsm: true },
  oct: { family: 'oct', hsm: false },
  'oct-HSM': { family: 'oct', hsm: true },
};

export interface Curve {
  /** Azure / JWK name. */
  readonly crv: string;
  /** OpenSSL name, as `asymmetricKeyDetails.namedCurve` reports it. */
  readonly nodeCurve: string;
  /** Name node's JWK import/export uses (differs for secp256k1). */
  readonly nodeJwkCrv: string;
  /** Size of a coordinate / scalar in bytes (r‖s signatures are twice this). */
  readonly bytes: number;
}

const P256: Curve = { crv: 'P-256', nodeCurve: 'prime256v1', nodeJwkCrv: 'P-256', bytes: 32 };

export const CURVES: Readonly<Record<string, Curve>> = {
  'P-256': P256,
  'P-384': { crv: 'P-384', nodeCurve: 'secp384r1', nodeJwkCrv: 'P-384', bytes: 48 },
  'P-521': { crv: 'P-521', nodeCurve: 'secp521r1', nodeJwkCrv: 'P-521', bytes: 66 },
  'P-256K': { crv: 'P-256K', nodeCurve: 'secp256k1', nodeJwkCrv: 'secp256k1', bytes: 32 },
};

export const RSA_BITS: readonly number[] = [2048, 3072, 4096];
export const AES_BITS: readonly number[] = [128, 192, 256];

/** JsonWebKeyOperation values the service knows (`deriveKey`: Managed HSM `oct-HSM`). */
export const KEY_OPS: readonly string[] = [
  'encrypt',
  'decrypt',
  'sign',
  'verify',
  'wrapKey',
  'unwrapKey',
  'import',
  'export',
  'deriveKey',
];

/**
 * What the service grants when a request gives no `key_ops`. For `oct` keys these are the
 * operations of the AES algorithms "About keys" lists (encrypt/decrypt, wrap/unwrap); the
 * documentation gives no other default.
 */
export const DEFAULT_KEY_OPS: Readonly<Record<Family, readonly string[]>> = {
  RSA: ['encrypt', 'decrypt', 'sign', 'verify', 'wrapKey', 'unwrapKey'],
  EC: ['sign', 'verify'],
  oct: ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey'],
};

export type Material =
  | { readonly family: 'RSA'; readonly privateKey: KeyObject; readonly bits: number }
  | { readonly family: 'EC'; readonly privateKey: KeyObject; readonly curve: Curve }
  | { readonly family: 'oct'; readonly secret: Buffer };

export function parseKty(value: unknown): Kty {
  if (typeof value === 'string' && value in KTYS) return value as Kty;
  throw badParameter(
    `The key type '${String(value)}' is not valid; expected one of ${Object.keys(KTYS).join(', ')}`,
  );
}

export function parseCurve(value: unknown): Curve {
  const curve = typeof value === 'string' ? CURVES[value] : undefined;
  if (curve === undefined)
    throw badParameter(
      `The curve '${String(value)}' is not valid; expected one of ${Object.keys(CURVES).join(', ')}`,
    );
  return curve;
}

/**
 * Classifies a private key; returns a reason string for material no Key Vault key can hold
 * (wrong algorithm, unsupported curve or RSA size).
 */
export function materialFromPrivateKey(key: KeyObject): Material | string {
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'rsa') {
    const bits = details.modulusLength ?? 0;
    if (!RSA_BITS.includes(bits)) return `RSA key size ${bits} is not supported`;
    return { family: 'RSA', privateKey: key, bits };
  }
  if (key.asymmetricKeyType === 'ec') {
    const curve = Object.values(CURVES).find((c) => c.nodeCurve === details.namedCurve);
    if (curve === undefined) return `EC curve ${details.namedCurve ?? '?'} is not supported`;
    return { family: 'EC', privateKey: key, curve };
  }
  return `${key.asymmetricKeyType ?? 'unknown'} keys are not supported`;
}

export function octMaterial(secret: Buffer): Material | string {
  if (!AES_BITS.includes(secret.length * 8))
    return `AES key of ${secret.length} bytes is not supported (16, 24 or 32)`;
  return { family: 'oct', secret };
}

/**
 * The public JWK members the service returns: `n`,`e` / `crv`,`x`,`y`; none for oct keys. HSM
 * RSA keys carry the exponent as 4 bytes (`AAEAAQ` for 65537, recorded), software keys as the
 * minimal `AQAB`.
 */
export function publicJwkFields(m: Material, hsm: boolean): Record<string, string> {
  if (m.family === 'oct') return {};
  const jwk = m.privateKey.export({ format: 'jwk' });
  if (m.family === 'RSA') {
    const e = Buffer.from(jwk.e ?? '', 'base64url');
    const padded = hsm && e.length < 4 ? Buffer.concat([Buffer.alloc(4 - e.length), e]) : e;
    return { n: jwk.n ?? '', e: padded.toString('base64url') };
  }
  return { crv: m.curve.crv, x: jwk.x ?? '', y: jwk.y ?? '' };
}

const generate = promisify(generateKeyPair);

export interface GenerateParams {
  readonly bits?: number;
  readonly curve?: Curve;
  readonly publicExponent?: number;
}

/** New key material for `POST /keys/{name}/create`. Key generation runs off the event loop. */
export async function generateMaterial(family: Family, params: GenerateParams): Promise<Material> {
  if (family === 'oct') return { family, secret: randomBytes((params.bits ?? 256) / 8) };
  if (family === 'EC') {
    const curve = params.curve ?? P256; // the service's default curve
    const { privateKey } = await generate('ec', { namedCurve: curve.nodeCurve });
    return { family, privateKey, curve };
  }
  const bits = params.bits ?? 2048;
  const { privateKey } = await generate('rsa', {
    modulusLength: bits,
    publicExponent: params.publicExponent ?? 65537,
  });
  return { family, privateKey, bits };
}

const RSA_PRIVATE_FIELDS = ['n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi'] as const;

/** Plain (non-BYOK) import: a private JWK as the SDK sends it (byte fields base64url). */
export function materialFromJwk(jwk: Json, family: Family): Material {
  if (family === 'oct') {
    const result = octMaterial(decodeBytes(jwk.k, 'key.k'));
    if (typeof result === 'string') throw badParameter(result);
    return result;
  }
  const nodeJwk: Record<string, string> = { kty: family };
  if (family === 'RSA') {
    for (const f of RSA_PRIVATE_FIELDS)
      nodeJwk[f] = decodeBytes(jwk[f], `key.${f}`).toString('base64url');
  } else {
    const curve = parseCurve(jwk.crv);
    nodeJwk.crv = curve.nodeJwkCrv;
    for (const f of ['x', 'y', 'd'] as const)
      nodeJwk[f] = decodeBytes(jwk[f], `key.${f}`).toString('base64url');
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: nodeJwk, format: 'jwk' });
  } catch (e) {
    throw badParameter(
      `The JSON Web Key is not a valid ${family} private key: ${(e as Error).message}`,
    );
  }
  const result = materialFromPrivateKey(key);
  if (typeof result === 'string') throw badParameter(result);
  if (result.family !== family) throw badParameter(`The key material is not a ${family} key`);
  return result;
}

/** State-file form: PKCS#8 DER or raw AES bytes, base64. */
export interface StoredMaterial {
  readonly family: Family;
  readonly data: string;
}

export function storeMaterial(m: Material): StoredMaterial {
  const bytes =
    m.family === 'oct' ? m.secret : m.privateKey.export({ format: 'der', type: 'pkcs8' });
  return { family: m.family, data: bytes.toString('base64') };
}

export function loadMaterial(stored: StoredMaterial): Material {
  const bytes = Buffer.from(stored.data, 'base64');
  const result =
    stored.family === 'oct'
      ? octMaterial(bytes)
      : materialFromPrivateKey(createPrivateKey({ key: bytes, format: 'der', type: 'pkcs8' }));
  if (typeof result === 'string')
    throw new Error(`state file holds unusable key material: ${result}`);
  return result;
}
