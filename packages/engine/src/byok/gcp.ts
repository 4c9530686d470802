/**
 * Google Cloud KMS BYOK: `wrapped_key` for `ImportCryptoKeyVersion`, made with the import job's
 * public key (PEM, RSA 3072 or 4096 — the size is part of the import method's name).
 * https://cloud.google.com/kms/docs/wrapping-a-key ; ImportMethod in `service.proto`.
 *
 * @module
 */
import {
  wrapForProvider,
  wrapTransfer,
  type ByokWrapParameters,
  type ByokWrapResult,
  type TransferWrapParameters,
} from './wrap';
import { isTokenKey } from '../crypto/token-key';
import { toPublicKey, type WrappingKeyInput } from './wrapping-key';

/** Default import method: the hybrid sized to the import job's key (SHA-1 for token keys). */
function defaultImportMethod(wrappingKey: WrappingKeyInput, hash = 'SHA256'): string {
  const bits = toPublicKey(wrappingKey).asymmetricKeyDetails?.modulusLength;
  return `RSA_OAEP_${bits === 4096 ? '4096' : '3072'}_${hash}_AES_256`;
}

/** `blob` is the `wrapped_key` for `ImportCryptoKeyVersion` with the same import job. */
export function wrapForGcp(params: ByokWrapParameters): ByokWrapResult {
  // Only derive the default from the KEK when no method was named, so an explicit method is
  // resolved (and refused if unknown) before the KEK is parsed, as on AWS and Azure.
  const method = params.algorithm ?? defaultImportMethod(params.wrappingKey);
  return wrapForProvider('gcpckms', params, method);
}

/** wrapForGcp for software material or a PKCS#11 token key (HSM origin). */
export async function wrapTransferForGcp(params: TransferWrapParameters): Promise<ByokWrapResult> {
  const method =
    params.algorithm ??
    defaultImportMethod(params.wrappingKey, isTokenKey(params.key) ? 'SHA1' : 'SHA256');
  return await wrapTransfer('gcpckms', { ...params, algorithm: method }, method);
}
