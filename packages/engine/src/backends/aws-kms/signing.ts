/**
 * Sign and Verify. The hash is checked against AWS's schemes before any request and against the
 * key's own schemes from its (cached) metadata, before the signing request. Messages up to 4096
 * bytes go to AWS as RAW (AWS hashes); larger (or empty) ones are hashed here and sent as DIGEST,
 * which yields the same signature. AWS returns ECDSA signatures as DER and RSA as raw bytes,
 * which is already the contract's normal form.
 *
 * @module
 */
import {
  SignCommand,
  VerifyCommand,
  type MessageType,
  type SigningAlgorithmSpec,
} from '@aws-sdk/client-kms';
import { HASH_ALGORITHMS } from '../../algorithms/hashes';
import { checkDigestLength, digestForSigning } from '../../crypto/digest';
import { BackendError } from '../../errors';
import { selectScheme } from '../common/signature-scheme';
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

/** Every scheme some AWS key type offers: the request-free first check. */
const ALL_SCHEMES = Object.values(AWS_KEY_TYPES).flatMap((r) => r.schemes);

async function planSignature(
  conn: AwsConnection,
  ref: KeyRef,
  data: Uint8Array,
  options: BackendSignOptions,
): Promise<SignPlan> {
  // A hash no AWS key offers (sha3-*, PSS on nothing) is refused before any request…
  selectScheme(ALL_SCHEMES, options, 'in awskms');
  const key = await operationKey(conn, ref);
  // …and one this key does not offer before the Sign request.
  const scheme = selectScheme(schemesOf(key), options, `for ${key.row.keyType} keys in awskms`);
  const hash = HASH_ALGORITHMS[scheme.hash];
  if (options.input === 'digest') {
    checkDigestLength(hash, data);
    return { key, algorithm: scheme.algorithm, message: data, messageType: 'DIGEST' };
  }
  if (data.length === 0 || data.length > MAX_MESSAGE_BYTES) {
    const digest = digestForSigning(hash, data, 'message');
    return { key, algorithm: scheme.algorithm, message: digest, messageType: 'DIGEST' };
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
