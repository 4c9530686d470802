/**
 * importKeyVersion. Imported asymmetric material can never change in AWS, so every Keyplane
 * version is one new EXTERNAL KMS key tagged keyplane-key / keyplane-version / keyplane-alias,
 * and the alias `ref.name` points at the newest version (as Vault rotates imported keys).
 *
 * Crash safety: the tags are set atomically by CreateKey, so a rerun finds the key. Enabled (or
 * disabled) → adopted as is; PendingImport (crashed between CreateKey and ImportKeyMaterial) →
 * the import is resumed into it; the alias step runs again either way.
 *
 * @module
 */
import {
  CreateAliasCommand,
  CreateKeyCommand,
  GetParametersForImportCommand,
  GetPublicKeyCommand,
  ImportKeyMaterialCommand,
  UpdateAliasCommand,
  type AlgorithmSpec,
  type KeyUsageType,
} from '@aws-sdk/client-kms';
import { KMS_PROVIDERS, cloudKeySupport } from '../../algorithms/clouds';
import { wrappingAlgorithm } from '../../algorithms/wrapping-algorithms';
import { TOKEN_EXPORT_ALGORITHMS } from '../../algorithms/token-export';
import { AWS_DEFAULT_WRAPPING_ALGORITHM, wrapTransferForAws } from '../../byok/aws';
import { isTokenKey, transferPublicKey, type TransferableKey } from '../../crypto/token-key';
import {
  AlreadyExistsError,
  BackendError,
  InvalidArgumentError,
  KeyStateError,
  UnsupportedWrappingAlgorithmError,
  notAllowedMessage,
} from '../../errors';
import {
  KEYPLANE_TAGS,
  type BackendKeyVersion,
  type ImportOptions,
  type KeyRef,
} from '../contract';
import { ALIAS_TAG, AWS_KEY_TYPES } from './capabilities';
import { send, sendCreate, type AwsConnection } from './client';
import { checkProtection, pickAwsUsage } from './generate';
import {
  awsTags,
  describeKey,
  findResolved,
  readTags,
  requireAliasName,
  resolved,
  toVersion,
  type ResolvedKey,
} from './keys';
import { findTaggedKeys } from './scan';

/** RSA_4096 carries every key type under every AWS wrapping algorithm (P-521 needs > 2048). */
const WRAPPING_KEY_SPEC = 'RSA_4096';

/** Checks everything that needs no request: type, usages, protection, algorithm, version. */
function validate(ref: KeyRef, material: TransferableKey, options: ImportOptions) {
  requireAliasName(ref, 'importKeyVersion');
  // Refuses (naming the allowed types) what AWS cannot import, e.g. Ed25519.
  cloudKeySupport(KMS_PROVIDERS.awskms, material.type.name, { field: 'key' });
  const row = AWS_KEY_TYPES[material.type.name];
  if (row === undefined) throw new BackendError('AWS key type table out of sync with clouds.ts');
  const keyUsage = pickAwsUsage(row, options.usages);
  checkProtection(options.protection, row.keyType);
  const algorithm = wrappingAlgorithm(
    'awskms',
    options.wrappingAlgorithm ??
      (isTokenKey(material) ? TOKEN_EXPORT_ALGORITHMS.awskms[0] : undefined) ??
      AWS_DEFAULT_WRAPPING_ALGORITHM,
    'wrappingAlgorithm',
  );
  if (!algorithm.families.includes(material.type.family)) {
    throw new UnsupportedWrappingAlgorithmError(
      notAllowedMessage(
        'wrappingAlgorithm',
        algorithm.name,
        `for ${material.type.name} key material`,
        ['RSA_AES_KEY_WRAP_SHA_256', 'RSA_AES_KEY_WRAP_SHA_1'],
      ),
      {
        field: 'wrappingAlgorithm',
        allowed: ['RSA_AES_KEY_WRAP_SHA_256', 'RSA_AES_KEY_WRAP_SHA_1'],
      },
    );
  }
  if (!Number.isSafeInteger(options.keyplaneVersion) || options.keyplaneVersion < 1) {
    throw new InvalidArgumentError(
      `keyplaneVersion must be a positive integer, got ${String(options.keyplaneVersion)}`,
      { field: 'keyplaneVersion' },
    );
  }
  return { keySpec: row.keySpec, keyUsage, algorithm: algorithm.name as AlgorithmSpec };
}

async function importMaterial(
  conn: AwsConnection,
  ref: KeyRef,
  key: ResolvedKey,
  material: TransferableKey,
  algorithm: AlgorithmSpec,
): Promise<void> {
  const params = await send(conn, `GetParametersForImport ${ref.name}`, (c) =>
    c.send(
      new GetParametersForImportCommand({
        KeyId: key.keyId,
        WrappingAlgorithm: algorithm,
        WrappingKeySpec: WRAPPING_KEY_SPEC,
      }),
    ),
  );
  if (params.PublicKey === undefined || params.ImportToken === undefined) {
    throw new BackendError(`GetParametersForImport ${ref.name}: no wrapping key or token`, {
      backendCode: 'MissingImportParameters',
    });
  }
  // Software plaintext exists only inside the wrap, which zeroizes it; token keys never leave.
  const wrapped = await wrapTransferForAws({
    wrappingKey: Buffer.from(params.PublicKey),
    key: material,
    algorithm,
  });
  const token = params.ImportToken;
  await send(conn, `ImportKeyMaterial ${ref.name}`, (c) =>
    c.send(
      new ImportKeyMaterialCommand({
        KeyId: key.keyId,
        ImportToken: token,
        EncryptedKeyMaterial: wrapped.blob,
        ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
      }),
    ),
  );
}

