/** Deterministic test bytes and small byte helpers (no engine code). */
import { createHash } from 'node:crypto';

/** `n` deterministic pseudo-random bytes derived from `label` (SHAKE-256). */
export function detBytes(label: string, n: number): Buffer {
  return createHash('shake256', { outputLength: n }).update(label).digest();
}

export function hex(s: string): Buffer {
  return Buffer.from(s.replace(/\s+/g, ''), 'hex');
}

/** A copy of `buf` with bit `bit` of byte `index` flipped. */
export function flipBit(buf: Uint8Array, index: number, bit = 0): Buffer {
  const out = Buffer.from(buf);
  out[index] = (out[index] ?? 0) ^ (1 << bit);
  return out;
}

/** Hash names as node:crypto / OpenSSL spell them, typed here (not read from the engine). */
export const NODE_HASH = {
  sha1: 'sha1',
  'sha2-224': 'sha224',
  'sha2-256': 'sha256',
  'sha2-384': 'sha384',
  'sha2-512': 'sha512',
  'sha3-224': 'sha3-224',
  'sha3-256': 'sha3-256',
  'sha3-384': 'sha3-384',
  'sha3-512': 'sha3-512',
} as const;

export type TestHashName = keyof typeof NODE_HASH;

export const ALL_HASHES = Object.keys(NODE_HASH) as TestHashName[];

export function digestOf(hash: TestHashName, message: Uint8Array): Buffer {
  return createHash(NODE_HASH[hash]).update(message).digest();
}

/** The `openssl dgst` flag for each hash name. */
export const OPENSSL_DIGEST: Readonly<Record<TestHashName, string>> = {
  sha1: '-sha1',
  'sha2-224': '-sha224',
  'sha2-256': '-sha256',
  'sha2-384': '-sha384',
  'sha2-512': '-sha512',
  'sha3-224': '-sha3-224',
  'sha3-256': '-sha3-256',
  'sha3-384': '-sha3-384',
  'sha3-512': '-sha3-512',
};
