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

/** Where a non-negative big-endian integer's significant bytes start, and its DER content length. */
function integerShape(value: Uint8Array): { start: number; pad: number; length: number } {
  let start = 0;
  while (start < value.length - 1 && value[start] === 0) start++;
  const pad = (value[start] ?? 0) & 0x80 ? 1 : 0;
  return { start, pad, length: pad + value.length - start };
}

/**
 * Raw `r ‖ s` (each `scalarBytes` long) → minimal DER. Sized first and written into one buffer:
 * this runs once per HSM / Azure signature, on the signing hot path.
 */
export function ecdsaRawToDer(raw: Uint8Array, scalarBytes: number): Buffer {
  if (raw.length !== 2 * scalarBytes) {
    throw bad(`raw signature must be ${2 * scalarBytes} bytes, got ${raw.length}`);
  }
  const r = raw.subarray(0, scalarBytes);
  const s = raw.subarray(scalarBytes);
  const rs = integerShape(r);
  const ss = integerShape(s);
  const body = 2 + rs.length + 2 + ss.length;
  const header = body < 0x80 ? 2 : 3;
  const out = Buffer.allocUnsafe(header + body);
  let pos = 0;
  out[pos++] = 0x30;
  if (header === 3) out[pos++] = 0x81;
  out[pos++] = body;
  for (const [value, shape] of [
    [r, rs],
    [s, ss],
  ] as const) {
    out[pos++] = 0x02;
    out[pos++] = shape.length;
    if (shape.pad === 1) out[pos++] = 0;
    pos += Buffer.from(
      value.buffer,
      value.byteOffset + shape.start,
      value.length - shape.start,
    ).copy(out, pos);
  }
  return out;
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

/**
 * {@link ecdsaDerToRaw}, or `undefined` for a malformed signature — for verifiers, where a
 * signature that is not even valid DER simply does not verify.
 */
export function tryEcdsaDerToRaw(der: Uint8Array, scalarBytes: number): Buffer | undefined {
  try {
    return ecdsaDerToRaw(der, scalarBytes);
  } catch (e) {
    if (e instanceof InvalidSignatureEncodingError) return undefined;
    throw e;
  }
}
