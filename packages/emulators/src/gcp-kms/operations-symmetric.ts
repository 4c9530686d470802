/**
 * Encrypt / Decrypt for ENCRYPT_DECRYPT keys (GOOGLE_SYMMETRIC_ENCRYPTION). Encrypt takes a
 * CryptoKey (uses its primary) or a specific CryptoKeyVersion; Decrypt takes the CryptoKey and
 * finds the version from the ciphertext (symmetric.ts).
 *
 * @module
 */
import type { Int64Value, Operation, OperationContext } from './context';
import { int64Crc, verifyCrc } from './crc32c';
import { failedPrecondition, invalidArgument } from './errors';
import { secretOf } from './material';
import { isVersionName } from './names';
import { QUOTA_GROUPS } from './quotas';
import type { CryptoKeyRecord } from './store';
import { ciphertextVersionId, decryptSymmetric, encryptSymmetric } from './symmetric';
import { requireEnabled, usableVersion } from './usable';

/**
 * EncryptRequest limits (service.proto): 64 KiB each for SOFTWARE keys; for HSM keys the
 * plaintext and additional_authenticated_data together must be no larger than 8 KiB.
 */
const MAX_PLAINTEXT_BYTES = 64 * 1024;
const MAX_AAD_BYTES = 64 * 1024;
const MAX_HSM_COMBINED_BYTES = 8 * 1024;

function requireSymmetricKey(key: CryptoKeyRecord, use: string): void {
  if (key.purpose !== 'ENCRYPT_DECRYPT')
    throw failedPrecondition(
      `CryptoKey ${key.name} has purpose ${key.purpose}; ${use} needs purpose ENCRYPT_DECRYPT.`,
    );
}

interface EncryptRequest {
  readonly name: string;
  readonly plaintext: Buffer;
  readonly additionalAuthenticatedData: Buffer;
  readonly plaintextCrc32c: Int64Value | null;
  readonly additionalAuthenticatedDataCrc32c: Int64Value | null;
}

const encrypt = (req: EncryptRequest, ctx: OperationContext) => {
  const { store } = ctx;
  let versionName = req.name;
  if (!isVersionName(req.name)) {
    const key = store.cryptoKey(req.name);
    requireSymmetricKey(key, 'Encrypt');
    if (key.primaryId === undefined)
      throw failedPrecondition(`CryptoKey ${key.name} has no primary CryptoKeyVersion.`);
    versionName = `${key.name}/cryptoKeyVersions/${key.primaryId}`;
  }
  const { version, material } = usableVersion(ctx, versionName, 'ENCRYPT_DECRYPT', 'encryption');
  if (req.plaintext.length > MAX_PLAINTEXT_BYTES)
    throw invalidArgument(
      `len(plaintext)=${req.plaintext.length}, want <= ${MAX_PLAINTEXT_BYTES}.`,
    );
  if (req.additionalAuthenticatedData.length > MAX_AAD_BYTES)
    throw invalidArgument('additional_authenticated_data must be at most 64 KiB.');
  const combined = req.plaintext.length + req.additionalAuthenticatedData.length;
  if (version.protectionLevel === 'HSM' && combined > MAX_HSM_COMBINED_BYTES)
    throw invalidArgument(
      `len(plaintext)+len(additional_authenticated_data)=${combined}, want <= ${MAX_HSM_COMBINED_BYTES} for protection level HSM.`,
    );
  const verifiedPlaintextCrc32c = verifyCrc('plaintext', req.plaintext, req.plaintextCrc32c);
  const verifiedAadCrc32c = verifyCrc(
    'additional_authenticated_data',
    req.additionalAuthenticatedData,
    req.additionalAuthenticatedDataCrc32c,
  );
  const id = Number(version.name.split('/').pop());
  const ciphertext = encryptSymmetric(
    secretOf(material),
    id,
    req.plaintext,
    req.additionalAuthenticatedData,
  );
  return {
    name: version.name,
    ciphertext,
    ciphertextCrc32c: int64Crc(ciphertext),
    verifiedPlaintextCrc32c,
    verifiedAdditionalAuthenticatedDataCrc32c: verifiedAadCrc32c,
    protectionLevel: version.protectionLevel,
  };
};

interface DecryptRequest {
  readonly name: string;
  readonly ciphertext: Buffer;
  readonly additionalAuthenticatedData: Buffer;
  readonly ciphertextCrc32c: Int64Value | null;
  readonly additionalAuthenticatedDataCrc32c: Int64Value | null;
}

const decrypt = (req: DecryptRequest, ctx: OperationContext) => {
  const { store } = ctx;
  const key = store.cryptoKey(req.name);
  requireSymmetricKey(key, 'Decrypt');
  if (req.ciphertext.length === 0) throw invalidArgument('ciphertext is required.');
  verifyCrc('ciphertext', req.ciphertext, req.ciphertextCrc32c);
  verifyCrc(
    'additional_authenticated_data',
    req.additionalAuthenticatedData,
    req.additionalAuthenticatedDataCrc32c,
  );
  // Same message as the service gives for a ciphertext from another key.
  const invalid = invalidArgument(
    "Decryption failed: verify that 'name' refers to the correct CryptoKey.",
  );
  const id = ciphertextVersionId(req.ciphertext);
  const version =
    id === undefined ? undefined : store.versions.get(`${key.name}/cryptoKeyVersions/${id}`);
  if (version === undefined) throw invalid;
  const material = requireEnabled(store.version(version.name));
  if (version.protectionLevel === 'HSM') ctx.charge(QUOTA_GROUPS.hsmSymmetric);
  const plaintext = decryptSymmetric(
    secretOf(material),
    req.ciphertext,
    req.additionalAuthenticatedData,
  );
  if (plaintext === undefined) throw invalid;
  return {
    plaintext,
    plaintextCrc32c: int64Crc(plaintext),
    usedPrimary: key.primaryId === String(id),
    protectionLevel: version.protectionLevel,
  };
};

export const symmetricOperations: Readonly<Record<string, Operation>> = {
  Encrypt: encrypt,
  Decrypt: decrypt,
};