/**
 * Points `ref.name` at `key` unless it already targets a newer Keyplane version of this alias
 * (a re-run of an old version's import must not roll the alias back).
 */
async function pointAlias(
  conn: AwsConnection,
  ref: KeyRef,
  key: ResolvedKey,
  version: number,
): Promise<void> {
  const current = await findResolved(conn, { name: ref.name });
  if (current === undefined) {
    try {
      await sendCreate(conn, `CreateAlias ${ref.name}`, (c) =>
        c.send(new CreateAliasCommand({ AliasName: ref.name, TargetKeyId: key.keyId })),
      );
    } finally {
      // Even a failed attempt may have moved the alias: the next operation resolves it anew.
      conn.cache.forgetAlias(ref.name);
    }
    return;
  }
  if (current.keyId === key.keyId) return;
  const tags = await readTags(conn, current.keyId, ref.name);
  const currentVersion = tags[ALIAS_TAG] === ref.name ? Number(tags[KEYPLANE_TAGS.version]) : NaN;
  if (Number.isFinite(currentVersion) && currentVersion >= version) return;
  try {
    await send(conn, `UpdateAlias ${ref.name}`, (c) =>
      c.send(new UpdateAliasCommand({ AliasName: ref.name, TargetKeyId: key.keyId })),
    );
  } finally {
    conn.cache.forgetAlias(ref.name);
  }
}

/**
 * An existing tagged version is only adopted if it holds this material: same type and usage
 * and, for enabled asymmetric keys, the same public key. Anything else is a conflicting
 * version number, not a repeated import.
 */
async function checkAdoptable(
  conn: AwsConnection,
  ref: KeyRef,
  key: ResolvedKey,
  material: TransferableKey,
  keyUsage: KeyUsageType,
  version: number,
): Promise<void> {
  const conflict = (what: string): Error =>
    new AlreadyExistsError(
      `version ${String(version)} of '${ref.name}' already exists in AWS KMS with ${what}`,
      { field: 'keyplaneVersion' },
    );
  if (key.row.keyType !== material.type.name || key.meta.KeyUsage !== keyUsage) {
    throw conflict(`key type ${key.row.keyType} / ${key.meta.KeyUsage ?? 'no usage'}`);
  }
  if (key.meta.KeyState !== 'Enabled' || key.row.schemes.length === 0) return;
  const out = await send(conn, `GetPublicKey ${ref.name}`, (c) =>
    c.send(new GetPublicKeyCommand({ KeyId: key.keyId })),
  );
  const theirs = Buffer.from(out.PublicKey ?? []);
  const ours = transferPublicKey(material)?.export({ format: 'der', type: 'spki' });
  if (ours === undefined || !ours.equals(theirs)) throw conflict('different key material');
}

/** Prefers a usable key when a race left more than one with the same tags. */
const PREFERENCE = ['Enabled', 'Disabled', 'PendingImport', 'PendingDeletion'];
const rank = (k: ResolvedKey): number => {
  const i = PREFERENCE.indexOf(k.meta.KeyState ?? '');
  return i < 0 ? PREFERENCE.length : i;
};

export async function importVersion(
  conn: AwsConnection,
  ref: KeyRef,
  material: TransferableKey,
  options: ImportOptions,
): Promise<BackendKeyVersion> {
  const plan = validate(ref, material, options);
  const tags = {
    [KEYPLANE_TAGS.key]: options.keyplaneKey,
    [KEYPLANE_TAGS.version]: String(options.keyplaneVersion),
    [ALIAS_TAG]: ref.name,
  };
  const existing = await findTaggedKeys(conn, tags, ref.name);
  const described = await Promise.all(
    existing.map((k) => describeKey(conn, { name: ref.name, version: k.keyId })),
  );
  let key = described.sort((a, b) => rank(a) - rank(b))[0];
  if (key?.meta.KeyState === 'PendingDeletion') {
    throw new KeyStateError(
      `version ${String(options.keyplaneVersion)} of '${ref.name}' exists but is pending deletion in AWS KMS; cancel the deletion or import a new version`,
      { field: 'keyplaneVersion' },
    );
  }
  if (key !== undefined) {
    await checkAdoptable(conn, ref, key, material, plan.keyUsage, options.keyplaneVersion);
  } else {
    const created = await sendCreate(conn, `CreateKey ${ref.name}`, (c) =>
      c.send(
        new CreateKeyCommand({
          KeySpec: plan.keySpec,
          KeyUsage: plan.keyUsage,
          Origin: 'EXTERNAL',
          Description: `Keyplane ${options.keyplaneKey} version ${String(options.keyplaneVersion)}`,
          Tags: awsTags(tags),
        }),
      ),
    );
    key = resolved(created.KeyMetadata, ref.name);
  }
  if (key.meta.KeyState === 'PendingImport' || key.meta.KeyState === undefined) {
    await importMaterial(conn, ref, key, material, plan.algorithm);
    key = await describeKey(conn, { name: ref.name, version: key.keyId });
  }
  await pointAlias(conn, ref, key, options.keyplaneVersion);
  return toVersion(key, tags);
}
