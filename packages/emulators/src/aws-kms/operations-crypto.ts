/**
 * Cryptographic operations: Encrypt, Decrypt, Sign, Verify, GetPublicKey, GenerateMac,
 * VerifyMac. Every one checks key state first (DisabledException, KMSInvalidStateException for
 * PendingImport / PendingDeletion), then key usage and algorithm (InvalidKeyUsageException),
 * then does the work with node:crypto.
 *
 * @module
 */
import { createHmac, createPublicKey, timingSafeEqual, type KeyObject } from 'node:crypto';
import {
  decryptBlob,
  encryptUnder,
  requireAlgorithm,
  usableKey,
  type UsableKey,
} from './encryption';
import { kmsError } from './errors';
import {
  algorithmsFor,
  ENCRYPTION_ALGORITHMS,
  KEY_SPECS,
  MAC_ALGORITHMS,
  SIGNING_ALGORITHMS,
  type EcCurve,
  type SigningAlgorithmInfo,
} from './key-specs';
import {
  optionalBoolean,
  optionalEnum,
  optionalString,
  optionalStringMap,
  requiredBlob,
  requiredEnum,
  requiredString,
  type Json,
  type Operation,
} from './request';
import { signMessage, verifyMessage, type MessageType } from './signing';
import type { KmsStore } from './store';

/** AWS signing algorithms the SDK can send; the ones not in SIGNING_ALGORITHMS fit no key here. */
const ALL_SIGNING_ALGORITHMS = [
  ...Object.keys(SIGNING_ALGORITHMS),
  'ED25519_PH_SHA_512',
  'ML_DSA_SHAKE_256',
  'SM2DSA',
];

/** DryRun: every check passed, so answer the way AWS does instead of doing the work. */
export function dryRunStop(req: Json): void {
  if (optionalBoolean(req, 'DryRun') === true)
    throw kmsError(
      'DryRunOperationException',
      'The request would have succeeded, but the DryRun option is set.',
    );
}

const publicKeyOf = (store: KmsStore, material: Buffer): KeyObject =>
  createPublicKey(store.privateKey(material));

const keyFor = (store: KmsStore, req: Json, usage: UsableKey['key']['keyUsage'], op: string) =>
  usableKey(store, store.resolveKey(requiredString(req, 'KeyId')), usage, op);

export const Encrypt: Operation = (store, req) => {
  const keyId = requiredString(req, 'KeyId');
  const plaintext = requiredBlob(req, 'Plaintext', 1, 4096);
  const context = optionalStringMap(req, 'EncryptionContext');
  const algorithm =
    optionalEnum(req, 'EncryptionAlgorithm', ENCRYPTION_ALGORITHMS) ?? 'SYMMETRIC_DEFAULT';
  const k = usableKey(store, store.resolveKey(keyId), 'ENCRYPT_DECRYPT', 'Encrypt');
  requireAlgorithm(k, k.spec.encryption, algorithm);
  dryRunStop(req);
  const { blob } = encryptUnder(store, k, algorithm, plaintext, context);
  return { CiphertextBlob: blob.toString('base64'), KeyId: k.arn, EncryptionAlgorithm: algorithm };
};

export const Decrypt: Operation = (store, req) => {
  const input = {
    blob: requiredBlob(req, 'CiphertextBlob', 1, 6144),
    keyId: optionalString(req, 'KeyId'),
    context: optionalStringMap(req, 'EncryptionContext'),
    algorithm:
      optionalEnum(req, 'EncryptionAlgorithm', ENCRYPTION_ALGORITHMS) ?? 'SYMMETRIC_DEFAULT',
  };
  const { k, plaintext, materialId } = decryptBlob(store, input, 'Decrypt', () => {
    dryRunStop(req);
  });
  return {
    KeyId: k.arn,
    Plaintext: plaintext.toString('base64'),
    EncryptionAlgorithm: input.algorithm,
    ...(materialId === undefined ? {} : { KeyMaterialId: materialId }),
  };
};

interface SignRequest {
  readonly k: UsableKey;
  readonly algorithm: string;
  readonly message: Buffer;
  readonly type: MessageType;
}

