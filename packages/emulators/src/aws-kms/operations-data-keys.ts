/**
 * Envelope encryption and randomness: GenerateDataKey, GenerateDataKeyWithoutPlaintext,
 * ReEncrypt, GenerateRandom (AWS KMS API reference). Data keys come from a symmetric encryption
 * KMS key's CURRENT material and report its KeyMaterialId; ReEncrypt decrypts under the source
 * (any material it ever had) and encrypts under the destination without returning plaintext.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { decryptBlob, encryptUnder, usableKey, type UsableKey } from './encryption';
import { kmsError } from './errors';
import { ENCRYPTION_ALGORITHMS } from './key-specs';
import { dryRunStop } from './operations-crypto';
import {
  optionalEnum,
  optionalInteger,
  optionalString,
  optionalStringMap,
  requiredBlob,
  requiredString,
  type Json,
  type Operation,
} from './request';
import type { KmsStore } from './store';

/** DataKeySpec → bytes. */
const DATA_KEY_SPECS: Readonly<Record<string, number>> = { AES_256: 32, AES_128: 16 };

/** Nitro Enclaves attestation and custom key stores are outside the emulator. */
function refuseUnsupported(req: Json): void {
  if (req.Recipient !== undefined && req.Recipient !== null)
    throw kmsError(
      'UnsupportedOperationException',
      'Recipient (AWS Nitro Enclaves attestation) is not supported by the Keyplane emulator',
    );
  if (optionalString(req, 'CustomKeyStoreId') !== undefined)
    throw kmsError(
      'UnsupportedOperationException',
      'Custom key stores are not supported by the Keyplane emulator',
    );
}

/** NumberOfBytes or KeySpec, exactly one (API reference: "specify either … but not both"). */
function dataKeyLength(req: Json): number {
  const bytes = optionalInteger(req, 'NumberOfBytes', 1, 1024);
  const spec = optionalEnum(req, 'KeySpec', Object.keys(DATA_KEY_SPECS));
  if (bytes !== undefined && spec !== undefined)
    throw kmsError('ValidationException', 'Specify either KeySpec or NumberOfBytes, not both.');
  const length = bytes ?? (spec === undefined ? undefined : DATA_KEY_SPECS[spec]);
  if (length === undefined)
    throw kmsError('ValidationException', 'Specify either KeySpec or NumberOfBytes.');
  return length;
}

/** Data keys need a symmetric encryption key; an RSA key is InvalidKeyUsageException. */
function dataKeyKey(store: KmsStore, req: Json, operation: string): UsableKey {
  const k = usableKey(
    store,
    store.resolveKey(requiredString(req, 'KeyId')),
    'ENCRYPT_DECRYPT',
    operation,
  );
  if (k.spec.family !== 'symmetric')
    throw kmsError(
      'InvalidKeyUsageException',
      `${k.arn} key spec is ${k.key.keySpec}; ${operation} needs a symmetric encryption KMS key.`,
    );
  return k;
}

function generateDataKey(store: KmsStore, req: Json, operation: string) {
  refuseUnsupported(req);
  const length = dataKeyLength(req);
  const context = optionalStringMap(req, 'EncryptionContext');
  const k = dataKeyKey(store, req, operation);
  dryRunStop(req);
  const plaintext = randomBytes(length);
  const { blob, materialId } = encryptUnder(store, k, 'SYMMETRIC_DEFAULT', plaintext, context);
  return {
    plaintext,
    response: {
      CiphertextBlob: blob.toString('base64'),
      KeyId: k.arn,
      ...(materialId === undefined ? {} : { KeyMaterialId: materialId }),
    },
  };
}

export const GenerateDataKey: Operation = (store, req) => {
  const { plaintext, response } = generateDataKey(store, req, 'GenerateDataKey');
  return { ...response, Plaintext: plaintext.toString('base64') };
};

export const GenerateDataKeyWithoutPlaintext: Operation = (store, req) =>
  generateDataKey(store, req, 'GenerateDataKeyWithoutPlaintext').response;

export const ReEncrypt: Operation = (store, req) => {
  const source = {
    blob: requiredBlob(req, 'CiphertextBlob', 1, 6144),
    keyId: optionalString(req, 'SourceKeyId'),
    context: optionalStringMap(req, 'SourceEncryptionContext'),
    algorithm:
      optionalEnum(req, 'SourceEncryptionAlgorithm', ENCRYPTION_ALGORITHMS) ?? 'SYMMETRIC_DEFAULT',
  };
  const destinationId = requiredString(req, 'DestinationKeyId');
  const destinationContext = optionalStringMap(req, 'DestinationEncryptionContext');
  const destinationAlgorithm =
    optionalEnum(req, 'DestinationEncryptionAlgorithm', ENCRYPTION_ALGORITHMS) ??
    'SYMMETRIC_DEFAULT';
  const destination = usableKey(
    store,
    store.resolveKey(destinationId),
    'ENCRYPT_DECRYPT',
    'ReEncrypt',
  );
  const decrypted = decryptBlob(store, source, 'ReEncrypt', () => {
    dryRunStop(req);
  });
  const { blob, materialId } = encryptUnder(
    store,
    destination,
    destinationAlgorithm,
    decrypted.plaintext,
    destinationContext,
  );
  return {
    CiphertextBlob: blob.toString('base64'),
    SourceKeyId: decrypted.k.arn,
    KeyId: destination.arn,
    SourceEncryptionAlgorithm: source.algorithm,
    DestinationEncryptionAlgorithm: destinationAlgorithm,
    ...(decrypted.materialId === undefined ? {} : { SourceKeyMaterialId: decrypted.materialId }),
    ...(materialId === undefined ? {} : { DestinationKeyMaterialId: materialId }),
  };
};

export const GenerateRandom: Operation = (_store, req) => {
  refuseUnsupported(req);
  const length = optionalInteger(req, 'NumberOfBytes', 1, 1024);
  if (length === undefined) throw kmsError('ValidationException', 'NumberOfBytes is required.');
  return { Plaintext: randomBytes(length).toString('base64') };
};
