/**
 * Parsing and checking of a cloud's BYOK wrapping key (KEK): AWS returns DER SPKI, GCP a PEM
 * SPKI, Azure a JWK we turn into a KeyObject upstream. All must be RSA of an allowed size.
 *
 * @module
 */
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import type { WrappingAlgorithm } from '../algorithms/wrapping-algorithms';
import { InvalidWrappingKeyError, notAllowedMessage } from '../errors';

export interface WrappingKey {
  readonly key: KeyObject;
  readonly modulusBits: number;
  /** Lowercase hex SHA-256 of the DER SPKI: lets operators match the KEK the cloud issued. */
  readonly sha256: string;
}

export type WrappingKeyInput = KeyObject | Buffer | string;

/** Accepts a public KeyObject, PEM (string or bytes) or DER SPKI bytes. */
export function toPublicKey(input: WrappingKeyInput, field = 'wrappingKey'): KeyObject {
  if (typeof input !== 'string' && !Buffer.isBuffer(input)) {
    if (input.type === 'public') return input;
    throw new InvalidWrappingKeyError(`${field} must be a public key, got a ${input.type} key`, {
      field,
    });
  }
  const text =
    typeof input === 'string' ? input : input.toString('latin1', 0, Math.min(input.length, 256));
  const isPem = text.includes('-----BEGIN');
  // node would quietly derive the public half of a private key; a private key here is a
  // mix-up of files (and a leak risk), never a wrapping key.
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) {
    throw new InvalidWrappingKeyError(
      `${field} is a private key; pass the cloud's public wrapping key (SubjectPublicKeyInfo)`,
      { field },
    );
  }
  try {
    return isPem
      ? createPublicKey({ key: input, format: 'pem' })
      : createPublicKey({
          key: Buffer.isBuffer(input) ? input : Buffer.from(input),
          format: 'der',
          type: 'spki',
        });
  } catch (cause) {
    throw new InvalidWrappingKeyError(`${field} is not a PEM or DER SubjectPublicKeyInfo`, {
      field,
      cause,
    });
  }
}

/** Parses a KEK and checks it against the algorithm's key type and sizes. */
export function parseWrappingKey(
  input: WrappingKeyInput,
  algorithm: WrappingAlgorithm,
  field = 'wrappingKey',
): WrappingKey {
  const key = toPublicKey(input, field);
  if (key.asymmetricKeyType !== 'rsa') {
    throw new InvalidWrappingKeyError(
      `${field} must be an RSA public key, got ${key.asymmetricKeyType ?? 'unknown'}`,
      { field, allowed: ['rsa'] },
    );
  }
  const modulusBits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (!algorithm.kekBits.includes(modulusBits)) {
    const allowed = algorithm.kekBits.map(String);
    throw new InvalidWrappingKeyError(
      notAllowedMessage(
        `${field} size`,
        `${modulusBits}`,
        `for ${algorithm.name} on ${algorithm.provider}`,
        allowed,
      ),
      { field, allowed },
    );
  }
  const sha256 = createHash('sha256')
    .update(key.export({ format: 'der', type: 'spki' }))
    .digest('hex');
  return { key, modulusBits, sha256 };
}
