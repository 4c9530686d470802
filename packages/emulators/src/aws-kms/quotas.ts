/**
 * AWS KMS request quotas for the shared RateLimiter: a `'real'` preset and the mapping from an
 * operation (and the key it uses) to the quota groups it counts against. Cryptographic operations
 * share one quota per key type ("Cryptographic operations (symmetric|RSA|ECC) request rate");
 * everything else has a per-operation quota.
 *
 * The preset follows the defaults published in AWS's "Request quotas" page as the Keyplane issue
 * quotes them (GetParametersForImport 0.25/s, CreateKey and ImportKeyMaterial 5/s, RSA 500/s
 * shared, symmetric 5500/s shared). AWS has since raised several of them (e.g. RSA/ECC 1000/s,
 * GetParametersForImport 1/s); callers who want other numbers pass their own QuotaTable.
 *
 * @module
 */
import type { QuotaTable } from '../common/rate-limiter';
import { KEY_SPECS } from './key-specs';
import type { KmsStore } from './store';
import { blobKeyId } from './ciphertext';
import type { Json } from './request';

export const SYMMETRIC_CRYPTO = 'CryptographicOperationsSymmetric';
export const RSA_CRYPTO = 'CryptographicOperationsRsa';
export const ECC_CRYPTO = 'CryptographicOperationsEcc';

const perSecond = (limit: number): { limit: number; windowSeconds: number } => ({
  limit,
  windowSeconds: 1,
});

export const REAL_AWS_KMS_QUOTAS: QuotaTable = {
  [SYMMETRIC_CRYPTO]: perSecond(5500),
  [RSA_CRYPTO]: perSecond(500),
  [ECC_CRYPTO]: perSecond(300),
  // 0.25 requests per second = one in each 4-second interval.
  GetParametersForImport: { limit: 1, windowSeconds: 4 },
  CancelKeyDeletion: perSecond(5),
  CreateAlias: perSecond(5),
  CreateKey: perSecond(5),
  DeleteAlias: perSecond(5),
  DeleteImportedKeyMaterial: perSecond(5),
  DescribeKey: perSecond(1000),
  DisableKey: perSecond(5),
  EnableKey: perSecond(5),
  GetPublicKey: perSecond(5),
  ImportKeyMaterial: perSecond(5),
  ListAliases: perSecond(100),
  ListKeys: perSecond(100),
  ListResourceTags: perSecond(100),
  ScheduleKeyDeletion: perSecond(5),
  TagResource: perSecond(5),
  UntagResource: perSecond(5),
  UpdateAlias: perSecond(5),
  UpdateKeyDescription: perSecond(5),
};

const CRYPTO_OPERATIONS = new Set([
  'Encrypt',
  'Decrypt',
  'GenerateDataKey',
  'GenerateDataKeyWithoutPlaintext',
  'ReEncrypt',
  'GenerateRandom',
  'Sign',
  'Verify',
  'GenerateMac',
  'VerifyMac',
]);

/**
 * Quota groups a request counts against: always the operation itself (so a QuotaTable can limit
 * a single operation), plus the shared cryptographic group of the key's type. HMAC keys count as
 * symmetric, as AWS documents. A key that cannot be found counts as symmetric; the operation then
 * fails with NotFoundException anyway.
 */
export function quotaGroups(operation: string, req: Json, store: KmsStore): string[] {
  if (!CRYPTO_OPERATIONS.has(operation)) return [operation];
  const named = req.KeyId ?? req.DestinationKeyId;
  let keyId = typeof named === 'string' ? named : undefined;
  if (keyId === undefined && typeof req.CiphertextBlob === 'string')
    keyId = blobKeyId(Buffer.from(req.CiphertextBlob, 'base64'));
  const key = keyId === undefined ? undefined : store.peekKey(keyId);
  const family = key === undefined ? undefined : KEY_SPECS[key.keySpec]?.family;
  const group =
    family === 'rsa'
      ? RSA_CRYPTO
      : family === 'ecc' || family === 'eddsa'
        ? ECC_CRYPTO
        : SYMMETRIC_CRYPTO;
  return [operation, group];
}
