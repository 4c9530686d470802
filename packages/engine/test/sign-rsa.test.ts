/**
 * RSA signatures: every key size × every hash × message/digest input × PKCS#1 v1.5/PSS, each
 * checked by the engine's verify AND by node:crypto verifying the ORIGINAL message, plus wrong
 * message / flipped signature refusals, PKCS#1 v1.5 determinism against node's own signature,
 * the PSS salt length, and cross-mode consistency.
 */
import {
  constants,
  generateKeyPair,
  sign as nodeSign,
  verify as nodeVerify,
  type KeyObject,
} from 'node:crypto';
import { promisify } from 'node:util';
import { sign, verify, type SignOptions } from '@keyplane/engine';
import {
  ALL_HASHES,
  NODE_HASH,
  detBytes,
  digestOf,
  flipBit,
  type TestHashName,
} from './crypto-helpers/bytes';
import { signHandBuiltPss, type PssDefects } from './crypto-helpers/emsa-pss';
import { nodeVerifiesRsa, type RsaPadding } from './crypto-helpers/signature-oracle';

const generateKeyPairAsync = promisify(generateKeyPair);

const SIZES = [2048, 3072, 4096] as const;
type Size = (typeof SIZES)[number];
const INPUTS = ['message', 'digest'] as const;
type Input = (typeof INPUTS)[number];
const PADDINGS: readonly RsaPadding[] = ['pkcs1', 'pss'];

interface Pair {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}
const keys = new Map<Size, Pair>();
let otherKey: Pair | undefined;

function pair(bits: Size): Pair {
  const p = keys.get(bits);
  if (p === undefined) throw new Error(`no rsa-${bits} key`);
  return p;
}

beforeAll(async () => {
  // Async keygen runs on the libuv pool: the three sizes generate in parallel.
  const generated = await Promise.all(
    [...SIZES, 2048].map((bits) =>
      generateKeyPairAsync('rsa', { modulusLength: bits, publicExponent: 65537 }),
    ),
  );
  SIZES.forEach((bits, i) => keys.set(bits, generated[i]!));
  otherKey = generated[SIZES.length];
}, 120_000);

const message = detBytes('rsa message', 173);
const wrongMessage = flipBit(message, 100);
const dataFor = (input: Input, hash: TestHashName, msg: Buffer): Buffer =>
  input === 'digest' ? digestOf(hash, msg) : msg;
const other = (input: Input): Input => (input === 'digest' ? 'message' : 'digest');

const MATRIX = SIZES.flatMap((bits) =>
  PADDINGS.flatMap((padding) =>
    ALL_HASHES.flatMap((hash) => INPUTS.map((input) => ({ bits, padding, hash, input }))),
  ),
);

describe('RSA sign/verify matrix', () => {
  test.each(MATRIX)('rsa-$bits $padding $hash $input', ({ bits, padding, hash, input }) => {
    const { privateKey, publicKey } = pair(bits);
    const opts: SignOptions = { hash, pss: padding === 'pss', input };
    const data = dataFor(input, hash, message);

    const sig = sign(privateKey, data, opts);
    expect(sig.length).toBe(bits / 8);

    // (a) the engine verifies it, with the public or the private key
    expect(verify(publicKey, data, sig, opts)).toBe(true);
    expect(verify(privateKey, data, sig, opts)).toBe(true);
    // …and in the other input mode (a digest signature IS a signature over the message)
    const otherOpts: SignOptions = { ...opts, input: other(input) };
    expect(verify(publicKey, dataFor(other(input), hash, message), sig, otherOpts)).toBe(true);

    // (b) node:crypto verifies it over the ORIGINAL message
    expect(nodeVerifiesRsa(publicKey, hash, message, sig, padding)).toBe(true);

    // (c) wrong message and flipped signature bytes are refused by both
    const wrongData = dataFor(input, hash, wrongMessage);
    expect(verify(publicKey, wrongData, sig, opts)).toBe(false);
    expect(nodeVerifiesRsa(publicKey, hash, wrongMessage, sig, padding)).toBe(false);
    for (const index of [0, sig.length >> 1, sig.length - 1]) {
      const bad = flipBit(sig, index, 3);
      expect(verify(publicKey, data, bad, opts)).toBe(false);
      expect(nodeVerifiesRsa(publicKey, hash, message, bad, padding)).toBe(false);
    }

    // PKCS#1 v1.5 is deterministic: byte-identical to node's own signature of the message.
    if (padding === 'pkcs1') {
      expect(sig).toEqual(nodeSign(NODE_HASH[hash], message, privateKey));
    }
  });
});

