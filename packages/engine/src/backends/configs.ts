/**
 * Connection settings of each backend. Credentials are explicit parameters first; when absent
 * each backend falls back to its SDK's standard chain (AWS env/profile, Azure client secret
 * from env or DefaultAzureCredential, GCP ADC / GOOGLE_APPLICATION_CREDENTIALS). Tests always pass
 * explicit endpoints and credentials.
 *
 * Type-only imports: nothing here loads an SDK.
 *
 * @module
 */
import type { TokenCredential } from '@azure/core-auth';
import type { AuthClient } from 'google-auth-library';
import type { BackendCommonOptions } from './contract';

export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string | undefined;
}

export interface AwsKmsBackendConfig extends BackendCommonOptions {
  readonly type: 'awskms';
  /** @default AWS_REGION, AWS_DEFAULT_REGION, else 'us-east-1' (as Vault) */
  readonly region?: string | undefined;
  /** Custom endpoint (VPC endpoint, emulator). @default the SDK's (AWS_ENDPOINT_URL_KMS honoured) */
  readonly endpoint?: string | undefined;
  /** @default the SDK's credential chain */
  readonly credentials?: AwsCredentials | undefined;
}

export interface AzureKeyVaultBackendConfig extends BackendCommonOptions {
  readonly type: 'azurekeyvault';
  /** Full vault URL; wins over vaultName + resource (emulators, private endpoints). */
  readonly vaultUrl?: string | undefined;
  /** Vault (or Managed HSM) name: URL `https://<vaultName>.<resource>`. */
  readonly vaultName?: string | undefined;
  /** DNS suffix. @default 'vault.azure.net' ('managedhsm.azure.net' for Managed HSM) */
  readonly resource?: string | undefined;
  /**
   * Key Vault or Managed HSM (which key types exist differs).
   * @default 'managed-hsm' when the host or `resource` contains `.managedhsm.`, else 'vault'
   */
  readonly service?: 'vault' | 'managed-hsm' | undefined;
  readonly tenantId?: string | undefined;
  readonly clientId?: string | undefined;
  readonly clientSecret?: string | undefined;
  /** AZUREPUBLICCLOUD | AZURECHINACLOUD | AZUREUSGOVERNMENTCLOUD. @default 'AZUREPUBLICCLOUD' */
  readonly environment?: string | undefined;
  /** A ready credential; wins over tenant/client/secret. */
  readonly credential?: TokenCredential | undefined;
  /** Extra trust anchor (PEM) for the vault's TLS certificate (emulator, TLS-inspecting proxy). */
  readonly caPem?: string | undefined;
}

export interface GcpKmsBackendConfig extends BackendCommonOptions {
  readonly type: 'gcpckms';
  /** @default GOOGLE_PROJECT */
  readonly project?: string | undefined;
  /** Key ring location (`region` in the managed-keys API). @default GOOGLE_REGION */
  readonly location?: string | undefined;
  readonly keyRing: string;
  /** `host:port` of the KMS API. @default cloudkms.googleapis.com:443 */
  readonly endpoint?: string | undefined;
  /** Plaintext gRPC to `endpoint` — only accepted for loopback hosts (local emulator). */
  readonly insecure?: boolean | undefined;
  /** Service-account JSON file. @default GOOGLE_CREDENTIALS / GOOGLE_APPLICATION_CREDENTIALS / ADC */
  readonly credentialsFile?: string | undefined;
  /** A ready auth client; wins over credentialsFile. */
  readonly authClient?: AuthClient | undefined;
}

export interface Pkcs11BackendConfig extends BackendCommonOptions {
  readonly type: 'pkcs11';
  /** Path of the PKCS#11 module (`.so`). */
  readonly library: string;
  /** Slot id as a decimal string (`"2305843009213693953"`); this or tokenLabel. */
  readonly slot?: string | undefined;
  /** Token label; this or slot. */
  readonly tokenLabel?: string | undefined;
  /** User PIN. */
  readonly pin: string;
  /** Open read-write sessions for every operation (CloudHSM v5 workaround). @default false */
  readonly forceRwSession?: boolean | undefined;
}

export type BackendConfig =
  AwsKmsBackendConfig | AzureKeyVaultBackendConfig | GcpKmsBackendConfig | Pkcs11BackendConfig;
