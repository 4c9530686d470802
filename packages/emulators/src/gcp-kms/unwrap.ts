/**
 * ImportJob import methods (resources.proto `ImportMethod`; https://cloud.google.com/kms/docs/key-wrapping):
 *
 * - `RSA_OAEP_{3072,4096}_{SHA1,SHA256}_AES_256`: blob = RSA-OAEP(job key, K) ‖ AES-KWP(K, material)
 *   (PKCS#11 CKM_RSA_AES_KEY_WRAP; OAEP with MGF1 over the same hash, empty label; RFC 5649
 *   KWP with the default alternative IV).
 * - `RSA_OAEP_{3072,4096}_SHA256`: blob = RSA-OAEP-SHA256(job key, material); symmetric only.
 *
 * Written from the specs with node:crypto only, never sharing the engine's wrapping code.
 *
 * Two kinds of failure, as the service reports them
 * (https://cloud.google.com/kms/docs/troubleshooting-failed-imports): length errors are detected
 * before unwrapping and refuse the request (INVALID_ARGUMENT, the documented messages "Wrapped
 * key is too short", "Wrapped key does not consist of 64-bit blocks", "Wrapped key has invalid
 * length"); anything found while unwrapping happens asynchronously and leaves an IMPORT_FAILED
 * version whose import_failure_reason says why ({@link ImportFailure}).
 *
 * @module
 */
import { constants, generateKeyPair, privateDecrypt, createDecipheriv } from 'node:crypto';
import { promisify } from 'node:util';
import { invalidArgument } from './errors';

/** The documented reason for material that cannot be unwrapped or parsed. */
export const IMPORT_FAILED_REASON =
  "The key material in the import request couldn't be unwrapped or wasn't formatted correctly";

/** A failure found while importing: becomes the version's import_failure_reason. */
export class ImportFailure extends Error {
  constructor(detail: string) {
    super(`${IMPORT_FAILED_REASON}: ${detail}`);
    this.name = 'ImportFailure';
  }
}

export interface ImportMethodSpec {
  readonly bits: 3072 | 4096;
  readonly oaepHash: 'sha1' | 'sha256';
  /** true: RSA-OAEP ‖ AES-KWP; false: direct RSA-OAEP of the material. */
  readonly hybrid: boolean;
}

export const IMPORT_METHODS: ReadonlyMap<string, ImportMethodSpec> = new Map([
  ['RSA_OAEP_3072_SHA1_AES_256', { bits: 3072, oaepHash: 'sha1', hybrid: true }],
  ['RSA_OAEP_4096_SHA1_AES_256', { bits: 4096, oaepHash: 'sha1', hybrid: true }],
  ['RSA_OAEP_3072_SHA256_AES_256', { bits: 3072, oaepHash: 'sha256', hybrid: true }],
  ['RSA_OAEP_4096_SHA256_AES_256', { bits: 4096, oaepHash: 'sha256', hybrid: true }],
  ['RSA_OAEP_3072_SHA256', { bits: 3072, oaepHash: 'sha256', hybrid: false }],
  ['RSA_OAEP_4096_SHA256', { bits: 4096, oaepHash: 'sha256', hybrid: false }],
]);

/** RFC 5649 §3 alternative initial value. */
const KWP_IV = Buffer.from('A65959A6', 'hex');

const generateKeyPairAsync = promisify(generateKeyPair);

export function importMethodSpec(name: string): ImportMethodSpec {
  const spec = IMPORT_METHODS.get(name);
  if (spec === undefined)
    throw invalidArgument(
      `import_method ${name} is not supported by the emulator (supported: ${[...IMPORT_METHODS.keys()].join(', ')}).`,
    );
  return spec;
}

/** A fresh RSA wrapping key pair for an import job, as PEM (SPKI public, PKCS#8 private). */
export async function generateJobKey(
  spec: ImportMethodSpec,
): Promise<{ privateKeyPem: string; publicKeyPem: string }> {
  const pair = await generateKeyPairAsync('rsa', {
    modulusLength: spec.bits,
    publicExponent: 65537,
  });
  return {
    privateKeyPem: pair.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicKeyPem: pair.publicKey.export({ format: 'pem', type: 'spki' }).toString(),
  };
}

function oaepDecrypt(spec: ImportMethodSpec, privateKeyPem: string, block: Buffer): Buffer {
  try {
    return privateDecrypt(
      { key: privateKeyPem, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: spec.oaepHash },
      block,
    );
  } catch {
    throw new ImportFailure(
      `RSA-OAEP-${spec.oaepHash.toUpperCase()} decryption with the ImportJob's private key failed (was it wrapped with this ImportJob's public_key and the import method's hash?).`,
    );
  }
}

function kwpUnwrap(aesKey: Buffer, wrapped: Buffer): Buffer {
  if (aesKey.length !== 32)
    throw new ImportFailure(`the RSA-OAEP block holds ${aesKey.length} bytes, not an AES-256 key.`);
  try {
    const decipher = createDecipheriv('id-aes256-wrap-pad', aesKey, KWP_IV);
    return Buffer.concat([decipher.update(wrapped), decipher.final()]);
  } catch {
    throw new ImportFailure('AES-KWP (RFC 5649) integrity check failed.');
  }
}

/**
 * The length checks done before unwrapping; INVALID_ARGUMENT with the service's messages and
 * what was expected. The smallest KWP output is 16 bytes (RFC 5649 §4.1).
 */
export function checkWrappedLength(spec: ImportMethodSpec, blob: Buffer): void {
  const modulusBytes = spec.bits / 8;
  if (!spec.hybrid) {
    if (blob.length !== modulusBytes)
      throw invalidArgument(
        `Wrapped key has invalid length: ${blob.length} bytes; import method RSA_OAEP_${spec.bits}_SHA256 expects exactly ${modulusBytes}.`,
      );
    return;
  }
  if (blob.length < modulusBytes + 16)
    throw invalidArgument(
      `Wrapped key is too short: ${blob.length} bytes; it must be the ${modulusBytes}-byte RSA-OAEP block followed by an AES-KWP block of at least 16 bytes.`,
    );
  if ((blob.length - modulusBytes) % 8 !== 0)
    throw invalidArgument(
      `Wrapped key does not consist of 64-bit blocks: the AES-KWP part after the ${modulusBytes}-byte RSA-OAEP block is ${blob.length - modulusBytes} bytes.`,
    );
}

/**
 * Unwraps `blob` (length already checked) per the import method with the job's private key;
 * {@link ImportFailure} when it cannot be unwrapped.
 */
export function unwrapKeyMaterial(
  spec: ImportMethodSpec,
  privateKeyPem: string,
  blob: Buffer,
): Buffer {
  const modulusBytes = spec.bits / 8;
  if (!spec.hybrid) return oaepDecrypt(spec, privateKeyPem, blob);
  const aesKey = oaepDecrypt(spec, privateKeyPem, blob.subarray(0, modulusBytes));
  return kwpUnwrap(aesKey, blob.subarray(modulusBytes));
}
