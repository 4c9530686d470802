/**
 * What the backend conformance sections share: the fixture contract, the suite's view of the
 * expected capability matrix, and the independent checks (node:crypto verification, SPKI
 * shape, typed refusals).
 *
 * @module
 */
import { constants, verify as nodeVerify, type KeyObject } from 'node:crypto';
import { HASH_ALGORITHMS, KEY_TYPES, type KeyTypeName } from '@keyplane/engine';
import type {
  BackendKeyType,
  KeyRef,
  KeyUsage,
  KmsBackend,
  SignatureScheme,
} from '../../../src/backends/contract';
import { rejection, type Rejection } from '../../support/rejection';
import { ALL_KEY_TYPES } from '../../support/byok-matrix';
import type { CapabilityMatrix, OptionalOperation } from '../support/capability-matrix';

export interface ConformanceFixture {
  /** Built with `retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 }`. */
  readonly backend: KmsBackend;
  /** A fresh, backend-valid ref for a key that does not exist yet. */
  newKeyRef(label: string): KeyRef;
  /**
   * Makes the backend's next `times` sign requests fail with its retryable server error
   * (emulator fault injection). Absent where the backend has no fault injection (PKCS#11).
   */
  failNextSigns?(times: number): Promise<void>;
  close(): Promise<void>;
}

export const MESSAGE = Buffer.from('keyplane conformance message');

/** Independent verification with node:crypto on the original message. */
export function nodeVerifies(
  publicKey: KeyObject,
  keyType: BackendKeyType,
  scheme: SignatureScheme,
  message: Uint8Array,
  signature: Uint8Array,
): boolean {
  if (keyType === 'ed25519') return nodeVerify(null, message, publicKey, signature);
  if (scheme.hash === undefined) throw new Error(`${keyType} scheme without hash`);
  const hash = HASH_ALGORITHMS[scheme.hash];
  if (keyType.startsWith('rsa')) {
    const padding = scheme.pss ? constants.RSA_PKCS1_PSS_PADDING : constants.RSA_PKCS1_PADDING;
    const key = scheme.pss
      ? { key: publicKey, padding, saltLength: hash.length }
      : { key: publicKey, padding };
    return nodeVerify(hash.nodeName, message, key, signature);
  }
  return nodeVerify(hash.nodeName, message, { key: publicKey, dsaEncoding: 'der' }, signature);
}

/** Every asymmetric type signs: the hard-coded matrix's key types without the AES one. */
export const ASYMMETRIC_SIGNING: readonly KeyTypeName[] = ALL_KEY_TYPES.filter(
  (t) => t !== 'aes256-gcm96',
);

/** Smallest type per family: the import tests' material. */
export const IMPORT_REPRESENTATIVES: readonly KeyTypeName[] = [
  'rsa-2048',
  'ecdsa-p256',
  'ed25519',
  'aes256-gcm96',
];

export function schemeName(s: SignatureScheme): string {
  return `${s.hash ?? 'pure'}${s.pss ? '/pss' : ''}`;
}

export const OPTIONAL_OPERATIONS: readonly OptionalOperation[] = [
  'encrypt',
  'decrypt',
  'wrapKey',
  'unwrapKey',
  'mac',
  'verifyMac',
  'generateRandom',
];

export const sorted = <T>(values: readonly T[]): T[] => [...values].sort();

/** Capabilities with every list sorted, for comparing as sets. */
export function normalized(c: {
  readonly generate: Readonly<Partial<Record<string, readonly string[]>>>;
  readonly import: readonly string[];
  readonly protections: readonly string[];
  readonly nativeVersions: boolean;
}) {
  return {
    generate: Object.fromEntries(
      sorted(Object.keys(c.generate)).map((t) => [t, sorted(c.generate[t] ?? [])]),
    ),
    import: sorted(c.import),
    protections: sorted(c.protections),
    nativeVersions: c.nativeVersions,
  };
}

export function expectSpki(publicKey: KeyObject, keyType: KeyTypeName): void {
  const t = KEY_TYPES[keyType];
  expect(publicKey.type).toBe('public');
  const details = publicKey.asymmetricKeyDetails;
  if (t.family === 'rsa') {
    expect(publicKey.asymmetricKeyType).toBe('rsa');
    expect(details?.modulusLength).toBe(t.bits);
    expect(details?.publicExponent).toBe(65537n);
  } else if (t.family === 'ecdsa') {
    expect(publicKey.asymmetricKeyType).toBe('ec');
    expect(details?.namedCurve).toBe(t.namedCurve);
  } else {
    expect(publicKey.asymmetricKeyType).toBe(t.family);
  }
}

/** A copy with the first bit flipped. */
export function flipped(bytes: Uint8Array): Buffer {
  const copy = Buffer.from(bytes);
  copy.writeUInt8((copy.readUInt8(0) ^ 1) & 0xff, 0);
  return copy;
}

export const spkiOf = (k: KeyObject): Buffer => k.export({ format: 'der', type: 'spki' });

export async function expectCode(promise: Promise<unknown>, code: string): Promise<Rejection> {
  const error = await rejection(promise);
  expect(error.code).toBe(code);
  return error;
}

export function usagesFor(keyType: KeyTypeName): KeyUsage[] {
  return KEY_TYPES[keyType].family === 'aes' ? ['encrypt', 'decrypt'] : ['sign', 'verify'];
}

/** One backend's suite, as the sections see it. */
export interface ConformanceSuite {
  readonly name: string;
  readonly expected: CapabilityMatrix;
  /** The backend under test (set by the suite's beforeAll: call it in hooks and tests only). */
  backend(): KmsBackend;
  /** The fixture (same). */
  fixture(): ConformanceFixture;
  generates(keyType: BackendKeyType, usage: KeyUsage): boolean;
  has(operation: OptionalOperation): boolean;
}
