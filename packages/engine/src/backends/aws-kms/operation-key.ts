/**
 * The operation path's key lookup and request wrapper: metadata comes from the connection's
 * AwsKeyCache (key-cache.ts) so a warm Sign / Verify / Encrypt / … sends exactly one request,
 * addressed by the resolved key id; failures that suggest the cached answer is stale drop it.
 *
 * @module
 */
import type { KMSClient } from '@aws-sdk/client-kms';
import { BackendError, KeyStateError, NotFoundError } from '../../errors';
import type { KeyRef } from '../contract';
import { send, type AwsConnection } from './client';
import { describeKey, isAlias, keyIdOf, type ResolvedKey } from './keys';

/** The key an operation on `ref` uses: cached metadata, else one DescribeKey (then cached). */
export async function operationKey(conn: AwsConnection, ref: KeyRef): Promise<ResolvedKey> {
  const target = keyIdOf(ref);
  const { keys, aliases } = conn.cache;
  if (!isAlias(target)) return await keys.getOrLoad(target, () => describeKey(conn, ref));
  // One DescribeKey of the alias answers both questions: its target and that key's metadata.
  const keyId = await aliases.getOrLoad(target, async () => {
    const key = await describeKey(conn, ref);
    keys.set(key.keyId, key);
    return key.keyId;
  });
  return await keys.getOrLoad(keyId, () => describeKey(conn, { name: ref.name, version: keyId }));
}

/**
 * AWS answers that mean the cached view of the key may be wrong: gone, in another state, or
 * (for a key id reached through a moved alias) of another usage.
 */
const STALE_BACKEND_CODES: ReadonlySet<string> = new Set([
  'InvalidKeyUsageException',
  'KMSInvalidStateException',
  'DisabledException',
]);

function isStale(error: unknown): boolean {
  if (error instanceof NotFoundError || error instanceof KeyStateError) return true;
  return error instanceof BackendError && STALE_BACKEND_CODES.has(error.backendCode ?? '');
}

/** Drops what the cache holds for `key` and for the alias `ref` reached it through. */
export function forgetOperationKey(conn: AwsConnection, ref: KeyRef, key: ResolvedKey): void {
  conn.cache.forgetKey(key.keyId);
  const target = keyIdOf(ref);
  if (isAlias(target)) conn.cache.forgetAlias(target);
}

/** {@link send} for an operation on `key`, forgetting the cached metadata when it looks stale. */
export async function sendWithKey<T>(
  conn: AwsConnection,
  ref: KeyRef,
  key: ResolvedKey,
  what: string,
  request: (client: KMSClient) => Promise<T>,
): Promise<T> {
  try {
    return await send(conn, what, request);
  } catch (error) {
    if (isStale(error)) forgetOperationKey(conn, ref, key);
    throw error;
  }
}
