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
import { derElementLength } from '../common/der';
import { ImportFailure } from './unwrap';

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
 * An ImportFailure (→ IMPORT_FAILED) naming the expected format on any mismatch.
 */
export function checkImportedMaterial(spec: AlgorithmSpec, material: Buffer): string {
  const kind = spec.key;
  const wrong = (why: string): Error =>
    new ImportFailure(
      `the key material does not match algorithm ${spec.name}: expected ${describe(kind)}; ${why}.`,
    );
  if (kind.type === 'secret') {
    if (material.length !== kind.bytes) throw wrong(`got ${material.length} bytes`);
    return material.toString('base64');
  }
  const total = material[0] === 0x30 ? derElementLength(material) : undefined;
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
