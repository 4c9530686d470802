/**
 * Cryptographic operations on a key version: sign, verify, encrypt, decrypt, wrapKey,
 * unwrapKey (`POST /keys/{name}/{version}/<op>`). Every call checks, in the service's order,
 * that the key is enabled, inside its nbf/exp window, and allows the operation (key_ops), then
 * that the algorithm fits the key.
 *
 * Validity window: per the service's documentation ("About keys"), not-yet-valid and expired keys
 * still work for decrypt, unwrapKey and verify, so data protected while the key was valid stays
 * recoverable; encrypt, wrapKey and sign are refused outside the window.
 *
 * @module
 */
import { findVersion, kidOf } from './bundle';
import { CIPHER_ALGORITHMS, decryptWith, encryptWith } from './ciphers';
import type { Handler } from './context';
import { decodeBytes, nowSeconds, optionalString, toBase64Url, type Json } from './encoding';
import { badParameter, forbidden, keyNotFound } from './errors';
import { KTYS } from './jwk';
import { keyGroup } from './quotas';
import { SIGNATURE_ALGORITHMS, signDigest, verifyDigest } from './signatures';
import type { KeyVersion } from './store';

export type CryptoOperation = 'sign' | 'verify' | 'encrypt' | 'decrypt' | 'wrapKey' | 'unwrapKey';

/** Operations refused outside the nbf/exp window. */
const TIME_BOUND: ReadonlySet<CryptoOperation> = new Set(['sign', 'encrypt', 'wrapKey']);

function checkUsable(v: KeyVersion, op: CryptoOperation): void {
  const a = v.attributes;
  if (!a.enabled)
    throw forbidden(`Operation ${op} is not allowed on a disabled key.`, 'KeyDisabled');
  if (TIME_BOUND.has(op)) {
    const now = nowSeconds();
    if (a.nbf !== undefined && now < a.nbf)
      throw forbidden(
        `Operation ${op} is not allowed on a key that is not yet valid (nbf).`,
        'KeyNotYetValid',
      );
    if (a.exp !== undefined && now >= a.exp)
      throw forbidden(`Operation ${op} is not allowed on an expired key.`, 'KeyExpired');
  }
  if (!v.keyOps.includes(op))
    throw forbidden(`Operation ${op} is not permitted on this key.`, 'KeyOperationForbidden');
}

function algorithmOf(body: Json): string {
  const alg = optionalString(body, 'alg');
  if (alg === undefined || alg === '') throw badParameter('alg is required');
  return alg;
}

const invalidAlgorithm = (alg: string, v: KeyVersion): Error =>
  badParameter(
    `Invalid algorithm ${alg} for a ${v.kty}${v.material.family === 'EC' ? ` ${v.material.curve.crv}` : ''} key`,
  );

function signatureAlgorithm(alg: string, v: KeyVersion, digest: Buffer) {
  const found = SIGNATURE_ALGORITHMS[alg];
  const m = v.material;
  const fits =
    found !== undefined &&
    (found.scheme === 'ecdsa'
      ? m.family === 'EC' && m.curve.crv === found.crv
      : m.family === 'RSA');
  if (!fits) throw invalidAlgorithm(alg, v);
  if (digest.length !== found.digestBytes)
    throw badParameter(
      `Invalid digest length ${digest.length} for ${alg}; expected ${found.digestBytes} bytes`,
    );
  return found;
}

function cipherAlgorithm(alg: string, v: KeyVersion, op: CryptoOperation) {
  const found = CIPHER_ALGORITHMS[alg];
  const wrapping = op === 'wrapKey' || op === 'unwrapKey';
  if (found?.family !== KTYS[v.kty].family || (found.wrapOnly && !wrapping))
    throw invalidAlgorithm(alg, v);
  return found;
}

/** Looks up the version, charges its quota, checks it may perform `op`. */
function usableVersion(
  ctx: Parameters<Handler>[0],
  name: string,
  version: string,
  op: CryptoOperation,
): KeyVersion & { name: string } {
  const record = ctx.store.get(name);
  if (record === undefined) throw keyNotFound(name);
  const v = findVersion(record, version);
  ctx.charge(keyGroup(v));
  checkUsable(v, op);
  return { ...v, name: record.name };
}

export function cryptoHandler(op: CryptoOperation): Handler {
  return (ctx, { name, version }, body) => {
    const v = usableVersion(ctx, name, version, op);
    const alg = algorithmOf(body);
    const kid = kidOf(ctx, v.name, v.version);
    switch (op) {
      case 'sign': {
        const digest = decodeBytes(body.value, 'value');
        const signature = signDigest(signatureAlgorithm(alg, v, digest), v.material, digest);
        return { status: 200, body: { kid, value: toBase64Url(signature) } };
      }
      case 'verify': {
        const digest = decodeBytes(body.digest, 'digest');
        const signature = decodeBytes(body.value, 'value');
        const valid = verifyDigest(
          signatureAlgorithm(alg, v, digest),
          v.material,
          digest,
          signature,
        );
        return { status: 200, body: { value: valid } };
      }
      case 'encrypt':
      case 'wrapKey': {
        const input = decodeBytes(body.value, 'value');
        const output = encryptWith(cipherAlgorithm(alg, v, op), v.material, input);
        return { status: 200, body: { kid, value: toBase64Url(output) } };
      }
      case 'decrypt':
      case 'unwrapKey': {
        const input = decodeBytes(body.value, 'value');
        const output = decryptWith(cipherAlgorithm(alg, v, op), v.material, input);
        return { status: 200, body: { kid, value: toBase64Url(output) } };
      }
    }
  };
}
