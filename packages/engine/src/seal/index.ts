/**
 * Seals: what wraps a store's data key (passphrase for development; PKCS#11, AWS KMS, Azure Key
 * Vault or GCP Cloud KMS for auto-unseal).
 *
 * @module
 */
export { SEAL_TYPES, type Seal, type SealType } from './contract';
export { PassphraseSeal, SEAL_PASSPHRASE_ENV, PASSPHRASE_SEAL_WARNING } from './passphrase';
export { KmsSeal, type KmsSealOptions } from './kms-seal';
export {
  openSeal,
  sealConfigFromEnv,
  SEAL_ENV,
  type SealConfig,
  type SealParameter,
} from './config';
