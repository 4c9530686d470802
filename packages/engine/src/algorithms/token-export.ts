/**
 * Which BYOK wrapping algorithm each cloud takes for a key generated in a PKCS#11 token
 * (origin `hsm:<kms>`), as data. The token composes CKM_RSA_AES_KEY_WRAP from C_WrapKey calls,
 * and SoftHSM2 2.6.1's CKM_RSA_PKCS_OAEP accepts only SHA-1 / MGF1-SHA1
 * (https://github.com/softhsm/SoftHSMv2/blob/2.6.1/src/lib/SoftHSM.cpp, MechParamCheckRSAPKCSOAEP),
 * so only the SHA-1 hybrids are listed: AWS RSA_AES_KEY_WRAP_SHA_1
 * (https://docs.aws.amazon.com/kms/latest/APIReference/API_GetParametersForImport.html), Azure's
 * one format (https://learn.microsoft.com/azure/key-vault/keys/byok-specification) and GCP's
 * RSA_OAEP_*_SHA1_AES_256 import methods (https://cloud.google.com/kms/docs/key-wrapping).
 * PKCS#11 targets are absent: a token key is never unwrapped into another token.
 *
 * @module
 */
import type { KmsProviderName } from './clouds';
import type { KeyFamily } from './key-types';
import { names, table } from './table';

/**
 * How a token key's blob is assembled, per key family (backends/pkcs11/export.ts):
 * - `token`: every step in the token (C_GenerateKey K, C_WrapKey OAEP-SHA1, C_WrapKey KWP).
 * - `kwp-trim`: SoftHSM 2.6.1 zero-pads private keys before RFC 5649 wrapping (fixed upstream
 *   in SoftHSMv2 f94aaff, in no release), so the PKCS#8 is wrapped under a session transport
 *   key, cut to its DER length in memory, re-wrapped and wiped.
 * Ed25519 is absent: SoftHSM 2.6.1 wraps no Edwards private key.
 */
export type ExportAssembly = 'token' | 'kwp-trim';
export const EXPORT_ASSEMBLY = table<Exclude<KeyFamily, 'ed25519'>, ExportAssembly>({
  aes: 'token',
  rsa: 'kwp-trim',
  ecdsa: 'kwp-trim',
});
export const EXPORTABLE_FAMILIES: readonly KeyFamily[] = names(EXPORT_ASSEMBLY);

/** Allowed algorithms per cloud, the first being the default. */
export const TOKEN_EXPORT_ALGORITHMS = table<KmsProviderName, readonly string[]>({
  awskms: ['RSA_AES_KEY_WRAP_SHA_1'],
  azurekeyvault: ['CKM_RSA_AES_KEY_WRAP'],
  gcpckms: ['RSA_OAEP_3072_SHA1_AES_256', 'RSA_OAEP_4096_SHA1_AES_256'],
});
