/**
 * ECDSA over a caller-supplied digest (Sign/Verify with `MessageType: DIGEST`) on the NIST
 * curves, in plain BigInt arithmetic (SEC 1 §4.1.3 / §4.1.4, X9.62 DER signatures).
 *
 * Why not node:crypto: `crypto.sign` always hashes its input, so it cannot sign a precomputed
 * digest. Why not @noble/curves: it is an engine dependency, and the emulator must stay an
 * independent implementation (an engine bug must not cancel itself out).
 *
 * Not constant-time, and the nonce is random rather than RFC 6979: fine for a local dev
 * emulator, never for real keys.
 *
 * @module
 */
import { randomBytes, type KeyObject } from 'node:crypto';
import type { EcCurve } from './key-specs';

interface Curve {
  readonly p: bigint;
  readonly n: bigint;
  readonly gx: bigint;
  readonly gy: bigint;
  readonly bytes: number;
  readonly nBits: number;
}

const h = (hex: string): bigint => BigInt(`0x${hex}`);

// Domain parameters from `openssl ecparam -name <curve> -param_enc explicit -text` (SEC 2 /
// FIPS 186-4). All three curves have a = p - 3, which the doubling formula below relies on.
const CURVES: Readonly<Record<EcCurve, Curve>> = {
  'P-256': {
    p: h('ffffffff00000001000000000000000000000000ffffffffffffffffffffffff'),
    n: h('ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551'),
    gx: h('6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296'),
    gy: h('4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5'),
    bytes: 32,
    nBits: 256,
  },
  'P-384': {
    p: h(
      'fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffff',
    ),
    n: h(
      'ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973',
    ),
    gx: h(
      'aa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e3872760ab7',
    ),
    gy: h(
      '3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90ea0e5f',
    ),
    bytes: 48,
    nBits: 384,
  },
  'P-521': {
    p: (1n << 521n) - 1n,
    n: h(
      '01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409',
    ),
    gx: h(
      '00c6858e06b70404e9cd9e3ecb662395b4429c648139053fb521f828af606b4d3dbaa14b5e77efe75928fe1dc127a2ffa8de3348b3c1856a429bf97e7e31c2e5bd66',
    ),
    gy: h(
      '011839296a789a3bc0045c8a5fb42c7d1bd998f54449579b446817afbd17273e662c97ee72995ef42640c550b9013fad0761353c7086a272c24088be94769fd16650',
    ),
    bytes: 66,
    nBits: 521,
  },
};

type Jacobian = readonly [bigint, bigint, bigint];
const INFINITY: Jacobian = [1n, 1n, 0n];

const mod = (a: bigint, m: bigint): bigint => ((a % m) + m) % m;

