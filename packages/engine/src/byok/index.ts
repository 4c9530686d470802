/**
 * BYOK wrapping for AWS KMS, Azure Key Vault / Managed HSM and Google Cloud KMS, plus one entry
 * point that dispatches on the target name.
 *
 * @module
 */
import { KMS_PROVIDERS, kmsProvider, type KmsProviderName } from '../algorithms/clouds';
import { InvalidArgumentError } from '../errors';
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

/** Request fields only one cloud's format uses; given for another target they are refused. */
const PROVIDER_ONLY: Readonly<Partial<Record<keyof ByokRequest, KmsProviderName>>> = {
  kid: 'azurekeyvault',
  azureService: 'azurekeyvault',
};

/** Wraps key material for import into the named cloud. */
export function wrapKeyForImport(req: ByokRequest): ByokWrapResult {
  const provider = kmsProvider(req.target, 'target');
  for (const [field, only] of Object.entries(PROVIDER_ONLY)) {
    if (only !== provider.name && req[field as keyof ByokRequest] !== undefined) {
      // Silently ignoring it would hide a mix-up (an Azure command line aimed at AWS).
      throw new InvalidArgumentError(
        `${field} is only used for target ${KMS_PROVIDERS[only].target}, not ${provider.target}`,
        { field },
      );
    }
  }
  return FORMATS[provider.name](req);
}
