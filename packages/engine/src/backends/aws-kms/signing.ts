/**
 * Sign and Verify. The hash is checked against AWS's schemes before any request and against the
 * key's own schemes from its (cached) metadata, before the signing request. Messages up to 4096
 * bytes go to AWS as RAW (AWS hashes); larger (or empty) ones are hashed here and sent as DIGEST,
 * which yields the same signature. AWS returns ECDSA signatures as DER and RSA as raw bytes,
 * which is already the contract's normal form.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import {
  SignCommand,
  VerifyCommand,
  type MessageType,
  type SigningAlgorithmSpec,
} from '@aws-sdk/client-kms';
import { HASH_ALGORITHMS, type HashAlgorithmName } from '../../algorithms/hashes';
import {
  BackendError,
  InvalidDigestError,
  MissingParameterError,
  UnsupportedHashAlgorithmError,
  UnsupportedOperationError,
  notAllowedMessage,
} from '../../errors';
import type { BackendSignOptions, KeyRef } from '../contract';
import { AWS_KEY_TYPES, MAX_MESSAGE_BYTES } from './capabilities';
import type { AwsConnection } from './client';
import { schemesOf, type ResolvedKey } from './keys';
import { operationKey, sendWithKey } from './operation-key';

interface SignPlan {
  readonly key: ResolvedKey;
  readonly algorithm: SigningAlgorithmSpec;
  readonly message: Uint8Array;
  readonly messageType: MessageType;
}

/** Hashes some AWS key accepts, per PSS flag: the request-free first check. */
function anySchemeHashes(pss: boolean): HashAlgorithmName[] {
  const rows = Object.values(AWS_KEY_TYPES).flatMap((r) => r.schemes);
  return [...new Set(rows.filter((s) => s.pss === pss).map((s) => s.hash))];
}

function hashRefusal(hash: string, context: string, allowed: readonly string[]): Error {
  return new UnsupportedHashAlgorithmError(
    notAllowedMessage('hash_algorithm', hash, context, allowed),
    {
      field: 'hash_algorithm',
      allowed,
    },
  );
}

function checkHashUpFront(options: BackendSignOptions): HashAlgorithmName {
  const hash = options.hash;
  if (hash === undefined) {
    // Every AWS signing algorithm Keyplane uses hashes (AWS Ed25519 is not offered).
    throw new MissingParameterError('hash_algorithm is required for AWS KMS signing keys', {
      field: 'hash_algorithm',
      allowed: anySchemeHashes(options.pss ?? false),
    });
  }
  const allowed = anySchemeHashes(options.pss ?? false);
  if (!allowed.includes(hash)) throw hashRefusal(hash, 'in awskms', allowed);
  return hash;
}

async function planSignature(
  conn: AwsConnection,
  ref: KeyRef,
  data: Uint8Array,
  options: BackendSignOptions,
): Promise<SignPlan> {
  const hash = checkHashUpFront(options);
  const pss = options.pss ?? false;
  const key = await operationKey(conn, ref);
  const schemes = schemesOf(key);
  const keyType = key.row.keyType;
  if (schemes.length === 0) {
    throw new UnsupportedOperationError(`key '${ref.name}' (${keyType}) cannot sign in AWS KMS`, {
      field: 'name',
    });
  }
  if (pss && !schemes.some((s) => s.pss)) {
    throw new UnsupportedOperationError(`${keyType} keys have no PSS signatures`, {
      field: 'pss',
    });
  }
  const scheme = schemes.find((s) => s.hash === hash && s.pss === pss);
  if (scheme === undefined) {
    const allowed = schemes.filter((s) => s.pss === pss).map((s) => s.hash);
    throw hashRefusal(hash, `for ${keyType} keys in awskms`, allowed);
  }
  const algorithm = HASH_ALGORITHMS[hash];
  if (options.input === 'digest') {
    if (data.length !== algorithm.length) {
      throw new InvalidDigestError(
        `digest must be ${String(algorithm.length)} bytes for ${hash}, got ${String(data.length)}`,
        { field: 'digest' },
      );
    }
    return { key, algorithm: scheme.algorithm, message: data, messageType: 'DIGEST' };
  }
  if (data.length === 0 || data.length > MAX_MESSAGE_BYTES) {
    const digest = createHash(algorithm.nodeName).update(data).digest();
    return {
      key,
      algorithm: scheme.algorithm,
      message: digest,
      messageType: 'DIGEST',
    };
  }
  return { key, algorithm: scheme.algorithm, message: data, messageType: 'RAW' };
}

export async function signWithKms(
  conn: AwsConnection,
  ref: KeyRef,
  data: Uint8Array,
  options: BackendSignOptions,
): Promise<Buffer> {
  const plan = await planSignature(conn, ref, data, options);
  const out = await sendWithKey(conn, ref, plan.key, `Sign ${ref.name}`, (c) =>
    c.send(
      new SignCommand({
        KeyId: plan.key.keyId,
        Message: plan.message,
        MessageType: plan.messageType,
        SigningAlgorithm: plan.algorithm,
      }),
    ),
  );
  if (out.Signature === undefined) {
    throw new BackendError(`Sign ${ref.name}: AWS KMS returned no signature`, {
      backendCode: 'MissingSignature',
    });
  }
  return Buffer.from(out.Signature);
}

/** AWS's Signature member is 1..6144 bytes; anything else cannot be a valid signature. */
const MAX_SIGNATURE_BYTES = 6144;

export async function verifyWithKms(
  conn: AwsConnection,
  ref: KeyRef,
  data: Uint8Array,
  signature: Uint8Array,
  options: BackendSignOptions,
): Promise<boolean> {
  const plan = await planSignature(conn, ref, data, options);
  if (signature.length === 0 || signature.length > MAX_SIGNATURE_BYTES) return false;
  return await sendWithKey(conn, ref, plan.key, `Verify ${ref.name}`, async (c) => {
    try {
      const out = await c.send(
        new VerifyCommand({
          KeyId: plan.key.keyId,
          Message: plan.message,
          MessageType: plan.messageType,
          SigningAlgorithm: plan.algorithm,
          Signature: signature,
        }),
      );
      return out.SignatureValid === true;
    } catch (e) {
      // AWS answers a wrong signature with an exception, not SignatureValid: false.
      if ((e as { name?: string }).name === 'KMSInvalidSignatureException') return false;
      throw e;
    }
  });
}