function readSignRequest(store: KmsStore, req: Json, operation: string): SignRequest {
  const keyId = requiredString(req, 'KeyId');
  const message = requiredBlob(req, 'Message', 1, 4096);
  const type = optionalEnum(req, 'MessageType', ['RAW', 'DIGEST', 'EXTERNAL_MU'] as const) ?? 'RAW';
  if (type === 'EXTERNAL_MU')
    throw kmsError('ValidationException', 'MessageType EXTERNAL_MU is only valid for ML-DSA keys.');
  const algorithm = requiredEnum(req, 'SigningAlgorithm', ALL_SIGNING_ALGORITHMS);
  const k = usableKey(store, store.resolveKey(keyId), 'SIGN_VERIFY', operation);
  requireAlgorithm(k, k.spec.signing, algorithm);
  const info = SIGNING_ALGORITHMS[algorithm];
  if (type === 'DIGEST' && info !== undefined) {
    if (info.hashBytes === undefined)
      throw kmsError(
        'ValidationException',
        `MessageType DIGEST is not supported for algorithm ${algorithm}; use RAW.`,
      );
    // AWS's wording exactly (recorded): nothing appended.
    if (message.length !== info.hashBytes)
      throw kmsError('ValidationException', `Digest is invalid length for algorithm ${algorithm}.`);
  }
  return { k, algorithm, message, type };
}

function signingParts(r: SignRequest): { info: SigningAlgorithmInfo; curve: EcCurve | undefined } {
  const info = SIGNING_ALGORITHMS[r.algorithm];
  if (info === undefined)
    throw kmsError(
      'UnsupportedOperationException',
      `Signing algorithm ${r.algorithm} is not supported by the Keyplane emulator`,
    );
  return { info, curve: r.k.spec.family === 'ecc' ? r.k.spec.curve : undefined };
}

export const Sign: Operation = (store, req) => {
  const r = readSignRequest(store, req, 'Sign');
  const { info, curve } = signingParts(r);
  dryRunStop(req);
  const signature = signMessage(store.privateKey(r.k.bytes), curve, info, r.message, r.type);
  return { KeyId: r.k.arn, Signature: signature.toString('base64'), SigningAlgorithm: r.algorithm };
};

export const Verify: Operation = (store, req) => {
  const r = readSignRequest(store, req, 'Verify');
  const signature = requiredBlob(req, 'Signature', 1, 6144);
  const { info, curve } = signingParts(r);
  dryRunStop(req);
  const publicKey = publicKeyOf(store, r.k.bytes);
  // AWS answers an invalid signature with an empty message (recorded).
  if (!verifyMessage(publicKey, curve, info, r.message, r.type, signature))
    throw kmsError('KMSInvalidSignatureException', '');
  return { KeyId: r.k.arn, SignatureValid: true, SigningAlgorithm: r.algorithm };
};

export const GetPublicKey: Operation = (store, req) => {
  const key = store.resolveKey(requiredString(req, 'KeyId'));
  const spec = KEY_SPECS[key.keySpec];
  if (spec === undefined || spec.family === 'symmetric' || spec.family === 'hmac')
    throw kmsError(
      'UnsupportedOperationException',
      `${store.keyArn(key.id)} has key spec ${key.keySpec}; only asymmetric keys have a public key.`,
    );
  const k = usableKey(store, key, key.keyUsage, 'GetPublicKey');
  return {
    KeyId: k.arn,
    PublicKey: publicKeyOf(store, k.bytes)
      .export({ format: 'der', type: 'spki' })
      .toString('base64'),
    CustomerMasterKeySpec: key.keySpec,
    KeySpec: key.keySpec,
    KeyUsage: key.keyUsage,
    ...algorithmsFor(spec, key.keyUsage),
  };
};

function macOf(
  store: KmsStore,
  req: Json,
  operation: string,
): { k: UsableKey; algorithm: string; mac: Buffer } {
  const message = requiredBlob(req, 'Message', 1, 4096);
  const algorithm = requiredEnum(req, 'MacAlgorithm', Object.keys(MAC_ALGORITHMS));
  const k = keyFor(store, req, 'GENERATE_VERIFY_MAC', operation);
  requireAlgorithm(k, k.spec.mac, algorithm);
  const hash = MAC_ALGORITHMS[algorithm] ?? 'sha256';
  return { k, algorithm, mac: createHmac(hash, k.bytes).update(message).digest() };
}

export const GenerateMac: Operation = (store, req) => {
  const { k, algorithm, mac } = macOf(store, req, 'GenerateMac');
  dryRunStop(req);
  return { Mac: mac.toString('base64'), MacAlgorithm: algorithm, KeyId: k.arn };
};

export const VerifyMac: Operation = (store, req) => {
  const { k, algorithm, mac } = macOf(store, req, 'VerifyMac');
  const given = requiredBlob(req, 'Mac', 1, 6144);
  dryRunStop(req);
  if (given.length !== mac.length || !timingSafeEqual(given, mac))
    throw kmsError('KMSInvalidMacException', ''); // empty, as recorded from AWS
  return { KeyId: k.arn, MacValid: true, MacAlgorithm: algorithm };
};