describe('RSA details', () => {
  test('defaults: PKCS#1 v1.5 with sha2-256 over the message', () => {
    const { privateKey, publicKey } = pair(2048);
    const sig = sign(privateKey, message);
    expect(sig).toEqual(nodeSign('sha256', message, privateKey));
    expect(verify(publicKey, message, sig)).toBe(true);
    expect(verify(publicKey, digestOf('sha2-256', message), sig, { input: 'digest' })).toBe(true);
  });

  test('pss defaults to sha2-256', () => {
    const { privateKey, publicKey } = pair(2048);
    const sig = sign(privateKey, message, { pss: true });
    expect(nodeVerifiesRsa(publicKey, 'sha2-256', message, sig, 'pss')).toBe(true);
  });

  test.each(INPUTS)('PSS (%s mode) is randomised and uses salt length = hash length', (input) => {
    const { privateKey, publicKey } = pair(3072);
    const opts: SignOptions = { hash: 'sha2-384', pss: true, input };
    const data = dataFor(input, 'sha2-384', message);
    const a = sign(privateKey, data, opts);
    const b = sign(privateKey, data, opts);
    expect(a).not.toEqual(b);
    const withSalt = (saltLength: number) =>
      nodeVerify(
        'sha384',
        message,
        { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength },
        a,
      );
    expect(withSalt(48)).toBe(true);
    expect(withSalt(32)).toBe(false);
    expect(withSalt(64)).toBe(false);
  });

  describe('PSS verification is strict about the encoded message', () => {
    const mHash = digestOf('sha2-256', message);
    const salt = detBytes('pss salt', 32);
    const check = (sig: Buffer) =>
      [
        verify(pair(2048).publicKey, mHash, sig, { pss: true, input: 'digest' }),
        verify(pair(2048).publicKey, message, sig, { pss: true }),
        nodeVerifiesRsa(pair(2048).publicKey, 'sha2-256', message, sig, 'pss'),
      ] as const;

    test('control: a well-formed hand-built encoding verifies everywhere', () => {
      const sig = signHandBuiltPss(pair(2048).privateKey, 'sha256', mHash, salt);
      expect(check(sig)).toEqual([true, true, true]);
    });

    test.each<[string, PssDefects]>([
      ['non-zero padding string', { firstPsOctet: 0x01 }],
      ['separator 0x02 instead of 0x01', { separator: 0x02 }],
      ['separator 0x00 (salt one octet short)', { separator: 0x00 }],
      ['trailer 0xbb instead of 0xbc', { trailer: 0xbb }],
    ])('%s is refused', (_label, defects) => {
      const sig = signHandBuiltPss(pair(2048).privateKey, 'sha256', mHash, salt, defects);
      expect(check(sig)).toEqual([false, false, false]);
    });

    test('a salt shorter than the hash is refused (salt length must be hLen)', () => {
      const sig = signHandBuiltPss(pair(2048).privateKey, 'sha256', mHash, salt.subarray(0, 20));
      expect(check(sig)).toEqual([false, false, false]);
      // …although it is a valid PSS signature with a 20-byte salt:
      const withSalt20 = { key: pair(2048).publicKey, padding: constants.RSA_PKCS1_PSS_PADDING };
      expect(nodeVerify('sha256', message, { ...withSalt20, saltLength: 20 }, sig)).toBe(true);
    });
  });

  test.each(INPUTS)('%s mode: hash, padding or key mismatches do not verify', (input) => {
    const { privateKey, publicKey } = pair(2048);
    for (const pss of [false, true]) {
      const data = dataFor(input, 'sha2-256', message);
      const sig = sign(privateKey, data, { hash: 'sha2-256', pss, input });
      // same digest length, different hash
      const sha3 = dataFor(input, 'sha3-256', message);
      expect(verify(publicKey, sha3, sig, { hash: 'sha3-256', pss, input })).toBe(false);
      // the other padding
      expect(verify(publicKey, data, sig, { hash: 'sha2-256', pss: !pss, input })).toBe(false);
      // another key of the same size
      const otherPublic = otherKey!.publicKey;
      expect(verify(otherPublic, data, sig, { hash: 'sha2-256', pss, input })).toBe(false);
    }
  });

  test.each(INPUTS)('%s mode: malformed signatures return false, never throw', (input) => {
    const { publicKey } = pair(2048);
    const data = dataFor(input, 'sha2-256', message);
    for (const pss of [false, true]) {
      for (const bad of [
        Buffer.alloc(0),
        Buffer.alloc(3, 1),
        Buffer.alloc(255, 1),
        Buffer.alloc(257, 1),
        Buffer.alloc(256, 0),
        Buffer.alloc(256, 0xff), // larger than the modulus
      ]) {
        expect(verify(publicKey, data, bad, { pss, input })).toBe(false);
      }
    }
  });
});
