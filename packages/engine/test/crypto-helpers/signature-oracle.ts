/**
 * node:crypto as the independent verifier: every engine signature must verify as a signature
 * over the ORIGINAL MESSAGE (also in digest mode, where the engine only saw the hash).
 */
import { constants, verify as nodeVerify, type KeyObject } from 'node:crypto';
import { NODE_HASH, type TestHashName } from './bytes';

export type RsaPadding = 'pkcs1' | 'pss';
export type EcdsaEncoding = 'der' | 'raw';

export function nodeVerifiesRsa(
  publicKey: KeyObject,
  hash: TestHashName,
  message: Uint8Array,
  signature: Uint8Array,
  padding: RsaPadding,
): boolean {
  return nodeVerify(
    NODE_HASH[hash],
    message,
    {
      key: publicKey,
      padding: padding === 'pss' ? constants.RSA_PKCS1_PSS_PADDING : constants.RSA_PKCS1_PADDING,
      saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
    },
    signature,
  );
}

export function nodeVerifiesEcdsa(
  publicKey: KeyObject,
  hash: TestHashName,
  message: Uint8Array,
  signature: Uint8Array,
  encoding: EcdsaEncoding,
): boolean {
  return nodeVerify(
    NODE_HASH[hash],
    message,
    { key: publicKey, dsaEncoding: encoding === 'raw' ? 'ieee-p1363' : 'der' },
    signature,
  );
}

/** A minimal DER `SEQUENCE { INTEGER r, INTEGER s }` encoder, written apart from the engine's. */
export function derSignature(r: Uint8Array, s: Uint8Array): Buffer {
  const integer = (v: Uint8Array): Buffer => {
    let body = Buffer.from(v);
    while (body.length > 1 && body[0] === 0) body = body.subarray(1);
    if ((body[0] ?? 0) >= 0x80) body = Buffer.concat([Buffer.from([0]), body]);
    return Buffer.concat([Buffer.from([0x02, body.length]), body]);
  };
  const content = Buffer.concat([integer(r), integer(s)]);
  const length =
    content.length < 0x80 ? Buffer.from([content.length]) : Buffer.from([0x81, content.length]);
  return Buffer.concat([Buffer.from([0x30]), length, content]);
}
