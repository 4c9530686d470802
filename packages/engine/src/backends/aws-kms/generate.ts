/**
 * generateKey: CreateKey (tagged) + CreateAlias. The alias is the only name a new AWS key can
 * have, so the ref must be `alias/…` (as Vault: "if allow_generate_key, kms_key must be an
 * alias"). A key whose alias could not be created is scheduled for deletion at once, so a failed
 * generate leaves nothing half-created behind.
 *
 * @module
 */
import {
  CreateAliasCommand,
  CreateKeyCommand,
  ScheduleKeyDeletionCommand,
  type KeyUsageType,
} from '@aws-sdk/client-kms';
import { lookup, names } from '../../algorithms/table';
import {
  AlreadyExistsError,
  InvalidArgumentError,
  UnsupportedKeyTypeError,
  UnsupportedProtectionError,
  UnsupportedPurposeError,
  notAllowedMessage,
} from '../../errors';
import type { Protection } from '../../algorithms/clouds';
import {
  KEYPLANE_TAGS,
  type BackendKey,
  type KeyRef,
  type KeySpec,
  type KeyUsage,
} from '../contract';
import {
  ALIAS_TAG,
  AWS_KEY_TYPES,
  AWS_KMS_CAPABILITIES,
  AWS_USAGES,
  DELETION_WINDOW,
  type AwsKeyTypeRow,
} from './capabilities';
import { send, sendCreate, type AwsConnection } from './client';
import { awsTags, findResolved, requireAliasName, resolved, toBackendKey } from './keys';

/** The AWS KeyUsage whose Keyplane usages cover all of `usages` (AWS KeyUsage is single-valued). */
export function pickAwsUsage(row: AwsKeyTypeRow, usages: readonly KeyUsage[]): KeyUsageType {
  const offered = row.awsUsages.map((u) => AWS_USAGES[u].usages);
  const allowed = [...new Set(offered.flat())];
  const bad = usages.find((u) => !allowed.includes(u));
  if (usages.length === 0 || bad !== undefined) {
    throw new UnsupportedPurposeError(
      notAllowedMessage('usages', bad ?? '', `for ${row.keyType} keys in awskms`, allowed),
      { field: 'usages', allowed },
    );
  }
  const fit = row.awsUsages.find((u) => usages.every((x) => AWS_USAGES[u].usages.includes(x)));
  if (fit === undefined) {
    const sets = offered.map((s) => `{${s.join(', ')}}`);
    throw new UnsupportedPurposeError(
      `usages [${usages.join(', ')}] mix what one AWS KMS key keeps apart for ${row.keyType}; choose within one of: ${sets.join(' or ')}`,
      { field: 'usages', allowed: sets },
    );
  }
  return fit;
}

export function checkProtection(protection: Protection | undefined, keyType: string): void {
  const allowed = AWS_KMS_CAPABILITIES.protections;
  if (protection === undefined || allowed.includes(protection)) return;
  throw new UnsupportedProtectionError(
    notAllowedMessage('protection', protection, `for ${keyType} keys in awskms`, allowed),
    { field: 'protection', allowed },
  );
}

function keyTypeRow(spec: KeySpec): AwsKeyTypeRow {
  const row = lookup(AWS_KEY_TYPES, spec.keyType);
  if (row === undefined) {
    const allowed = names(AWS_KEY_TYPES);
    throw new UnsupportedKeyTypeError(
      notAllowedMessage('key_type', spec.keyType, 'for generation in awskms', allowed),
      { field: 'key_type', allowed },
    );
  }
  return row;
}

export async function generateInKms(
  conn: AwsConnection,
  ref: KeyRef,
  spec: KeySpec,
): Promise<BackendKey> {
  const row = keyTypeRow(spec);
  const awsUsage = pickAwsUsage(row, spec.usages);
  checkProtection(spec.protection, row.keyType);
  if (spec.algorithm !== undefined && spec.algorithm !== row.keySpec) {
    // AWS fixes no algorithm per key; the only meaningful value is the KeySpec itself.
    throw new InvalidArgumentError(
      notAllowedMessage('algorithm', spec.algorithm, `for ${row.keyType} keys in awskms`, [
        row.keySpec,
      ]),
      { field: 'algorithm', allowed: [row.keySpec] },
    );
  }
  requireAliasName(ref, 'generateKey');
  if ((await findResolved(conn, { name: ref.name })) !== undefined) {
    throw new AlreadyExistsError(`key '${ref.name}' already exists in AWS KMS`, { field: 'name' });
  }
  const tags = { ...spec.tags, [KEYPLANE_TAGS.key]: ref.name, [ALIAS_TAG]: ref.name };
  const created = await sendCreate(conn, `CreateKey ${ref.name}`, (c) =>
    c.send(
      new CreateKeyCommand({
        KeySpec: row.keySpec,
        KeyUsage: awsUsage,
        Description: `Keyplane key ${ref.name}`,
        Tags: awsTags(tags),
      }),
    ),
  );
  const key = resolved(created.KeyMetadata, ref.name);
  try {
    await sendCreate(conn, `CreateAlias ${ref.name}`, (c) =>
      c.send(new CreateAliasCommand({ AliasName: ref.name, TargetKeyId: key.keyId })),
    );
    conn.cache.forgetAlias(ref.name);
  } catch (error) {
    // The alias may have been created (or may have existed) whatever the outcome.
    conn.cache.forgetAlias(ref.name);
    // An ambiguous failure (5xx, reset) may hide a CreateAlias that did happen.
    const target = await findResolved(conn, { name: ref.name }).catch(() => undefined);
    if (target?.keyId === key.keyId) return toBackendKey(ref, key, tags);
    // Best effort: an unreachable key is worse than a failed cleanup, whose error would hide
    // the real one.
    await send(conn, `ScheduleKeyDeletion ${ref.name}`, (c) =>
      c.send(
        new ScheduleKeyDeletionCommand({
          KeyId: key.keyId,
          PendingWindowInDays: DELETION_WINDOW.min,
        }),
      ),
    ).catch(() => undefined);
    throw error;
  }
  return toBackendKey(ref, key, tags);
}
