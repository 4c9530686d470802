/**
 * What key material looks like for each key spec: generating it for `Origin: AWS_KMS` keys and
 * checking imported material against the key spec the way AWS documents it ("Requirements for
 * imported key material"): symmetric = exactly 32 bytes, HMAC = a length range per spec,
 * asymmetric = a PKCS#8 private key of the right type and size / curve, nothing after it.
 *
 * @module
 */
import {
  createHash,
  createPrivateKey,
  generateKeyPair,
  randomBytes,
  type KeyObject,
} from 'node:crypto';
import { promisify } from 'node:util';
import { derElementLength } from '../common/der';
import { kmsError } from './errors';
import type { KeySpecInfo } from './key-specs';

const generateKeyPairAsync = promisify(generateKeyPair);

/** Fresh material for a key KMS generates itself. */
export async function generateMaterial(spec: KeySpecInfo): Promise<Buffer> {
  switch (spec.family) {
    case 'symmetric':
      return randomBytes(spec.bytes);
    case 'hmac':
      return randomBytes(spec.minBytes);
    case 'rsa': {
      const { privateKey } = await generateKeyPairAsync('rsa', { modulusLength: spec.bits });
      return privateKey.export({ format: 'der', type: 'pkcs8' });
    }
    case 'ecc': {
      const { privateKey } = await generateKeyPairAsync('ec', { namedCurve: spec.nodeCurve });
      return privateKey.export({ format: 'der', type: 'pkcs8' });
    }
    case 'eddsa': {
      const { privateKey } = await generateKeyPairAsync('ed25519');
      return privateKey.export({ format: 'der', type: 'pkcs8' });
    }
  }
}

function incorrect(arn: string, why: string): Error {
  return kmsError('IncorrectKeyMaterialException', `Key material for ${arn} is invalid: ${why}`);
}

function parsePkcs8(bytes: Buffer, arn: string): KeyObject {
  if (bytes[0] !== 0x30) throw incorrect(arn, 'not a DER PKCS#8 PrivateKeyInfo');
  const len = derElementLength(bytes);
  if (len === undefined || len > bytes.length) throw incorrect(arn, 'truncated PKCS#8 structure');
  if (len < bytes.length)
    throw incorrect(arn, `${bytes.length - len} unexpected byte(s) after the PKCS#8 structure`);
  try {
    return createPrivateKey({ key: bytes, format: 'der', type: 'pkcs8' });
  } catch {
    throw incorrect(arn, 'not a parsable PKCS#8 private key');
  }
}

/**
 * Checks unwrapped material against the key spec and returns the form the emulator stores
 * (raw bytes, or PKCS#8 re-encoded canonically so "the same key" compares equal even when the
 * importer's encoding differed, e.g. with or without the optional EC public key).
 */
export function checkImportedMaterial(spec: KeySpecInfo, bytes: Buffer, arn: string): Buffer {
  switch (spec.family) {
    case 'symmetric':
      if (bytes.length !== spec.bytes)
        throw incorrect(
          arn,
          `symmetric key material must be ${spec.bytes} bytes, got ${bytes.length}`,
        );
      return bytes;
    case 'hmac':
      if (bytes.length < spec.minBytes || bytes.length > spec.maxBytes)
        throw incorrect(
          arn,
          `HMAC key material must be ${spec.minBytes}-${spec.maxBytes} bytes, got ${bytes.length}`,
        );
      return bytes;
    case 'rsa': {
      const key = parsePkcs8(bytes, arn);
      const bits = key.asymmetricKeyDetails?.modulusLength;
      if (key.asymmetricKeyType !== 'rsa' || bits !== spec.bits)
        throw incorrect(
          arn,
          `expected an RSA ${spec.bits}-bit private key, got ${key.asymmetricKeyType ?? '?'} ${bits ?? '?'}`,
        );
      return key.export({ format: 'der', type: 'pkcs8' });
    }
    case 'ecc': {
      const key = parsePkcs8(bytes, arn);
      const curve = key.asymmetricKeyDetails?.namedCurve;
      if (key.asymmetricKeyType !== 'ec' || curve !== spec.nodeCurve)
        throw incorrect(
          arn,
          `expected an EC ${spec.curve} private key, got ${key.asymmetricKeyType ?? '?'} ${curve ?? '?'}`,
        );
      return key.export({ format: 'der', type: 'pkcs8' });
    }
    case 'eddsa': {
      const key = parsePkcs8(bytes, arn);
      if (key.asymmetricKeyType !== 'ed25519')
        throw incorrect(
          arn,
          `expected an Ed25519 private key, got ${key.asymmetricKeyType ?? '?'}`,
        );
      return key.export({ format: 'der', type: 'pkcs8' });
    }
  }
}

/**
 * Stable identifier of a key's material (hex, 64 chars like AWS KeyMaterialId). Bound to the key
 * id so equal material in two keys does not look related.
 */
export function materialIdOf(keyId: string, material: Buffer): string {
  return createHash('sha256')
    .update('keyplane-aws-kms-material\0')
    .update(keyId)
    .update(material)
    .digest('hex');
}
