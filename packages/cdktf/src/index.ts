/**
 * `@keyplane/cdktf` — CDKTF constructs for Keyplane (built a second time as `@keyplane/cdktn`).
 *
 * @module
 */
import { provider } from '@keyplane/cdktf/gen';

export const KeyplaneProvider = provider.KeyplaneProvider;

export {
  ConstructValidationError,
  isConstructValidationError,
  type ConstructProblem,
} from './errors';
export { Key, type IKey, type ImportedKeyAttributes, type KeyProps } from './key';
export {
  KeyDistribution,
  type KeyDistributionOptions,
  type KeyDistributionProps,
} from './key-distribution';
export type { AzureService, Protection, Purpose } from '@keyplane/engine/lifecycle-rules';
export { KEYPLANE_KEY_PERMISSIONS, type KeyplaneAccessGrant } from './azure-access-policy';
export {
  AwsKmsConnection,
  AzureKeyVaultConnection,
  GcpKmsConnection,
  Pkcs11Connection,
  kmsConnectionFromName,
  type AwsKmsConnectionProps,
  type AzureKeyVaultConnectionProps,
  type GcpKmsConnectionProps,
  type IKmsConnection,
  type KeyVaultLike,
  type KmsType,
  type Pkcs11ConnectionProps,
} from './kms-connection';
export { KeyPolicy, type KeyPolicyOptions } from './key-policy';
export { ManagedKey, type IManagedKey, type ManagedKeyProps } from './managed-key';
export {
  ManagedKeyBackend,
  type AwsKmsManagedKeyProps,
  type AzureKeyVaultManagedKeyProps,
  type GcpCloudKmsManagedKeyProps,
  type ManagedKeyType,
  type Pkcs11ManagedKeyProps,
} from './managed-key-backends';
export type { SecretVariable } from './secrets';
export { SigningKey, type SigningKeyProps } from './signing-key';
