/**
 * Cryptographic operations: Encrypt, Decrypt, Sign, Verify, GetPublicKey, GenerateMac,
 * VerifyMac. Every one checks key state first (DisabledException, KMSInvalidStateException for
 * PendingImport / PendingDeletion), then key usage and algorithm (InvalidKeyUsageException),
 * then does the work with node:crypto.
 *
 * @module
 */
import {
  constants,
  createHmac,
  createPublicKey,
  privateDecrypt,
  publicEncrypt,
  timingSafeEqual,
  type KeyObject,
} from 'node:crypto';
import { blobKeyId, openSymmetric, sealSymmetric } from './ciphertext';
import { kmsError } from './errors';
import {
  algorithmsFor,
  ENCRYPTION_ALGORITHMS,
  KEY_SPECS,
  MAC_ALGORITHMS,
  oaepMaxBytes,
  RSA_ENCRYPTION_HASH,
  SIGNING_ALGORITHMS,
  type EcCurve,
  type KeySpecInfo,
  type KeyUsage,
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
import { requireUsable, type KeyRecord, type KmsStore } from './store';

/** AWS signing algorithms the SDK can send; the ones not in SIGNING_ALGORITHMS fit no key here. */
const ALL_SIGNING_ALGORITHMS = [
  ...Object.keys(SIGNING_ALGORITHMS),
  'ED25519_SHA_512',
  'ED25519_PH_SHA_512',
  'ML_DSA_SHAKE_256',
  'SM2DSA',
];

interface UsableKey {
  readonly key: KeyRecord;
  readonly arn: string;
  readonly spec: KeySpecInfo;
  readonly material: Buffer;
}

function usableKey(store: KmsStore, keyId: string, usage: KeyUsage, operation: string): UsableKey {
  const key = store.resolveKey(keyId);
  const material = requireUsable(store, key, usage, operation);
  const spec = KEY_SPECS[key.keySpec];
  if (spec === undefined) throw kmsError('KMSInternalException', `Unknown key spec ${key.keySpec}`);
  return { key, arn: store.keyArn(key.id), spec, material };
}

function requireAlgorithm(
  k: UsableKey,
  allowed: readonly string[] | undefined,
  algorithm: string,
): void {
  if (!(allowed ?? []).includes(algorithm))
    throw kmsError(
      'InvalidKeyUsageException',
      `Algorithm ${algorithm} is incompatible with key spec ${k.key.keySpec} of ${k.arn}.`,
    );
}

/** DryRun: every check passed, so answer the way AWS does instead of doing the work. */
function dryRunStop(req: Json): void {
  if (optionalBoolean(req, 'DryRun') === true)
    throw kmsError(
      'DryRunOperationException',
      'The request would have succeeded, but the DryRun option is set.',
    );
}

const publicKeyOf = (store: KmsStore, material: Buffer): KeyObject =>
  createPublicKey(store.privateKey(material));

export const Encrypt: Operation = (store, req) => {
  const keyId = requiredString(req, 'KeyId');
  const plaintext = requiredBlob(req, 'Plaintext', 1, 4096);
  const context = optionalStringMap(req, 'EncryptionContext');
  const algorithm =
    optionalEnum(req, 'EncryptionAlgorithm', ENCRYPTION_ALGORITHMS) ?? 'SYMMETRIC_DEFAULT';
  const k = usableKey(store, keyId, 'ENCRYPT_DECRYPT', 'Encrypt');
  requireAlgorithm(k, k.spec.encryption, algorithm);
  let blob: Buffer;
  if (k.spec.family === 'symmetric') {
    dryRunStop(req);
    blob = sealSymmetric(k.key.id, k.material, plaintext, context);
  } else {
    const hash = RSA_ENCRYPTION_HASH[algorithm] ?? 'sha256';
    if (context !== undefined)
      throw kmsError(
        'ValidationException',
        'EncryptionContext is not supported with asymmetric KMS keys',
      );
    const max = k.spec.family === 'rsa' ? oaepMaxBytes(k.spec.bits, hash) : 0;
    if (plaintext.length > max)
      throw kmsError(
        'ValidationException',
        `Plaintext is too long for ${algorithm} with ${k.key.keySpec}: at most ${max} bytes`,
      );
    dryRunStop(req);
    blob = publicEncrypt(
      {
        key: publicKeyOf(store, k.material),
        padding: constants.RSA_PKCS1_OAEP_PADDING,
        oaepHash: hash,
      },
      plaintext,
    );
  }
  return { CiphertextBlob: blob.toString('base64'), KeyId: k.arn, EncryptionAlgorithm: algorithm };
};

export const Decrypt: Operation = (store, req) => {
  const blob = requiredBlob(req, 'CiphertextBlob', 1, 6144);
  const keyIdParam = optionalString(req, 'KeyId');
  const context = optionalStringMap(req, 'EncryptionContext');
  const algorithm =
    optionalEnum(req, 'EncryptionAlgorithm', ENCRYPTION_ALGORITHMS) ?? 'SYMMETRIC_DEFAULT';
  const embedded = blobKeyId(blob);
  let keyId = keyIdParam;
  if (keyId === undefined) {
    if (algorithm !== 'SYMMETRIC_DEFAULT')
      throw kmsError(
        'ValidationException',
        'KeyId is required when decrypting with an asymmetric KMS key',
      );
    if (embedded === undefined)
      throw kmsError('InvalidCiphertextException', 'The ciphertext is invalid.');
    keyId = embedded;
  }
  const k = usableKey(store, keyId, 'ENCRYPT_DECRYPT', 'Decrypt');
  requireAlgorithm(k, k.spec.encryption, algorithm);
  let plaintext: Buffer | undefined;
  if (k.spec.family === 'symmetric') {
    if (embedded === undefined)
      throw kmsError('InvalidCiphertextException', 'The ciphertext is invalid.');
    if (embedded !== k.key.id)
      throw kmsError('IncorrectKeyException', `The ciphertext was not encrypted under ${k.arn}.`);
    dryRunStop(req);
    plaintext = openSymmetric(k.material, blob, context);
  } else {
    if (context !== undefined)
      throw kmsError(
        'ValidationException',
        'EncryptionContext is not supported with asymmetric KMS keys',
      );
    dryRunStop(req);
    try {
      plaintext = privateDecrypt(
        {
          key: store.privateKey(k.material),
          padding: constants.RSA_PKCS1_OAEP_PADDING,
          oaepHash: RSA_ENCRYPTION_HASH[algorithm],
        },
        blob,
      );
    } catch {
      plaintext = undefined;
    }
  }
  if (plaintext === undefined)
    throw kmsError('InvalidCiphertextException', 'The ciphertext is invalid.');
  return { KeyId: k.arn, Plaintext: plaintext.toString('base64'), EncryptionAlgorithm: algorithm };
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
  const type = optionalEnum(req, 'MessageType', ['RAW', 'DIGEST'] as const) ?? 'RAW';
  const algorithm = requiredEnum(req, 'SigningAlgorithm', ALL_SIGNING_ALGORITHMS);
  const k = usableKey(store, keyId, 'SIGN_VERIFY', operation);
  requireAlgorithm(k, k.spec.signing, algorithm);
  const info = SIGNING_ALGORITHMS[algorithm];
  if (type === 'DIGEST' && info !== undefined && message.length !== info.hashBytes)
    throw kmsError(
      'ValidationException',
      `Digest is invalid length for algorithm ${algorithm}: expected ${info.hashBytes} bytes, got ${message.length}.`,
    );
  return { k, algorithm, message, type };
}

function signingParts(r: SignRequest): { info: SigningAlgorithmInfo; curve: EcCurve | undefined } {
  const info = SIGNING_ALGORITHMS[r.algorithm];
  if (info === undefined)
    throw kmsError('InvalidKeyUsageException', `Unsupported algorithm ${r.algorithm}`);
  return { info, curve: r.k.spec.family === 'ecc' ? r.k.spec.curve : undefined };
}

export const Sign: Operation = (store, req) => {
  const r = readSignRequest(store, req, 'Sign');
  const { info, curve } = signingParts(r);
  dryRunStop(req);
  const signature = signMessage(store.privateKey(r.k.material), curve, info, r.message, r.type);
  return { KeyId: r.k.arn, Signature: signature.toString('base64'), SigningAlgorithm: r.algorithm };
};

export const Verify: Operation = (store, req) => {
  const r = readSignRequest(store, req, 'Verify');
  const signature = requiredBlob(req, 'Signature', 1, 6144);
  const { info, curve } = signingParts(r);
  dryRunStop(req);
  const publicKey = publicKeyOf(store, r.k.material);
  if (!verifyMessage(publicKey, curve, info, r.message, r.type, signature))
    throw kmsError('KMSInvalidSignatureException', 'The signature is not valid.');
  return { KeyId: r.k.arn, SignatureValid: true, SigningAlgorithm: r.algorithm };
};

export const GetPublicKey: Operation = (store, req) => {
  const key = store.resolveKey(requiredString(req, 'KeyId'));
  const spec = KEY_SPECS[key.keySpec];
  if (spec?.family !== 'rsa' && spec?.family !== 'ecc')
    throw kmsError(
      'UnsupportedOperationException',
      `${store.keyArn(key.id)} has key spec ${key.keySpec}; only asymmetric keys have a public key.`,
    );
  const k = usableKey(store, key.id, key.keyUsage, 'GetPublicKey');
  return {
    KeyId: k.arn,
    PublicKey: publicKeyOf(store, k.material)
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
  const keyId = requiredString(req, 'KeyId');
  const message = requiredBlob(req, 'Message', 1, 4096);
  const algorithm = requiredEnum(req, 'MacAlgorithm', Object.keys(MAC_ALGORITHMS));
  const k = usableKey(store, keyId, 'GENERATE_VERIFY_MAC', operation);
  requireAlgorithm(k, k.spec.mac, algorithm);
  const hash = MAC_ALGORITHMS[algorithm] ?? 'sha256';
  return { k, algorithm, mac: createHmac(hash, k.material).update(message).digest() };
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
    throw kmsError('KMSInvalidMacException', 'The MAC is not valid.');
  return { KeyId: k.arn, MacValid: true, MacAlgorithm: algorithm };
};
