/**
 * Finding keys by tag. KMS has no tag filter: ListKeys (paged) and ListResourceTags per key,
 * run in parallel under the backend's limiter. Used to find the versions of an alias and to
 * adopt an interrupted import instead of creating a second key.
 *
 * @module
 */
import { ListKeysCommand } from '@aws-sdk/client-kms';
import { AuthenticationFailedError, NotFoundError } from '../../errors';
import { send, type AwsConnection } from './client';
import { readTags } from './keys';

export interface TaggedKey {
  readonly keyId: string;
  readonly tags: Readonly<Record<string, string>>;
}

/** ListKeys' largest page. */
const PAGE = 1000;

async function listKeyIds(conn: AwsConnection, name: string): Promise<string[]> {
  const ids: string[] = [];
  let marker: string | undefined;
  do {
    const out = await send(conn, `ListKeys ${name}`, (c) =>
      c.send(new ListKeysCommand({ Limit: PAGE, Marker: marker })),
    );
    for (const k of out.Keys ?? []) if (k.KeyId !== undefined) ids.push(k.KeyId);
    marker = out.Truncated === true ? out.NextMarker : undefined;
  } while (marker !== undefined);
  return ids;
}

/**
 * Keys carrying every tag in `match`. `name` is the ref the search is for (error messages).
 * Keys that vanish mid-scan or whose tags the caller may not read (other teams' keys, AWS
 * managed keys) are skipped: they cannot be Keyplane's.
 */
export async function findTaggedKeys(
  conn: AwsConnection,
  match: Readonly<Record<string, string>>,
  name: string,
): Promise<TaggedKey[]> {
  const ids = await listKeyIds(conn, name);
  const found = await Promise.all(
    ids.map(async (keyId): Promise<TaggedKey | undefined> => {
      try {
        const tags = await readTags(conn, keyId, name);
        const all = Object.entries(match).every(([k, v]) => tags[k] === v);
        return all ? { keyId, tags } : undefined;
      } catch (e) {
        if (e instanceof NotFoundError || e instanceof AuthenticationFailedError) return undefined;
        throw e;
      }
    }),
  );
  return found.filter((k): k is TaggedKey => k !== undefined);
}
