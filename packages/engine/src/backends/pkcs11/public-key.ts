/**
 * Public keys between PKCS#11 attributes and node KeyObjects. CKA_EC_POINT is a DER OCTET
 * STRING around the point (`04 41 04‖X‖Y` for P-256; `04 20 A` for Ed25519); some modules return
 * the bare point, which is accepted too. KeyObjects are built through JWK import so no ASN.1
 * SPKI has to be assembled by hand.
 *
 * @module
 */
import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import * as pkcs11js from 'pkcs11js';
import { KEY_TYPES } from '../../algorithms/key-types';
import { DER, readTlv } from '../../crypto/der';
import { BackendError, UnsupportedOperationError } from '../../errors';
import type { BackendKeyType } from '../contract';
import { familyOf } from './capabilities';
import { readAttributes, type KeyInfo } from './objects';
import type { Session } from './session-pool';

const b64u = (b: Buffer): string => b.toString('base64url');

/** The point inside CKA_EC_POINT (unwrapping the OCTET STRING when present). */
export function ecPointOf(value: Buffer, pointBytes: number): Buffer {
  const tlv = readTlv(value);
  if (tlv?.tag === DER.OCTET_STRING && tlv.end === value.length && tlv.value.length === pointBytes)
    return tlv.value;
  if (value.length === pointBytes) return value;
  throw new BackendError(`CKA_EC_POINT has an unexpected length (${String(value.length)} bytes)`, {
    backendCode: 'CKA_EC_POINT',
  });
}

/** DER OCTET STRING (short or one/two-byte long form: points are < 64 KiB). */
export function octetString(value: Buffer): Buffer {
  const len = value.length;
  const header =
    len < 0x80
      ? [DER.OCTET_STRING, len]
      : len < 0x100
        ? [DER.OCTET_STRING, 0x81, len]
        : [DER.OCTET_STRING, 0x82, len >> 8, len & 0xff];
  return Buffer.concat([Buffer.from(header), value]);
}

function jwkOf(session: Session, info: KeyInfo): JsonWebKey {
  const family = familyOf(info.keyType);
  if (family === 'rsa') {
    // RSA private objects carry the public parts too: a missing public object is no obstacle.
    const source = info.publicHandle ?? info.handle;
    const a = readAttributes(session, source, [pkcs11js.CKA_MODULUS, pkcs11js.CKA_PUBLIC_EXPONENT]);
    const n = a.get(pkcs11js.CKA_MODULUS) ?? Buffer.alloc(0);
    const e = a.get(pkcs11js.CKA_PUBLIC_EXPONENT) ?? Buffer.alloc(0);
    return { kty: 'RSA', n: b64u(n), e: b64u(e) };
  }
  if (family !== 'ecdsa' && family !== 'ed25519') {
    throw new UnsupportedOperationError(`${info.keyType} keys have no public key`, {
      field: 'key_type',
    });
  }
  if (info.publicHandle === undefined) {
    throw new BackendError(`no public key object with the CKA_ID of '${info.label}'`, {
      backendCode: 'CKO_PUBLIC_KEY',
    });
  }
  const raw = readAttributes(session, info.publicHandle, [pkcs11js.CKA_EC_POINT]).get(
    pkcs11js.CKA_EC_POINT,
  );
  if (raw === undefined)
    throw new BackendError('CKA_EC_POINT is empty', { backendCode: 'CKA_EC_POINT' });
  const t = KEY_TYPES[info.keyType as Exclude<BackendKeyType, 'hmac-sha256'>];
  if (t.family === 'ed25519') return { kty: 'OKP', crv: 'Ed25519', x: b64u(ecPointOf(raw, 32)) };
  if (t.family !== 'ecdsa') throw new BackendError('unexpected key family');
  const point = ecPointOf(raw, 1 + 2 * t.scalarBytes);
  return {
    kty: 'EC',
    crv: t.curve,
    x: b64u(point.subarray(1, 1 + t.scalarBytes)),
    y: b64u(point.subarray(1 + t.scalarBytes)),
  };
}

/** SPKI public key of an asymmetric key object. */
export function publicKeyOf(session: Session, info: KeyInfo): KeyObject {
  return createPublicKey({ key: jwkOf(session, info), format: 'jwk' });
}

/** Public-key attributes (CKA_MODULUS/EXPONENT or CKA_EC_POINT) of a node public key. */
export function publicAttributes(publicKey: KeyObject): pkcs11js.Template {
  const jwk = publicKey.export({ format: 'jwk' });
  const bytes = (v: string | undefined): Buffer => Buffer.from(v ?? '', 'base64url');
  if (jwk.kty === 'RSA') {
    return [
      { type: pkcs11js.CKA_MODULUS, value: bytes(jwk.n) },
      { type: pkcs11js.CKA_PUBLIC_EXPONENT, value: bytes(jwk.e) },
    ];
  }
  const point = Buffer.concat([Buffer.from([0x04]), bytes(jwk.x), bytes(jwk.y)]);
  return [{ type: pkcs11js.CKA_EC_POINT, value: octetString(point) }];
}
