/**
 * Where the clouds are: read from the environment `keyplane dev env` exports (or your own, for
 * real clouds). Only locations and identifiers live here; secrets reach Terraform as sensitive
 * variables (TF_VAR_…), never through synth.
 *
 * @module
 */

/** Endpoints and collections of the four KMS connections. */
export interface CloudSettings {
  /** AWS region the key is imported into. */
  readonly awsRegion: string;
  /** AWS KMS endpoint URL. */
  readonly awsEndpoint: string;
  /** Azure Key Vault URL. */
  readonly azureVaultUrl: string;
  /** PEM CA that signed the vault's TLS certificate (absolute path). */
  readonly azureCaFile: string;
  /** GCP key ring `projects/<p>/locations/<l>/keyRings/<r>`. */
  readonly gcpKeyRing: string;
  /** GCP Cloud KMS endpoint `host:port`. */
  readonly gcpEndpoint: string;
  /** PKCS#11 module (absolute path). */
  readonly pkcs11Library: string;
  /** PKCS#11 token label. */
  readonly pkcs11TokenLabel: string;
}

/** Setting → the environment variable it is read from (as `keyplane dev env` names them). */
export const SETTING_VARIABLES: Readonly<Record<keyof CloudSettings, string>> = {
  awsRegion: 'AWS_REGION',
  awsEndpoint: 'KEYPLANE_AWS_KMS_ENDPOINT',
  azureVaultUrl: 'KEYPLANE_AZURE_KEYVAULT_URL',
  azureCaFile: 'KEYPLANE_AZURE_CA_FILE',
  gcpKeyRing: 'KEYPLANE_GCP_KEY_RING',
  gcpEndpoint: 'KEYPLANE_GCP_KMS_ENDPOINT',
  pkcs11Library: 'KEYPLANE_PKCS11_LIBRARY',
  pkcs11TokenLabel: 'KEYPLANE_PKCS11_TOKEN_LABEL',
};

/** The settings from `env`; every missing variable is named in one error. */
export function settingsFromEnv(env: NodeJS.ProcessEnv): CloudSettings {
  const entries = Object.entries(SETTING_VARIABLES) as [keyof CloudSettings, string][];
  const missing = entries.filter(([, variable]) => !env[variable]).map(([, v]) => v);
  if (missing.length > 0)
    throw new Error(
      `${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not set: ` +
        'start the local clouds with `keyplane dev up --detach` and run `eval "$(keyplane dev env)"`',
    );
  return Object.fromEntries(
    entries.map(([setting, variable]) => [setting, env[variable] ?? '']),
  ) as unknown as CloudSettings;
}
