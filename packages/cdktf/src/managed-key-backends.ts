/**
 * Typed props per managed-key backend: every parameter of Vault's `/sys/managed-keys` API for
 * that type (plus Keyplane's `endpoint`, `ca_file`, `insecure`), camelCased. Prop names are the
 * engine's parameter table rows (`@keyplane/engine/managed-parameters`) camelCased — the
 * ManagedKey construct reads them through that table, so a row added there is one prop here.
 * Secrets are {@link SecretVariable}s, each with a `…Version` prop (bump it to resend: Terraform
 * cannot compare write-only values).
 *
 * @module
 */
import type { managedKeyParameters } from '@keyplane/engine/managed-parameters';
import type { SecretVariable } from './secrets';

/** The `type` of a managed key: pkcs11, awskms, azurekeyvault or gcpckms. */
export type ManagedKeyType = Parameters<typeof managedKeyParameters>[0];

/** PKCS#11 HSM (`pkcs11`). */
export interface Pkcs11ManagedKeyProps {
  /** Absolute path of the PKCS#11 module. */
  readonly library: string;
  /** Label of the key. @default - keyId identifies the key (one of the two is required) */
  readonly keyLabel?: string;
  /** CKA_ID of the key. @default - keyLabel identifies the key */
  readonly keyId?: string;
  /** Mechanism, 0x-prefixed hex: 0x1041 CKM_ECDSA, 0x000D CKM_RSA_PKCS_PSS, 0x0009 CKM_RSA_PKCS_OAEP, 0x0001 CKM_RSA_PKCS. */
  readonly mechanism: string;
  /** The user PIN. */
  readonly pin: SecretVariable;
  /** Bump to send a new PIN. @default 1 */
  readonly pinVersion?: number;
  /** Slot number, decimal. @default - tokenLabel selects the slot (one of the two is required) */
  readonly slot?: string;
  /** Token label of the slot. @default - slot selects it */
  readonly tokenLabel?: string;
  /** Curve (P256, P384, P521) when the key is generated. @default - no key generation curve */
  readonly curve?: string;
  /** RSA size (2048, 3072, 4096) when the key is generated. @default - no key generation size */
  readonly keyBits?: number;
  /** Read-write session for every operation. @default false */
  readonly forceRwSession?: boolean;
  /** Concurrent requests to the HSM (1-1024). @default 1 */
  readonly maxParallel?: number;
}

/** AWS KMS (`awskms`). */
export interface AwsKmsManagedKeyProps {
  /** Access key id. @default - the SDK credential chain */
  readonly accessKey?: SecretVariable;
  /** Bump to resend accessKey. @default 1 */
  readonly accessKeyVersion?: number;
  /** Secret access key. @default - the SDK credential chain */
  readonly secretKey?: SecretVariable;
  /** Bump to resend secretKey. @default 1 */
  readonly secretKeyVersion?: number;
  /** Curve when the key is generated. @default - none */
  readonly curve?: string;
  /** Custom KMS endpoint URL. @default - the region's public endpoint */
  readonly endpoint?: string;
  /** RSA size when the key is generated. @default - none */
  readonly keyBits?: number;
  /** RSA or ECDSA. */
  readonly keyType: string;
  /** Key id, ARN or alias. */
  readonly kmsKey: string;
  /** Region of the key. @default 'us-east-1' */
  readonly region?: string;
  /** Accept plain http:// to a non-loopback endpoint. @default false */
  readonly insecure?: boolean;
}

/** Azure Key Vault or Managed HSM (`azurekeyvault`). */
export interface AzureKeyVaultManagedKeyProps {
  /** Tenant id of the Azure AD organization. */
  readonly tenantId: string;
  /** Client id of the credentials. @default - the SDK's default credential */
  readonly clientId?: string;
  /** Client secret. @default - the SDK's default credential */
  readonly clientSecret?: SecretVariable;
  /** Bump to resend clientSecret. @default 1 */
  readonly clientSecretVersion?: number;
  /** AZUREPUBLICCLOUD, AZURECHINACLOUD or AZUREUSGOVERNMENTCLOUD. @default 'AZUREPUBLICCLOUD' */
  readonly environment?: string;
  /** The vault. */
  readonly vaultName: string;
  /** The key in the vault. */
  readonly keyName: string;
  /** The vault's DNS suffix (managedhsm.azure.net for Managed HSM). @default 'vault.azure.net' */
  readonly resource?: string;
  /** RSA size when the key is generated. @default - none */
  readonly keyBits?: number;
  /** RSA-HSM. */
  readonly keyType: string;
  /** Vault URL overriding vaultName and resource. @default - https://<vaultName>.<resource> */
  readonly endpoint?: string;
  /** Absolute path of the PEM CA for the endpoint. @default - the system CAs */
  readonly caFile?: string;
}

/** Google Cloud KMS (`gcpckms`). */
export interface GcpCloudKmsManagedKeyProps {
  /** Absolute path of a service account JSON file (a path, not the secret). @default - ADC */
  readonly credentials?: string;
  /** The crypto key. */
  readonly cryptoKey: string;
  /** The crypto key version. @default '1' */
  readonly cryptoKeyVersion?: string;
  /** The key ring. */
  readonly keyRing: string;
  /** The project id. */
  readonly project: string;
  /** The key ring's region. */
  readonly region: string;
  /** Signature algorithm (EC_SIGN_P256_SHA256, RSA_SIGN_PSS_2048_SHA256, …). */
  readonly algorithm: string;
  /** Custom endpoint (host:port or URL). @default - cloudkms.googleapis.com */
  readonly endpoint?: string;
  /** Plaintext gRPC to a loopback emulator. @default false */
  readonly insecure?: boolean;
}

/** Where a managed key lives: one of the four backends, with its typed props. */
export class ManagedKeyBackend {
  static pkcs11(props: Pkcs11ManagedKeyProps): ManagedKeyBackend {
    return new ManagedKeyBackend('pkcs11', props);
  }
  static awsKms(props: AwsKmsManagedKeyProps): ManagedKeyBackend {
    return new ManagedKeyBackend('awskms', props);
  }
  static azureKeyVault(props: AzureKeyVaultManagedKeyProps): ManagedKeyBackend {
    return new ManagedKeyBackend('azurekeyvault', props);
  }
  static gcpCloudKms(props: GcpCloudKmsManagedKeyProps): ManagedKeyBackend {
    return new ManagedKeyBackend('gcpckms', props);
  }

  private constructor(
    /** The `type` attribute. */
    readonly type: ManagedKeyType,
    /** The backend props, keyed by camelCased parameter name. */
    readonly props: object,
  ) {}
}
