/**
 * Reading central keys from the store: the key record, its versions, a version's sealed
 * material (opened only by the step that wraps it for a cloud), the public view with per-version
 * state and rotation_due.
 *
 * @module
 */
import { importKeyMaterial, type KeyMaterial } from '../crypto/key-material';
import { parseDuration } from '../duration';
import { NotFoundError } from '../errors';
import type { StoreReader, StoreRecord } from '../store/contract';
import type { LifecycleContext } from './context';
import {
  MATERIAL_FIELD,
  type KeyAttributes,
  type KeyVersionAttributes,
  type KeyVersionView,
  type KeyView,
} from './records';

export type KeyRecord = StoreRecord<KeyAttributes>;
export type KeyVersionRecord = StoreRecord<KeyVersionAttributes>;

export const leaseOf = (key: KeyRecord): string => `key:${key.id}`;

export async function keyRecord(
  ctx: LifecycleContext,
  name: string,
  reader?: StoreReader,
): Promise<KeyRecord> {
  const record = await (reader ?? ctx.store).get<KeyAttributes>('key', ctx.namespace, name);
  if (record === undefined) {
    throw new NotFoundError(`key '${name}' not found in namespace '${ctx.namespace}'`, {
      field: 'key',
    });
  }
  return record;
}

/** Versions oldest first. */
export async function keyVersions(
  reader: StoreReader,
  key: KeyRecord,
): Promise<KeyVersionRecord[]> {
  const versions = await reader.list<KeyVersionAttributes>('key_version', { parent: key.id });
  return versions.sort((a, b) => a.attributes.version - b.attributes.version);
}

/** Whether version `v` is enabled under the key's min_enabled_version (0 = all). */
export const isEnabled = (key: KeyAttributes, v: number): boolean => v >= key.min_enabled_version;

/** The version's private / secret key; the caller zeroizes nothing (KeyObjects are native). */
export function versionMaterial(
  reader: StoreReader,
  key: KeyRecord,
  version: KeyVersionRecord,
): KeyMaterial {
  const bytes = reader.secret(version, MATERIAL_FIELD);
  try {
    return importKeyMaterial(bytes, key.attributes.type);
  } finally {
    bytes.fill(0);
  }
}

/** When the latest version falls due for rotation; undefined without a rotation_period. */
export function rotationDueAt(key: KeyAttributes, latestCreatedAt: string): Date | undefined {
  if (key.rotation_period === '') return undefined;
  const seconds = parseDuration(key.rotation_period, 'rotation_period');
  if (seconds === 0) return undefined;
  return new Date(Date.parse(latestCreatedAt) + seconds * 1000);
}

export function keyView(
  key: KeyRecord,
  versions: readonly KeyVersionRecord[],
  distributions: readonly string[],
  now: Date,
): KeyView {
  const views: Record<string, KeyVersionView> = {};
  for (const v of versions) {
    const a = v.attributes;
    views[String(a.version)] = {
      version: a.version,
      created_at: a.created_at,
      public_key_pem: a.public_key_pem,
      fingerprint: a.fingerprint,
      state: isEnabled(key.attributes, a.version) ? 'enabled' : 'disabled',
    };
  }
  const latest = versions.at(-1);
  const dueAt =
    latest === undefined ? undefined : rotationDueAt(key.attributes, latest.attributes.created_at);
  return {
    name: key.name,
    namespace: key.namespace,
    type: key.attributes.type,
    origin: key.attributes.origin,
    deletion_allowed: key.attributes.deletion_allowed,
    min_enabled_version: key.attributes.min_enabled_version,
    rotation_period: key.attributes.rotation_period,
    latest_version: key.attributes.latest_version,
    versions: views,
    rotation_due: dueAt !== undefined && now.getTime() >= dueAt.getTime(),
    rotation_due_at: dueAt?.toISOString() ?? '',
    distributions: [...distributions].sort(),
  };
}
