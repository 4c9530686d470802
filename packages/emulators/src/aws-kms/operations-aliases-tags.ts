/**
 * Aliases (CreateAlias, UpdateAlias, DeleteAlias, ListAliases) and tags (TagResource,
 * UntagResource, ListResourceTags), with AWS's naming rules: aliases start with `alias/`, the
 * `alias/aws/` prefix is reserved for AWS managed keys, tag keys starting with `aws:` are
 * reserved, at most 50 tags per key.
 *
 * @module
 */
import { kmsError, validationError } from './errors';
import { KEY_SPECS } from './key-specs';
import {
  epochSeconds,
  optionalInteger,
  optionalList,
  optionalString,
  paginate,
  requiredString,
  type Json,
  type Operation,
} from './request';
import { requireNotPendingDeletion, type KeyRecord, type KmsStore } from './store';

const MAX_TAGS = 50;

/** Validates an alias name; `alias/aws/…` is reserved and AWS answers NotAuthorized for it. */
function checkAliasName(name: string): void {
  if (!name.startsWith('alias/') || name === 'alias/')
    throw kmsError(
      'ValidationException',
      'Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html',
    );
  if (name.length > 256)
    throw validationError('aliasName', name, 'Member must have length less than or equal to 256');
  if (!/^[a-zA-Z0-9/_-]+$/.test(name))
    throw validationError(
      'aliasName',
      name,
      'Member must satisfy regular expression pattern: ^[a-zA-Z0-9/_-]+$',
    );
  if (name.startsWith('alias/aws/'))
    throw kmsError(
      'NotAuthorizedException',
      `Cannot create, update or delete alias with reserved prefix 'alias/aws/': ${name}`,
    );
}

function targetFor(store: KmsStore, req: Json): KeyRecord {
  const key = store.resolveKey(requiredString(req, 'TargetKeyId'), false);
  requireNotPendingDeletion(store, key);
  return key;
}

const keyClass = (key: KeyRecord): string => {
  const family = KEY_SPECS[key.keySpec]?.family;
  return family === 'rsa' || family === 'ecc' || family === 'eddsa'
    ? 'asymmetric'
    : (family ?? '?');
};

export const CreateAlias: Operation = (store, req) => {
  const name = requiredString(req, 'AliasName');
  checkAliasName(name);
  const key = targetFor(store, req);
  if (store.aliases.has(name))
    throw kmsError(
      'AlreadyExistsException',
      `An alias with the name ${store.aliasArn(name)} already exists`,
    );
  const now = store.now();
  store.aliases.set(name, { name, targetKeyId: key.id, creationDate: now, lastUpdatedDate: now });
  store.persist();
  return undefined;
};

export const UpdateAlias: Operation = (store, req) => {
  const name = requiredString(req, 'AliasName');
  checkAliasName(name);
  const alias = store.aliases.get(name);
  if (alias === undefined)
    throw kmsError('NotFoundException', `Alias ${store.aliasArn(name)} is not found.`);
  const key = targetFor(store, req);
  const current = store.keys.get(alias.targetKeyId);
  // AWS: both keys must be the same type (symmetric / asymmetric / HMAC) with the same usage.
  if (
    current !== undefined &&
    (keyClass(current) !== keyClass(key) || current.keyUsage !== key.keyUsage)
  )
    throw kmsError(
      'ValidationException',
      `${store.keyArn(key.id)} is not compatible with the key currently associated with ${name}: both keys must have the same type and key usage`,
    );
  alias.targetKeyId = key.id;
  alias.lastUpdatedDate = store.now();
  store.persist();
  return undefined;
};

export const DeleteAlias: Operation = (store, req) => {
  const name = requiredString(req, 'AliasName');
  checkAliasName(name);
  if (!store.aliases.delete(name))
    throw kmsError('NotFoundException', `Alias ${store.aliasArn(name)} is not found.`);
  store.persist();
  return undefined;
};

