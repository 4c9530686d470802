/**
 * ECDSA signature encodings: DER `SEQUENCE { INTEGER r, INTEGER s }` (X9.62 / RFC 3279, what AWS
 * and GCP return) and raw fixed-width `r ‖ s` (IEEE P1363 / JWS RFC 7518 §3.4, what Azure and
 * PKCS#11 CKM_ECDSA return). Strict parsing: anything but minimal DER is refused.
 *
 * @module
 */
import { InvalidSignatureEncodingError } from '../errors';

export type EcdsaSignatureEncoding = 'der' | 'raw';

function bad(reason: string): InvalidSignatureEncodingError {
  return new InvalidSignatureEncodingError(`signature is not a valid ECDSA signature: ${reason}`, {
    field: 'signature',
  });
}

/** Minimal DER INTEGER for a non-negative big-endian value. */
function derInteger(value: Uint8Array): Buffer {
  let i = 0;
  while (i < value.length - 1 && value[i] === 0) i++;
  let v = Buffer.from(value.subarray(i));
  if ((v[0] ?? 0) & 0x80) v = Buffer.concat([Buffer.from([0]), v]);
  return Buffer.concat([Buffer.from([0x02, v.length]), v]);
}

function derLength(len: number): Buffer {
  return len < 0x80 ? Buffer.from([len]) : Buffer.from([0x81, len]);
}

/** Raw `r ‖ s` (each `scalarBytes` long) → DER. */
export function ecdsaRawToDer(raw: Uint8Array, scalarBytes: number): Buffer {
  if (raw.length !== 2 * scalarBytes) {
    throw bad(`raw signature must be ${2 * scalarBytes} bytes, got ${raw.length}`);
  }
  const body = Buffer.concat([
    derInteger(raw.subarray(0, scalarBytes)),
    derInteger(raw.subarray(scalarBytes)),
  ]);
  return Buffer.concat([Buffer.from([0x30]), derLength(body.length), body]);
}

/** DER → raw `r ‖ s`, left-padding each integer to `scalarBytes`. */
export function ecdsaDerToRaw(der: Uint8Array, scalarBytes: number): Buffer {
  const buf = Buffer.from(der.buffer, der.byteOffset, der.byteLength);
  let pos = 0;
  const readLength = (): number => {
    const first = buf[pos++];
    if (first === undefined) throw bad('truncated length');
    if (first < 0x80) return first;
    if (first !== 0x81) throw bad('unsupported length form');
    const len = buf[pos++];
    if (len === undefined || len < 0x80) throw bad('non-minimal length');
    return len;
  };
  if (buf[pos++] !== 0x30) throw bad('expected SEQUENCE');
  const seqLen = readLength();
  if (pos + seqLen !== buf.length) throw bad('trailing or missing bytes');
  const readInt = (): Buffer => {
    if (buf[pos++] !== 0x02) throw bad('expected INTEGER');
    const len = readLength();
    const v = buf.subarray(pos, pos + len);
    pos += len;
    if (v.length !== len || len === 0) throw bad('truncated INTEGER');
    if ((v[0] ?? 0) & 0x80) throw bad('negative INTEGER');
    if (len > 1 && v[0] === 0 && ((v[1] ?? 0) & 0x80) === 0) throw bad('non-minimal INTEGER');
    const trimmed = v[0] === 0 ? v.subarray(1) : v;
    if (trimmed.length > scalarBytes) throw bad('INTEGER larger than the curve order');
    return Buffer.concat([Buffer.alloc(scalarBytes - trimmed.length), trimmed]);
  };
  const r = readInt();
  const s = readInt();
  if (pos !== buf.length) throw bad('trailing bytes');
  return Buffer.concat([r, s]);
}
