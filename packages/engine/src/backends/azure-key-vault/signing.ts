/**
 * Signature schemes as data: Azure's JWS algorithm per (family, hash, PSS), the hash a digest
 * must have, and the conversions around the service (Azure signs a digest and returns ECDSA as
 * raw r‖s; Keyplane hands out DER).
 *
 * @module
 */
import {
  HASH_ALGORITHMS,
  type HashAlgorithm,
  type HashAlgorithmName,
} from '../../algorithms/hashes';
import type { KeyType } from '../../algorithms/key-types';
import { lookup, table } from '../../algorithms/table';
import { digestForSigning } from '../../crypto/digest';
import { ecdsaRawToDer, tryEcdsaDerToRaw } from '../../crypto/ecdsa-encoding';
import { selectScheme } from '../common/signature-scheme';
import type { BackendSignOptions, KeyRef, SignatureScheme } from '../contract';
import type { OperationContext } from './key-cache';

interface AzureScheme {
  readonly hash: HashAlgorithmName;
  readonly pss: boolean;
  /** JWS algorithm name the Key Vault sign / verify API takes. */
  readonly alg: string;
}

/** RSASSA-PKCS1-v1_5 (RS*) and RSASSA-PSS (PS*, salt = hash length) with SHA-2. */
const RSA_SCHEMES: readonly AzureScheme[] = [
  { hash: 'sha2-256', pss: false, alg: 'RS256' },
  { hash: 'sha2-384', pss: false, alg: 'RS384' },
  { hash: 'sha2-512', pss: false, alg: 'RS512' },
  { hash: 'sha2-256', pss: true, alg: 'PS256' },
  { hash: 'sha2-384', pss: true, alg: 'PS384' },
  { hash: 'sha2-512', pss: true, alg: 'PS512' },
];

/** ECDSA: Azure binds each curve to one hash (ES256 = P-256 + SHA-256, …). */
const EC_SCHEMES = table<string, readonly AzureScheme[]>({
  'P-256': [{ hash: 'sha2-256', pss: false, alg: 'ES256' }],
  'P-384': [{ hash: 'sha2-384', pss: false, alg: 'ES384' }],
  'P-521': [{ hash: 'sha2-512', pss: false, alg: 'ES512' }],
});

function schemesOf(type: KeyType): readonly AzureScheme[] {
  if (type.family === 'rsa') return RSA_SCHEMES;
  if (type.family === 'ecdsa') return lookup(EC_SCHEMES, type.curve) ?? [];
  return [];
}

/** What BackendKey.signatures reports: Azure takes a digest, so digest input always works. */
export function signatureSchemes(type: KeyType): SignatureScheme[] {
  return schemesOf(type).map((s) => ({ hash: s.hash, pss: s.pss, digestInput: true }));
}

export interface ResolvedScheme {
  readonly alg: string;
  readonly hash: HashAlgorithm;
  /** Half the raw signature length for ECDSA (r‖s ↔ DER); undefined for RSA. */
  readonly scalarBytes: number | undefined;
}

/** Picks the Azure algorithm for a sign / verify request, refusing before any request is sent. */
export function resolveScheme(type: KeyType, options: BackendSignOptions): ResolvedScheme {
  const found = selectScheme(schemesOf(type), options, `for ${type.name} keys in azurekeyvault`);
  return {
    alg: found.alg,
    hash: HASH_ALGORITHMS[found.hash],
    scalarBytes: type.family === 'ecdsa' ? type.scalarBytes : undefined,
  };
}

/** Signs through the service (which takes a digest: messages are hashed here); ECDSA → DER. */
export async function signWith(
  ctx: OperationContext,
  ref: KeyRef,
  data: Uint8Array,
  options: BackendSignOptions,
): Promise<Buffer> {
  const key = await ctx.operationKey(ref);
  const scheme = resolveScheme(key.type, options);
  const digest = digestForSigning(scheme.hash, data, options.input);
  const { result } = await ctx.cryptoCall(ref, key, 'sign', (c) => c.sign(scheme.alg, digest));
  const signature = Buffer.from(result);
  return scheme.scalarBytes === undefined
    ? signature
    : ecdsaRawToDer(signature, scheme.scalarBytes);
}

/** Verifies through the service; a signature that cannot be valid is false without a request. */
export async function verifyWith(
  ctx: OperationContext,
  ref: KeyRef,
  data: Uint8Array,
  signature: Uint8Array,
  options: BackendSignOptions,
): Promise<boolean> {
  const key = await ctx.operationKey(ref);
  const type = key.type;
  const scheme = resolveScheme(type, options);
  const digest = digestForSigning(scheme.hash, data, options.input);
  // An RSA signature of the wrong length cannot verify; the service would answer 400 instead.
  if (type.family === 'rsa' && signature.length !== type.bits / 8) return false;
  let value: Uint8Array = signature;
  if (scheme.scalarBytes !== undefined) {
    const raw = tryEcdsaDerToRaw(signature, scheme.scalarBytes);
    if (raw === undefined) return false;
    value = raw;
  }
  const { result } = await ctx.cryptoCall(ref, key, 'verify', (c) =>
    c.verify(scheme.alg, digest, value),
  );
  return result;
}
