/**
 * Google Cloud KMS BYOK: `wrapped_key` for `ImportCryptoKeyVersion`, made with the import job's
 * public key (PEM, RSA 3072 or 4096 — the size is part of the import method's name).
 * https://cloud.google.com/kms/docs/wrapping-a-key ; ImportMethod in `service.proto`.
 *
 * @module
 */
import { wrapForProvider, type ByokWrapParameters, type ByokWrapResult } from './wrap';
import { toPublicKey, type WrappingKeyInput } from './wrapping-key';

/** Default import method: the SHA-256 hybrid sized to the import job's key. */
function defaultImportMethod(wrappingKey: WrappingKeyInput): string {
  const bits = toPublicKey(wrappingKey).asymmetricKeyDetails?.modulusLength;
  return bits === 4096 ? 'RSA_OAEP_4096_SHA256_AES_256' : 'RSA_OAEP_3072_SHA256_AES_256';
}

/** `blob` is the `wrapped_key` for `ImportCryptoKeyVersion` with the same import job. */
export function wrapForGcp(params: ByokWrapParameters): ByokWrapResult {
  // Only derive the default from the KEK when no method was named, so an explicit method is
  // resolved (and refused if unknown) before the KEK is parsed, as on AWS and Azure.
  const method = params.algorithm ?? defaultImportMethod(params.wrappingKey);
  return wrapForProvider('gcpckms', params, method);
}