function invert(a: bigint, m: bigint): bigint {
  let [r0, r1] = [mod(a, m), m];
  let [s0, s1] = [1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  if (r0 !== 1n) throw new Error('not invertible');
  return mod(s0, m);
}

/** Point doubling in Jacobian coordinates for a = -3 ("dbl-2001-b"). */
function double(c: Curve, [x, y, z]: Jacobian): Jacobian {
  if (z === 0n || y === 0n) return INFINITY;
  const { p } = c;
  const delta = mod(z * z, p);
  const gamma = mod(y * y, p);
  const beta = mod(x * gamma, p);
  const alpha = mod(3n * (x - delta) * (x + delta), p);
  const x3 = mod(alpha * alpha - 8n * beta, p);
  const z3 = mod((y + z) * (y + z) - gamma - delta, p);
  const y3 = mod(alpha * (4n * beta - x3) - 8n * gamma * gamma, p);
  return [x3, y3, z3];
}

function add(c: Curve, a: Jacobian, b: Jacobian): Jacobian {
  if (a[2] === 0n) return b;
  if (b[2] === 0n) return a;
  const { p } = c;
  const [x1, y1, z1] = a;
  const [x2, y2, z2] = b;
  const z1z1 = mod(z1 * z1, p);
  const z2z2 = mod(z2 * z2, p);
  const u1 = mod(x1 * z2z2, p);
  const u2 = mod(x2 * z1z1, p);
  const s1 = mod(y1 * z2 * z2z2, p);
  const s2 = mod(y2 * z1 * z1z1, p);
  if (u1 === u2) return s1 === s2 ? double(c, a) : INFINITY;
  const hh = mod(u2 - u1, p);
  const r = mod(s2 - s1, p);
  const h2 = mod(hh * hh, p);
  const h3 = mod(h2 * hh, p);
  const x3 = mod(r * r - h3 - 2n * u1 * h2, p);
  const y3 = mod(r * (u1 * h2 - x3) - s1 * h3, p);
  return [x3, y3, mod(hh * z1 * z2, p)];
}

function multiply(c: Curve, point: Jacobian, k: bigint): Jacobian {
  let acc = INFINITY;
  for (let i = BigInt(k.toString(2).length - 1); i >= 0n; i--) {
    acc = double(c, acc);
    if ((k >> i) & 1n) acc = add(c, acc, point);
  }
  return acc;
}

function affineX(c: Curve, [x, , z]: Jacobian): bigint | undefined {
  if (z === 0n) return undefined;
  const zi = invert(z, c.p);
  return mod(x * zi * zi, c.p);
}

/** SEC 1 §4.1.3 step 5: the leftmost nBits of the digest as an integer. */
function digestToInt(c: Curve, digest: Uint8Array): bigint {
  const z = digest.length === 0 ? 0n : BigInt(`0x${Buffer.from(digest).toString('hex')}`);
  const excess = digest.length * 8 - c.nBits;
  return excess > 0 ? z >> BigInt(excess) : z;
}

const b64uToInt = (s: string): bigint => BigInt(`0x${Buffer.from(s, 'base64url').toString('hex')}`);

function derInteger(v: bigint): Buffer {
  let hex = v.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  let bytes = Buffer.from(hex, 'hex');
  if ((bytes[0] ?? 0) & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return Buffer.concat([Buffer.from([0x02, bytes.length]), bytes]);
}

/** DER `SEQUENCE { INTEGER r, INTEGER s }` (RFC 3279 §2.2.3), as AWS KMS returns ECDSA. */
export function encodeDerSignature(r: bigint, s: bigint): Buffer {
  const body = Buffer.concat([derInteger(r), derInteger(s)]);
  const len = body.length < 0x80 ? Buffer.from([body.length]) : Buffer.from([0x81, body.length]);
  return Buffer.concat([Buffer.from([0x30]), len, body]);
}

/** Strict DER parse; undefined for anything that is not a minimal two-INTEGER SEQUENCE. */
export function decodeDerSignature(der: Uint8Array): { r: bigint; s: bigint } | undefined {
  let pos = 0;
  const byte = (): number => der[pos++] ?? -1;
  const length = (): number => {
    const first = byte();
    if (first < 0x80) return first;
    if (first !== 0x81) return -1;
    const len = byte();
    return len >= 0x80 ? len : -1;
  };
  const integer = (): bigint | undefined => {
    if (byte() !== 0x02) return undefined;
    const len = length();
    if (len <= 0 || pos + len > der.length) return undefined;
    const bytes = der.subarray(pos, pos + len);
    pos += len;
    const [b0 = 0, b1 = 0] = bytes;
    if (b0 & 0x80) return undefined;
    if (b0 === 0 && bytes.length > 1 && !(b1 & 0x80)) return undefined;
    return BigInt(`0x${Buffer.from(bytes).toString('hex')}`);
  };
  if (byte() !== 0x30) return undefined;
  if (length() !== der.length - pos) return undefined;
  const r = integer();
  const s = integer();
  if (r === undefined || s === undefined || pos !== der.length) return undefined;
  return { r, s };
}

export function ecdsaSignDigest(curve: EcCurve, privateKey: KeyObject, digest: Uint8Array): Buffer {
  const c = CURVES[curve];
  const jwk = privateKey.export({ format: 'jwk' });
  if (jwk.d === undefined) throw new Error('not an EC private key');
  const d = b64uToInt(jwk.d);
  const z = digestToInt(c, digest);
  for (;;) {
    const k = mod(BigInt(`0x${randomBytes(c.bytes + 16).toString('hex')}`), c.n - 1n) + 1n;
    const x = affineX(c, multiply(c, [c.gx, c.gy, 1n], k));
    if (x === undefined) continue;
    const r = mod(x, c.n);
    const s = mod(invert(k, c.n) * (z + r * d), c.n);
    if (r !== 0n && s !== 0n) return encodeDerSignature(r, s);
  }
}

export function ecdsaVerifyDigest(
  curve: EcCurve,
  publicKey: KeyObject,
  digest: Uint8Array,
  signature: Uint8Array,
): boolean {
  const c = CURVES[curve];
  const sig = decodeDerSignature(signature);
  if (sig === undefined) return false;
  const { r, s } = sig;
  if (r <= 0n || r >= c.n || s <= 0n || s >= c.n) return false;
  const jwk = publicKey.export({ format: 'jwk' });
  if (jwk.x === undefined || jwk.y === undefined) return false;
  const w = invert(s, c.n);
  const u1 = mod(digestToInt(c, digest) * w, c.n);
  const u2 = mod(r * w, c.n);
  const point = add(
    c,
    multiply(c, [c.gx, c.gy, 1n], u1),
    multiply(c, [b64uToInt(jwk.x), b64uToInt(jwk.y), 1n], u2),
  );
  const x = affineX(c, point);
  return x !== undefined && mod(x, c.n) === r;
}
