/**
 * Versions of an AWS "key" = the KMS keys tagged keyplane-alias=<alias> (one per imported
 * version) plus the alias target when it is untagged (e.g. a key made outside Keyplane, or a
 * generated key as its single version). Enable/disable and deletion address one key id.
 *
 * @module
 */
import {
  DisableKeyCommand,
  EnableKeyCommand,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import { InvalidArgumentError, MissingParameterError } from '../../errors';
import type { BackendKeyVersion, KeyRef } from '../contract';
import { ALIAS_TAG, DELETION_WINDOW } from './capabilities';
import { send, type AwsConnection } from './client';
import { describeKey, findResolved, isAlias, readTags, toVersion } from './keys';
import { findTaggedKeys } from './scan';

async function versionOf(conn: AwsConnection, name: string, keyId: string) {
  const key = await describeKey(conn, { name, version: keyId });
  return toVersion(key, await readTags(conn, key.keyId, name));
}

/** Oldest first: by Keyplane version (untagged keys first), then creation time. */
function compareVersions(a: BackendKeyVersion, b: BackendKeyVersion): number {
  const byVersion = (a.keyplaneVersion ?? 0) - (b.keyplaneVersion ?? 0);
  if (byVersion !== 0) return byVersion;
  return (a.createdAt?.getTime() ?? 0) - (b.createdAt?.getTime() ?? 0);
}

export async function listKeyVersions(
  conn: AwsConnection,
  ref: KeyRef,
): Promise<BackendKeyVersion[]> {
  const target = await findResolved(conn, { name: ref.name });
  const ids = new Set<string>();
  if (isAlias(ref.name)) {
    for (const k of await findTaggedKeys(conn, { [ALIAS_TAG]: ref.name }, ref.name)) {
      ids.add(k.keyId);
    }
  }
  if (target !== undefined) ids.add(target.keyId);
  const versions = await Promise.all([...ids].map((id) => versionOf(conn, ref.name, id)));
  return versions.sort(compareVersions);
}

/** The key id a lifecycle call acts on: `ref.version`, or the name when it is a key id / ARN. */
function versionId(ref: KeyRef): string {
  if (ref.version !== undefined) return ref.version;
  if (!isAlias(ref.name)) return ref.name;
  throw new MissingParameterError(
    `version is required: '${ref.name}' is an alias whose versions are separate KMS keys`,
    { field: 'version' },
  );
}

export async function setEnabled(
  conn: AwsConnection,
  ref: KeyRef,
  enabled: boolean,
): Promise<BackendKeyVersion> {
  const keyId = versionId(ref);
  const op = enabled ? 'EnableKey' : 'DisableKey';
  try {
    await send(conn, `${op} ${ref.name} version ${keyId}`, async (c) => {
      if (enabled) await c.send(new EnableKeyCommand({ KeyId: keyId }));
      else await c.send(new DisableKeyCommand({ KeyId: keyId }));
    });
  } finally {
    // The operation path never reads state from the cache, but a changed key is re-described.
    conn.cache.forgetKey(keyId);
  }
  return await versionOf(conn, ref.name, keyId);
}

export async function scheduleDeletion(
  conn: AwsConnection,
  ref: KeyRef,
  options: { readonly pendingWindowDays?: number | undefined } = {},
): Promise<BackendKeyVersion> {
  const days = options.pendingWindowDays ?? DELETION_WINDOW.default;
  if (!Number.isInteger(days) || days < DELETION_WINDOW.min || days > DELETION_WINDOW.max) {
    throw new InvalidArgumentError(
      `pendingWindowDays must be an integer from ${String(DELETION_WINDOW.min)} to ${String(DELETION_WINDOW.max)} in AWS KMS, got ${String(days)}`,
      { field: 'pendingWindowDays' },
    );
  }
  const keyId = versionId(ref);
  try {
    await send(conn, `ScheduleKeyDeletion ${ref.name} version ${keyId}`, (c) =>
      c.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: days })),
    );
  } finally {
    conn.cache.forgetKey(keyId);
  }
  return await versionOf(conn, ref.name, keyId);
}
