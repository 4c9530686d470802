/**
 * Response bodies in the service's wire shape: KeyBundle, KeyItem, DeletedKeyBundle,
 * DeletedKeyItem, and the `{value, nextLink}` pages the SDK's paging helper follows. Times are
 * epoch seconds, byte fields base64url, property names snake_case as on the wire.
 *
 * @module
 */
import { RETENTION_DAYS, type OperationContext } from './context';
import { badParameter, keyNotFound } from './errors';
import { KTYS, publicJwkFields } from './jwk';
import type { DeletedRecord, KeyAttributes, KeyRecord, KeyVersion } from './store';

export const kidOf = (ctx: OperationContext, name: string, version?: string): string =>
  `${ctx.baseUrl}/keys/${name}${version === undefined ? '' : `/${version}`}`;

/** The version named in the path, or the latest for an empty version; 404 when missing. */
export function findVersion(record: KeyRecord, version: string): KeyVersion {
  const found =
    version === ''
      ? record.versions.at(-1)
      : record.versions.find((v) => v.version === version.toLowerCase());
  if (found === undefined) throw keyNotFound(record.name, version || undefined);
  return found;
}

function attributesJson(a: KeyAttributes): Record<string, unknown> {
  return {
    enabled: a.enabled,
    ...(a.nbf === undefined ? {} : { nbf: a.nbf }),
    ...(a.exp === undefined ? {} : { exp: a.exp }),
    created: a.created,
    updated: a.updated,
    // Soft delete is always on (the service made it mandatory); purge protection is off.
    recoveryLevel: 'Recoverable+Purgeable',
    recoverableDays: RETENTION_DAYS,
    exportable: false,
  };
}

const tagsJson = (v: KeyVersion): Record<string, unknown> =>
  v.tags === undefined ? {} : { tags: v.tags };

export function keyBundle(ctx: OperationContext, record: KeyRecord, v: KeyVersion): unknown {
  return {
    key: {
      kid: kidOf(ctx, record.name, v.version),
      kty: v.kty,
      key_ops: v.keyOps,
      ...publicJwkFields(v.material, KTYS[v.kty].hsm),
    },
    attributes: attributesJson(v.attributes),
    ...tagsJson(v),
  };
}

/** KeyItem: list-keys items carry the versionless kid, list-versions items the versioned one. */
export function keyItem(
  ctx: OperationContext,
  record: KeyRecord,
  v: KeyVersion,
  versioned: boolean,
): unknown {
  return {
    kid: kidOf(ctx, record.name, versioned ? v.version : undefined),
    attributes: attributesJson(v.attributes),
    ...tagsJson(v),
  };
}

function deletedFields(ctx: OperationContext, d: DeletedRecord): Record<string, unknown> {
  return {
    recoveryId: `${ctx.baseUrl}/deletedkeys/${d.name}`,
    deletedDate: d.deletedDate,
    scheduledPurgeDate: d.scheduledPurgeDate,
  };
}

const latest = (record: KeyRecord): KeyVersion => findVersion(record, '');

export function deletedKeyBundle(ctx: OperationContext, d: DeletedRecord): unknown {
  return { ...(keyBundle(ctx, d, latest(d)) as object), ...deletedFields(ctx, d) };
}

export function deletedKeyItem(ctx: OperationContext, d: DeletedRecord): unknown {
  return { ...(keyItem(ctx, d, latest(d), false) as object), ...deletedFields(ctx, d) };
}

/** The service caps `maxresults` at 25 and uses 25 when it is absent. */
const MAX_PAGE = 25;

/**
 * One page of `items` plus an absolute `nextLink` (carrying api-version, `$skiptoken` and
 * `maxresults`), or `nextLink: null` on the last page, as the service answers.
 */
export function page(ctx: OperationContext, items: readonly unknown[], path: string): unknown {
  const rawMax = ctx.query.get('maxresults');
  const max = rawMax === null || rawMax === '' ? MAX_PAGE : Number(rawMax);
  if (!Number.isInteger(max) || max < 1 || max > MAX_PAGE)
    throw badParameter(`maxresults must be an integer between 1 and ${MAX_PAGE}`);
  const token = ctx.query.get('$skiptoken');
  const offset = token === null ? 0 : Number(Buffer.from(token, 'base64url').toString('utf8'));
  if (!Number.isInteger(offset) || offset < 0) throw badParameter('Invalid $skiptoken');
  const end = offset + max;
  let nextLink: string | null = null;
  if (end < items.length) {
    const next = new URLSearchParams({
      'api-version': ctx.query.get('api-version') ?? '',
      $skiptoken: Buffer.from(String(end)).toString('base64url'),
      maxresults: String(max),
    });
    nextLink = `${ctx.baseUrl}${path}?${next.toString()}`;
  }
  return { value: items.slice(offset, end), nextLink };
}
