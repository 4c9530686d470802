/**
 * Looking keys up: DescribeKey for a ref (the alias target, or `ref.version` = a key id),
 * ListResourceTags, and the conversion of AWS KeyMetadata into BackendKey / BackendKeyVersion.
 *
 * @module
 */
import {
  DescribeKeyCommand,
  ListResourceTagsCommand,
  type KeyMetadata,
  type Tag,
} from '@aws-sdk/client-kms';
import { lookup } from '../../algorithms/table';
import {
  BackendError,
  InvalidArgumentError,
  NotFoundError,
  UnsupportedKeyTypeError,
  notAllowedMessage,
} from '../../errors';
import {
  KEYPLANE_TAGS,
  type BackendKey,
  type BackendKeyVersion,
  type KeyRef,
  type SignatureScheme,
} from '../contract';
import {
  AWS_USAGES,
  KEY_TYPE_BY_SPEC,
  VERSION_STATES,
  type AwsKeyTypeRow,
  type AwsSchemeRow,
} from './capabilities';
import { send, type AwsConnection } from './client';

/** A described key with its Keyplane row and the ids every result needs. */
export interface ResolvedKey {
  readonly meta: KeyMetadata;
  readonly row: AwsKeyTypeRow;
  /** Key id = the Keyplane version. */
  readonly keyId: string;
  readonly arn: string;
}

/** `alias/x` or an alias ARN. */
export const isAlias = (name: string): boolean =>
  name.startsWith('alias/') || /^arn:[^:]+:kms:[^:]*:\d*:alias\//.test(name);

/** Refuses refs that are not a plain `alias/…` name where Keyplane must create the alias. */
export function requireAliasName(ref: KeyRef, operation: string): void {
  if (ref.name.startsWith('alias/') && ref.name.length > 'alias/'.length) return;
  throw new InvalidArgumentError(
    `name '${ref.name}' must be an alias ('alias/<name>') for ${operation} in AWS KMS: a key id or ARN cannot name a key that does not exist yet`,
    { field: 'name' },
  );
}

/** What DescribeKey / operations address: the version when given, else the name. */
export const keyIdOf = (ref: KeyRef): string => ref.version ?? ref.name;

function rowOf(meta: KeyMetadata, name: string): AwsKeyTypeRow {
  const spec = meta.KeySpec ?? 'SYMMETRIC_DEFAULT';
  const row = lookup(KEY_TYPE_BY_SPEC, spec);
  if (row === undefined) {
    const allowed = Object.keys(KEY_TYPE_BY_SPEC);
    throw new UnsupportedKeyTypeError(
      notAllowedMessage('KeySpec', spec, `for key '${name}' in awskms`, allowed),
      { field: 'name', allowed },
    );
  }
  return row;
}

/** KeyMetadata + row, checking the answer has the ids every caller relies on. */
export function resolved(meta: KeyMetadata | undefined, name: string): ResolvedKey {
  if (meta?.KeyId === undefined || meta.Arn === undefined) {
    throw new BackendError(`DescribeKey ${name}: AWS KMS answered without KeyMetadata`, {
      backendCode: 'MissingKeyMetadata',
    });
  }
  return { meta, row: rowOf(meta, name), keyId: meta.KeyId, arn: meta.Arn };
}

/** DescribeKey; NotFoundError naming `ref.name` when missing. */
export async function describeKey(conn: AwsConnection, ref: KeyRef): Promise<ResolvedKey> {
  const what = `DescribeKey ${ref.name}${ref.version === undefined ? '' : ` version ${ref.version}`}`;
  const out = await send(conn, what, (c) =>
    c.send(new DescribeKeyCommand({ KeyId: keyIdOf(ref) })),
  );
  return resolved(out.KeyMetadata, ref.name);
}

/** Like describeKey but `undefined` for a key that does not exist. */
export async function findResolved(
  conn: AwsConnection,
  ref: KeyRef,
): Promise<ResolvedKey | undefined> {
  try {
    return await describeKey(conn, ref);
  } catch (e) {
    if (e instanceof NotFoundError) return undefined;
    throw e;
  }
}

/** All tags of a key (ListResourceTags, paged). */
export async function readTags(
  conn: AwsConnection,
  keyId: string,
  name: string,
): Promise<Record<string, string>> {
  const tags: Record<string, string> = Object.create(null) as Record<string, string>;
  let marker: string | undefined;
  do {
    const out = await send(conn, `ListResourceTags ${name}`, (c) =>
      c.send(new ListResourceTagsCommand({ KeyId: keyId, Marker: marker })),
    );
    for (const t of out.Tags ?? []) if (t.TagKey !== undefined) tags[t.TagKey] = t.TagValue ?? '';
    marker = out.Truncated === true ? out.NextMarker : undefined;
  } while (marker !== undefined);
  return tags;
}

/** Record → the SDK's Tag list. */
export const awsTags = (tags: Readonly<Record<string, string>>): Tag[] =>
  Object.entries(tags).map(([TagKey, TagValue]) => ({ TagKey, TagValue }));

/** Schemes the key offers: the row's schemes AWS lists among the key's SigningAlgorithms. */
/** Per resolved key (cached ones live long): one stable list, so scheme selection memoizes. */
const SCHEMES = new WeakMap<ResolvedKey, readonly AwsSchemeRow[]>();

export function schemesOf(key: ResolvedKey): readonly AwsSchemeRow[] {
  let schemes = SCHEMES.get(key);
  if (schemes === undefined) {
    const listed = key.meta.SigningAlgorithms;
    schemes =
      key.meta.KeyUsage !== 'SIGN_VERIFY'
        ? []
        : key.row.schemes.filter((s) => listed === undefined || listed.includes(s.algorithm));
    SCHEMES.set(key, schemes);
  }
  return schemes;
}

export function toBackendKey(
  ref: KeyRef,
  key: ResolvedKey,
  tags: Readonly<Record<string, string>>,
): BackendKey {
  const usage = key.meta.KeyUsage === undefined ? undefined : AWS_USAGES[key.meta.KeyUsage];
  const signatures: SignatureScheme[] = schemesOf(key).map((s) => ({
    hash: s.hash,
    pss: s.pss,
    digestInput: true,
  }));
  return {
    backend: 'awskms',
    name: ref.name,
    id: key.arn,
    version: key.keyId,
    keyType: key.row.keyType,
    usages: usage?.usages ?? [],
    signatures,
    enabled: key.meta.KeyState === 'Enabled',
    protection: 'hsm',
    tags: { ...tags },
  };
}

function tagNumber(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+$/.test(value)) return undefined;
  return Number(value);
}

export function toVersion(
  key: ResolvedKey,
  tags: Readonly<Record<string, string>>,
): BackendKeyVersion {
  const state = key.meta.KeyState === undefined ? undefined : VERSION_STATES[key.meta.KeyState];
  const keyplaneKey = tags[KEYPLANE_TAGS.key];
  const keyplaneVersion = tagNumber(tags[KEYPLANE_TAGS.version]);
  return {
    version: key.keyId,
    id: key.arn,
    state: state ?? 'disabled',
    keyType: key.row.keyType,
    ...(keyplaneKey === undefined ? {} : { keyplaneKey }),
    ...(keyplaneVersion === undefined ? {} : { keyplaneVersion }),
    ...(key.meta.CreationDate === undefined ? {} : { createdAt: key.meta.CreationDate }),
  };
}
