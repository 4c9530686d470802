/**
 * AWS KMS BYOK: `EncryptedKeyMaterial` for `ImportKeyMaterial`, made with the public key and
 * algorithm from `GetParametersForImport` (DER SPKI, RSA 2048/3072/4096). Asymmetric keys are
 * PKCS#8 DER of the private key only; AES is the raw 32 bytes.
 * https://docs.aws.amazon.com/kms/latest/developerguide/importing-keys-encrypt-key-material.html
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

/** `WrappingAlgorithm` values; the default is the strongest hybrid. */
export const AWS_DEFAULT_WRAPPING_ALGORITHM = 'RSA_AES_KEY_WRAP_SHA_256';

/** `blob` is the `EncryptedKeyMaterial`; send it with the `ImportToken` from the same call. */
export function wrapForAws(params: ByokWrapParameters): ByokWrapResult {
  return wrapForProvider('awskms', params, AWS_DEFAULT_WRAPPING_ALGORITHM);
}

/** wrapForAws for software material or a PKCS#11 token key (HSM origin). */
export async function wrapTransferForAws(params: TransferWrapParameters): Promise<ByokWrapResult> {
  return await wrapTransfer('awskms', params, AWS_DEFAULT_WRAPPING_ALGORITHM);
}