export const ListAliases: Operation = (store, req) => {
  const keyId = optionalString(req, 'KeyId');
  const limit = optionalInteger(req, 'Limit', 1, 100) ?? 50;
  const filterId = keyId === undefined ? undefined : store.resolveKey(keyId, false).id;
  const all = [...store.aliases.values()]
    .filter((a) => filterId === undefined || a.targetKeyId === filterId)
    .sort((a, b) => a.name.localeCompare(b.name));
  const { page, nextMarker } = paginate(all, (a) => a.name, limit, optionalString(req, 'Marker'));
  return {
    Aliases: page.map((a) => ({
      AliasName: a.name,
      AliasArn: store.aliasArn(a.name),
      TargetKeyId: a.targetKeyId,
      CreationDate: epochSeconds(a.creationDate),
      LastUpdatedDate: epochSeconds(a.lastUpdatedDate),
    })),
    Truncated: nextMarker !== undefined,
    ...(nextMarker === undefined ? {} : { NextMarker: nextMarker }),
  };
};

/** A member constraint failure inside the Tags list, in AWS's 1-based `tags.N.member.x` form. */
const tagLengthError = (index: number, member: string, value: string, max: number) =>
  validationError(
    `tags.${index + 1}.member.${member}`,
    value,
    `Member must have length less than or equal to ${max}`,
  );

/**
 * Reads and validates a `Tags: [{TagKey, TagValue}]` member (CreateKey, TagResource) with the
 * checks and messages recorded from AWS: lengths as ValidationException naming
 * `tags.N.member.tagKey|tagValue`, then "Duplicate tag keys", "Too many tags" and "Tags
 * beginning with aws: are reserved" as TagException.
 */
export function readTags(req: Json): [string, string][] {
  const list = optionalList(req, 'Tags') ?? [];
  const tags = list.map((item, i): [string, string] => {
    const tag = (typeof item === 'object' && item !== null ? item : {}) as Json;
    const key = tag.TagKey;
    const value = tag.TagValue;
    if (typeof key !== 'string' || typeof value !== 'string')
      throw kmsError('ValidationException', 'Each tag needs a string TagKey and TagValue');
    if (key.length < 1)
      throw validationError(
        `tags.${i + 1}.member.tagKey`,
        key,
        'Member must have length greater than or equal to 1',
      );
    if (key.length > 128) throw tagLengthError(i, 'tagKey', key, 128);
    if (value.length > 256) throw tagLengthError(i, 'tagValue', value, 256);
    return [key, value];
  });
  if (new Set(tags.map(([k]) => k)).size !== tags.length)
    throw kmsError('TagException', 'Duplicate tag keys');
  if (tags.length > MAX_TAGS) throw kmsError('TagException', 'Too many tags');
  if (tags.some(([k]) => k.toLowerCase().startsWith('aws:')))
    throw kmsError('TagException', 'Tags beginning with aws: are reserved');
  return tags;
}

/** Adds tags to a key (overwriting equal keys), enforcing the per-key limit. */
export function applyTags(key: KeyRecord, tags: readonly [string, string][]): void {
  const merged = new Map(key.tags);
  for (const [k, v] of tags) merged.set(k, v);
  if (merged.size > MAX_TAGS) throw kmsError('TagException', 'Too many tags');
  for (const [k, v] of tags) key.tags.set(k, v);
}

export const TagResource: Operation = (store, req) => {
  const key = store.resolveKey(requiredString(req, 'KeyId'));
  const tags = readTags(req);
  if (optionalList(req, 'Tags') === undefined)
    throw validationError('tags', undefined, 'Member must not be null');
  requireNotPendingDeletion(store, key);
  applyTags(key, tags);
  store.persist();
  return undefined;
};

export const UntagResource: Operation = (store, req) => {
  const key = store.resolveKey(requiredString(req, 'KeyId'));
  const tagKeys = optionalList(req, 'TagKeys');
  if (tagKeys === undefined) throw validationError('tagKeys', undefined, 'Member must not be null');
  requireNotPendingDeletion(store, key);
  for (const k of tagKeys) {
    if (typeof k !== 'string') throw kmsError('ValidationException', 'TagKeys must be strings');
    key.tags.delete(k);
  }
  store.persist();
  return undefined;
};

export const ListResourceTags: Operation = (store, req) => {
  const key = store.resolveKey(requiredString(req, 'KeyId'));
  const limit = optionalInteger(req, 'Limit', 1, 50) ?? 50;
  const entries = [...key.tags.entries()];
  const { page, nextMarker } = paginate(entries, ([k]) => k, limit, optionalString(req, 'Marker'));
  return {
    Tags: page.map(([TagKey, TagValue]) => ({ TagKey, TagValue })),
    Truncated: nextMarker !== undefined,
    ...(nextMarker === undefined ? {} : { NextMarker: nextMarker }),
  };
};
