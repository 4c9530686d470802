/**
 * Cloud KMS quota groups and which calls count against them, modelled on
 * https://cloud.google.com/kms/quotas: read requests (get/list), write requests
 * (create/update/destroy/restore), cryptographic requests (encrypt, decrypt, sign, public key,
 * MAC), plus per-region Cloud HSM groups charged only when the version is an HSM key, and an
 * import group (import jobs and key imports). All are per minute; exceeding one answers
 * RESOURCE_EXHAUSTED. A quota may also be set on a single operation by its RPC name.
 *
 * @module
 */
import type { QuotaTable } from '../common/rate-limiter';

export const QUOTA_GROUPS = {
  read: 'read_requests',
  write: 'write_requests',
  crypto: 'crypto_requests',
  import: 'import_requests',
  hsmSymmetric: 'hsm_symmetric_requests',
  hsmAsymmetric: 'hsm_asymmetric_requests',
} as const;

const { read, write, crypto, import: imports } = QUOTA_GROUPS;

/** RPC name → the quota groups it is charged to before it runs. */
export const OPERATION_GROUPS: Readonly<Record<string, readonly string[]>> = {
  ListKeyRings: [read],
  ListCryptoKeys: [read],
  ListCryptoKeyVersions: [read],
  ListImportJobs: [read],
  GetKeyRing: [read],
  GetCryptoKey: [read],
  GetCryptoKeyVersion: [read],
  GetImportJob: [read],
  CreateKeyRing: [write],
  CreateCryptoKey: [write],
  CreateCryptoKeyVersion: [write],
  UpdateCryptoKey: [write],
  UpdateCryptoKeyVersion: [write],
  UpdateCryptoKeyPrimaryVersion: [write],
  DestroyCryptoKeyVersion: [write],
  RestoreCryptoKeyVersion: [write],
  CreateImportJob: [write, imports],
  ImportCryptoKeyVersion: [write, imports],
  GetPublicKey: [crypto],
  AsymmetricSign: [crypto],
  AsymmetricDecrypt: [crypto],
  Encrypt: [crypto],
  Decrypt: [crypto],
  MacSign: [crypto],
  MacVerify: [crypto],
  GenerateRandomBytes: [crypto],
};

const perMinute = (limit: number): { limit: number; windowSeconds: number } => ({
  limit,
  windowSeconds: 60,
});

/**
 * `quotas: 'real'`: the published default limits per project (read 300 QPM and cryptographic
 * 60,000 QPM as documented; the write, import and HSM figures are approximations of the
 * documented defaults — pass an explicit table for exact numbers).
 */
export const REAL_QUOTAS: QuotaTable = {
  [read]: perMinute(300),
  [write]: perMinute(300),
  [crypto]: perMinute(60_000),
  [imports]: perMinute(300),
  [QUOTA_GROUPS.hsmSymmetric]: perMinute(500),
  [QUOTA_GROUPS.hsmAsymmetric]: perMinute(500),
};

export function resolveQuotas(quotas: 'real' | QuotaTable | undefined): QuotaTable {
  if (quotas === undefined) return {};
  return quotas === 'real' ? REAL_QUOTAS : quotas;
}
