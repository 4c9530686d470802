/**
 * ECDSA signatures: every curve × every hash × message/digest input × DER/raw encoding, each
 * checked by the engine's verify AND by node:crypto verifying the ORIGINAL message, plus wrong
 * message / flipped signature refusals; RFC 6979 published vectors (digest mode is deterministic);
 * per-curve default hashes; high-S acceptance; malformed signatures.
 */
import {
  createECDH,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import { sign, verify, type SignOptions } from '@keyplane/engine';
import { ALL_HASHES, detBytes, digestOf, flipBit, type TestHashName } from './crypto-helpers/bytes';
import {
  derSignature,
  nodeVerifiesEcdsa,
  type EcdsaEncoding,
} from './crypto-helpers/signature-oracle';
import { RFC6979_VECTORS, scalar, type Rfc6979Vector } from './vectors/ecdsa-rfc6979';

const CURVES = [
  { type: 'ecdsa-p256', namedCurve: 'prime256v1', jwkCurve: 'P-256', scalarBytes: 32 },
  { type: 'ecdsa-p384', namedCurve: 'secp384r1', jwkCurve: 'P-384', scalarBytes: 48 },
  { type: 'ecdsa-p521', namedCurve: 'secp521r1', jwkCurve: 'P-521', scalarBytes: 66 },
] as const;
type CurveType = (typeof CURVES)[number]['type'];
const INPUTS = ['message', 'digest'] as const;
type Input = (typeof INPUTS)[number];
const ENCODINGS: readonly EcdsaEncoding[] = ['der', 'raw'];

interface Pair {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}
const keys = new Map<CurveType, Pair>();
beforeAll(() => {
  for (const c of CURVES) keys.set(c.type, generateKeyPairSync('ec', { namedCurve: c.namedCurve }));
});
function pair(type: CurveType): Pair {
  const p = keys.get(type);
  if (p === undefined) throw new Error(`no ${type} key`);
  return p;
}

const message = detBytes('ecdsa message', 201);
const wrongMessage = flipBit(message, 7);
const dataFor = (input: Input, hash: TestHashName, msg: Buffer): Buffer =>
  input === 'digest' ? digestOf(hash, msg) : msg;
const other = (input: Input): Input => (input === 'digest' ? 'message' : 'digest');

const MATRIX = CURVES.flatMap((curve) =>
  ENCODINGS.flatMap((encoding) =>
    ALL_HASHES.flatMap((hash) => INPUTS.map((input) => ({ curve, encoding, hash, input }))),
  ),
);

describe('ECDSA sign/verify matrix', () => {
  test.each(MATRIX)('$curve.type $encoding $hash $input', ({ curve, encoding, hash, input }) => {
    const { privateKey, publicKey } = pair(curve.type);
    const opts: SignOptions = { hash, input, signatureEncoding: encoding };
    const data = dataFor(input, hash, message);

    const sig = sign(privateKey, data, opts);
    if (encoding === 'raw') expect(sig.length).toBe(2 * curve.scalarBytes);
    else expect(sig[0]).toBe(0x30);

    // (a) the engine verifies it, with the public or the private key, in both input modes
    expect(verify(publicKey, data, sig, opts)).toBe(true);
    expect(verify(privateKey, data, sig, opts)).toBe(true);
    const otherOpts: SignOptions = { ...opts, input: other(input) };
    expect(verify(publicKey, dataFor(other(input), hash, message), sig, otherOpts)).toBe(true);

    // (b) node:crypto verifies it over the ORIGINAL message (OpenSSL also insists on strict DER)
    expect(nodeVerifiesEcdsa(publicKey, hash, message, sig, encoding)).toBe(true);

    // (c) wrong message and a flipped signature byte are refused by both
    const wrongData = dataFor(input, hash, wrongMessage);
    expect(verify(publicKey, wrongData, sig, opts)).toBe(false);
    expect(nodeVerifiesEcdsa(publicKey, hash, wrongMessage, sig, encoding)).toBe(false);
    const bad = flipBit(sig, sig.length - 1, 0);
    expect(verify(publicKey, data, bad, opts)).toBe(false);
    expect(nodeVerifiesEcdsa(publicKey, hash, message, bad, encoding)).toBe(false);
  });
});

describe('RFC 6979 deterministic ECDSA vectors', () => {
  const curveOf = (v: Rfc6979Vector) => CURVES.find((c) => c.jwkCurve === v.curve)!;
  const b64u = (b: Buffer) => b.toString('base64url');
  const keysOf = (v: Rfc6979Vector) => {
    const n = v.scalarBytes;
    const jwk = {
      kty: 'EC',
      crv: v.curve,
      d: b64u(scalar(v.x, n)),
      x: b64u(scalar(v.ux, n)),
      y: b64u(scalar(v.uy, n)),
    };
    const privateKey = createPrivateKey({ key: jwk, format: 'jwk' });
    return { privateKey, publicKey: createPublicKey(privateKey) };
  };

  test.each(RFC6979_VECTORS)('$source', (v) => {
    const n = v.scalarBytes;
    const { privateKey, publicKey } = keysOf(v);
    // The typed vector itself: U = xG (ECDH), and node accepts (r, s) over the message.
    const ecdh = createECDH(curveOf(v).namedCurve);
    ecdh.setPrivateKey(scalar(v.x, n));
    const point = Buffer.concat([Buffer.from([4]), scalar(v.ux, n), scalar(v.uy, n)]);
    expect(ecdh.getPublicKey()).toEqual(point);
    const raw = Buffer.concat([scalar(v.r, n), scalar(v.s, n)]);
    const msg = Buffer.from(v.message);
    expect(nodeVerifiesEcdsa(publicKey, v.hash, msg, raw, 'raw')).toBe(true);

    // The engine's digest mode reproduces the RFC's (r, s) exactly, raw and DER.
    const digest = digestOf(v.hash, msg);
    const opts = { hash: v.hash, input: 'digest' } as const;
    expect(sign(privateKey, digest, { ...opts, signatureEncoding: 'raw' })).toEqual(raw);
    const der = sign(privateKey, digest, opts);
    expect(der).toEqual(derSignature(scalar(v.r, n), scalar(v.s, n)));
    for (const input of INPUTS) {
      const data = input === 'digest' ? digest : msg;
      expect(verify(publicKey, data, raw, { hash: v.hash, input, signatureEncoding: 'raw' })).toBe(
        true,
      );
      expect(verify(publicKey, data, der, { hash: v.hash, input })).toBe(true);
    }
  });

  test('high-S and its low-S twin both verify, in both modes (no low-S rule)', () => {
    const v = RFC6979_VECTORS[0]!; // P-256 "sample": the RFC's s is above n/2
    const order = BigInt('0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551');
    const s = BigInt(`0x${v.s}`);
    expect(s > order / 2n).toBe(true);
    const lowS = Buffer.from((order - s).toString(16).padStart(64, '0'), 'hex');
    const { publicKey } = keysOf(v);
    const msg = Buffer.from(v.message);
    for (const sBytes of [scalar(v.s, 32), lowS]) {
      const raw = Buffer.concat([scalar(v.r, 32), sBytes]);
      expect(nodeVerifiesEcdsa(publicKey, 'sha2-256', msg, raw, 'raw')).toBe(true);
      for (const input of INPUTS) {
        const data = input === 'digest' ? digestOf('sha2-256', msg) : msg;
        const opts: SignOptions = { input, signatureEncoding: 'raw' };
        expect(verify(publicKey, data, raw, opts)).toBe(true);
      }
    }
  });
});

describe('ECDSA details', () => {
  test.each([
    ['ecdsa-p256', 'sha2-256', 32],
    ['ecdsa-p384', 'sha2-384', 48],
    ['ecdsa-p521', 'sha2-512', 66],
  ] as const)('%s defaults to %s and DER', (type, hash, scalarBytes) => {
    const { privateKey, publicKey } = pair(type);
    for (const input of INPUTS) {
      const data = dataFor(input, hash, message);
      const der = sign(privateKey, data, { input });
      expect(nodeVerifiesEcdsa(publicKey, hash, message, der, 'der')).toBe(true);
      const raw = sign(privateKey, data, { input, signatureEncoding: 'raw' });
      expect(raw.length).toBe(2 * scalarBytes);
      expect(nodeVerifiesEcdsa(publicKey, hash, message, raw, 'raw')).toBe(true);
    }
  });

  test('digest mode is deterministic (RFC 6979); a different digest gives a different signature', () => {
    const { privateKey } = pair('ecdsa-p384');
    const d = digestOf('sha2-384', message);
    const opts: SignOptions = { input: 'digest' };
    expect(sign(privateKey, d, opts)).toEqual(sign(privateKey, d, opts));
    expect(sign(privateKey, digestOf('sha2-384', wrongMessage), opts)).not.toEqual(
      sign(privateKey, d, opts),
    );
  });

  test.each(INPUTS)('%s mode: encoding, hash and key mismatches do not verify', (input) => {
    const { privateKey, publicKey } = pair('ecdsa-p256');
    const data = dataFor(input, 'sha2-256', message);
    const der = sign(privateKey, data, { input });
    const raw = sign(privateKey, data, { input, signatureEncoding: 'raw' });
    expect(verify(publicKey, data, der, { input, signatureEncoding: 'raw' })).toBe(false);
    expect(verify(publicKey, data, raw, { input, signatureEncoding: 'der' })).toBe(false);
    const sha3 = dataFor(input, 'sha3-256', message);
    expect(verify(publicKey, sha3, der, { input, hash: 'sha3-256' })).toBe(false);
    const p384 = pair('ecdsa-p384').publicKey;
    expect(
      verify(p384, dataFor(input, 'sha2-256', message), der, { input, hash: 'sha2-256' }),
    ).toBe(false);
  });

  test.each(INPUTS)('%s mode: malformed signatures return false, never throw', (input) => {
    const { privateKey, publicKey } = pair('ecdsa-p256');
    const data = dataFor(input, 'sha2-256', message);
    const der = sign(privateKey, data, { input });
    const malformed: [EcdsaEncoding, Buffer][] = [
      ['raw', Buffer.alloc(63, 1)],
      ['raw', Buffer.alloc(65, 1)],
      ['raw', Buffer.alloc(0)],
      ['raw', Buffer.alloc(64, 0)],
      ['der', Buffer.alloc(0)],
      ['der', Buffer.from('300602010102', 'hex')],
      ['der', Buffer.concat([der, Buffer.from([0])])],
      ['der', der.subarray(0, der.length - 1)],
      ['der', Buffer.from('3006020100020100', 'hex')],
    ];
    for (const [signatureEncoding, sig] of malformed) {
      expect(verify(publicKey, data, sig, { input, signatureEncoding })).toBe(false);
    }
  });
});
