/**
 * Key material of a CryptoKeyVersion: generation, validation of imported material, and the
 * node:crypto key objects built from it. Material is stored as base64 (raw bytes for
 * symmetric / HMAC keys, PKCS#8 DER for private keys) so the store stays plain JSON.
 *
 * @module
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPair,
  randomBytes,
  type KeyObject,
} from 'node:crypto';
import { promisify } from 'node:util';
import type { AlgorithmSpec, KeyKind } from './algorithms';
import { invalidArgument } from './errors';

const generateKeyPairAsync = promisify(generateKeyPair);

/** Fresh material for `spec`, as base64. Async so RSA-4096 does not block other calls. */
export async function generateMaterial(spec: AlgorithmSpec): Promise<string> {
  const kind = spec.key;
  if (kind.type === 'secret') return randomBytes(kind.bytes).toString('base64');
  const pair =
    kind.type === 'rsa'
      ? await generateKeyPairAsync('rsa', { modulusLength: kind.bits, publicExponent: 65537 })
      : kind.type === 'ec'
        ? await generateKeyPairAsync('ec', { namedCurve: kind.curve })
        : await generateKeyPairAsync('ed25519');
  return pair.privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
}

/**
 * Length of the outer DER SEQUENCE including its header, or undefined when `der` does not start
 * with one. Used to refuse trailing bytes, which node:crypto's parser silently tolerates (and
 * which SoftHSM 2.6.1's KWP padding bug produces, byok-formats.md §6.3).
 */
function derSequenceLength(der: Uint8Array): number | undefined {
  if (der.length < 2 || der[0] !== 0x30) return undefined;
  const first = der[1] ?? 0;
  if (first < 0x80) return 2 + first;
  const count = first & 0x7f;
  if (count === 0 || count > 4 || der.length < 2 + count) return undefined;
  let length = 0;
  for (let i = 0; i < count; i++) length = length * 256 + (der[2 + i] ?? 0);
  return 2 + count + length;
}

function describe(kind: KeyKind): string {
  switch (kind.type) {
    case 'secret':
      return `${kind.bytes} bytes of raw key material`;
    case 'rsa':
      return `a PKCS#8 RSA ${kind.bits}-bit private key`;
    case 'ec':
      return `a PKCS#8 EC private key on curve ${kind.curve}`;
    case 'ed25519':
      return 'a PKCS#8 Ed25519 private key';
  }
}

/**
 * Checks unwrapped material against the algorithm it is imported as and returns it as base64.
 * INVALID_ARGUMENT with the expected format on any mismatch.
 */
export function checkImportedMaterial(spec: AlgorithmSpec, material: Buffer): string {
  const kind = spec.key;
  const wrong = (why: string): Error =>
    invalidArgument(
      `The imported key material does not match algorithm ${spec.name}: expected ${describe(kind)}; ${why}.`,
    );
  if (kind.type === 'secret') {
    if (material.length !== kind.bytes) throw wrong(`got ${material.length} bytes`);
    return material.toString('base64');
  }
  const total = derSequenceLength(material);
  if (total === undefined) throw wrong('the material is not a DER SEQUENCE (PKCS#8)');
  if (total !== material.length)
    throw wrong(`${material.length - total} trailing or missing bytes after the PKCS#8 structure`);
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: material, format: 'der', type: 'pkcs8' });
  } catch (e) {
    throw wrong(`it does not parse as PKCS#8 (${(e as Error).message})`);
  }
  const type = key.asymmetricKeyType ?? 'unknown';
  const details = key.asymmetricKeyDetails ?? {};
  if (kind.type === 'rsa') {
    if (type !== 'rsa') throw wrong(`got a ${type} key`);
    if (details.modulusLength !== kind.bits)
      throw wrong(`got a ${details.modulusLength ?? 0}-bit RSA key`);
  } else if (kind.type === 'ec') {
    if (type !== 'ec') throw wrong(`got a ${type} key`);
    if (details.namedCurve !== kind.curve)
      throw wrong(`got an EC key on curve ${details.namedCurve ?? 'unknown'}`);
  } else if (type !== 'ed25519') throw wrong(`got a ${type} key`);
  return material.toString('base64');
}

/** SHA-256 of the material, kept after destruction so a re-import can prove it is identical. */
export function fingerprint(materialB64: string): string {
  return createHash('sha256').update(Buffer.from(materialB64, 'base64')).digest('hex');
}

// Parsing PKCS#8 on every call costs more than the signature itself; material never changes
// for a given base64 string, so the string is a safe cache key.
const privateKeys = new Map<string, KeyObject>();

export function privateKeyOf(materialB64: string): KeyObject {
  let key = privateKeys.get(materialB64);
  if (key === undefined) {
    key = createPrivateKey({
      key: Buffer.from(materialB64, 'base64'),
      format: 'der',
      type: 'pkcs8',
    });
    privateKeys.set(materialB64, key);
  }
  return key;
}

export function secretOf(materialB64: string): Buffer {
  return Buffer.from(materialB64, 'base64');
}

/** SubjectPublicKeyInfo PEM (with trailing newline, as the service returns it). */
export function publicKeyPem(materialB64: string): string {
  return createPublicKey(privateKeyOf(materialB64))
    .export({ format: 'pem', type: 'spki' })
    .toString();
}

export function publicKeyDer(materialB64: string): Buffer {
  return createPublicKey(privateKeyOf(materialB64)).export({ format: 'der', type: 'spki' });
}
