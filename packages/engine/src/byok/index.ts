/**
 * BYOK wrapping for AWS KMS, Azure Key Vault / Managed HSM and Google Cloud KMS, plus one entry
 * point that dispatches on the target name.
 *
 * @module
 */
import { kmsProvider, type KmsProviderName } from '../algorithms/clouds';
import { wrapForAws } from './aws';
import { wrapForAzure, type AzureByokParameters } from './azure';
import { wrapForGcp } from './gcp';
import type { ByokWrapResult } from './wrap';

export * from './aws';
export * from './azure';
export * from './gcp';
export type { ByokWrapParameters, ByokWrapResult } from './wrap';
export { parseWrappingKey, type WrappingKey, type WrappingKeyInput } from './wrapping-key';

export interface ByokRequest extends AzureByokParameters {
  /** `aws` | `azure` | `gcp` (or `awskms` | `azurekeyvault` | `gcpckms`). */
  readonly target: string;
}

const FORMATS: Readonly<Record<KmsProviderName, (req: ByokRequest) => ByokWrapResult>> = {
  awskms: wrapForAws,
  azurekeyvault: wrapForAzure,
  gcpckms: wrapForGcp,
};

/** Wraps key material for import into the named cloud. */
export function wrapKeyForImport(req: ByokRequest): ByokWrapResult {
  return FORMATS[kmsProvider(req.target, 'target').name](req);
}
