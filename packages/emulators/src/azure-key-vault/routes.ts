/**
 * The REST routes: method + path pattern → operation name (as Azure's REST reference names it;
 * also the key for fault injection) and handler.
 *
 * Path quirk: the SDK asks for the latest version as `/keys/{name}/` (empty version, trailing
 * slash), and a CryptographyClient built from a versionless kid sends `/keys/{name}//sign`. One
 * trailing slash is dropped and an empty version segment means "latest".
 *
 * @module
 */
import type { Handler, RouteParams } from './context';
import { cryptoHandler } from './operations-crypto';
import {
  createKey,
  deleteKey,
  getDeletedKey,
  getKey,
  importKey,
  listDeletedKeys,
  listKeyVersions,
  listKeys,
  purgeDeletedKey,
  recoverDeletedKey,
  updateKey,
} from './operations-keys';

interface Route {
  readonly method: string;
  /** Literal segments, `:name` and `:version`. */
  readonly pattern: readonly string[];
  readonly operation: string;
  readonly handler: Handler;
}

const route = (method: string, path: string, operation: string, handler: Handler): Route => ({
  method,
  pattern: path.split('/').filter((s) => s !== ''),
  operation,
  handler,
});

// Order matters: literal segments (create, versions, recover) before `:version`.
const ROUTES: readonly Route[] = [
  route('GET', '/keys', 'GetKeys', listKeys),
  route('POST', '/keys/:name/create', 'CreateKey', createKey),
  route('GET', '/keys/:name/versions', 'GetKeyVersions', listKeyVersions),
  route('PUT', '/keys/:name', 'ImportKey', importKey),
  route('GET', '/keys/:name', 'GetKey', getKey),
  route('PATCH', '/keys/:name', 'UpdateKey', updateKey),
  route('DELETE', '/keys/:name', 'DeleteKey', deleteKey),
  route('GET', '/keys/:name/:version', 'GetKey', getKey),
  route('PATCH', '/keys/:name/:version', 'UpdateKey', updateKey),
  route('POST', '/keys/:name/:version/sign', 'Sign', cryptoHandler('sign')),
  route('POST', '/keys/:name/:version/verify', 'Verify', cryptoHandler('verify')),
  route('POST', '/keys/:name/:version/encrypt', 'Encrypt', cryptoHandler('encrypt')),
  route('POST', '/keys/:name/:version/decrypt', 'Decrypt', cryptoHandler('decrypt')),
  route('POST', '/keys/:name/:version/wrapkey', 'WrapKey', cryptoHandler('wrapKey')),
  route('POST', '/keys/:name/:version/unwrapkey', 'UnwrapKey', cryptoHandler('unwrapKey')),
  route('GET', '/deletedkeys', 'GetDeletedKeys', listDeletedKeys),
  route('GET', '/deletedkeys/:name', 'GetDeletedKey', getDeletedKey),
  route('DELETE', '/deletedkeys/:name', 'PurgeDeletedKey', purgeDeletedKey),
  route('POST', '/deletedkeys/:name/recover', 'RecoverDeletedKey', recoverDeletedKey),
];

/** The operation names fault rules may name (as Azure's REST reference names them). */
export const AZURE_KEY_VAULT_OPERATION_NAMES: readonly string[] = [
  ...new Set(ROUTES.map((r) => r.operation)),
];

export interface RouteMatch {
  readonly operation: string;
  readonly handler: Handler;
  readonly params: RouteParams;
}

function segmentsOf(pathname: string): string[] | undefined {
  const segments = pathname.split('/').slice(1);
  if (segments.length > 1 && segments.at(-1) === '') segments.pop();
  try {
    return segments.map((s) => decodeURIComponent(s));
  } catch {
    return undefined;
  }
}

export function matchRoute(method: string, pathname: string): RouteMatch | undefined {
  const segments = segmentsOf(pathname);
  if (segments === undefined) return undefined;
  for (const r of ROUTES) {
    if (r.method !== method || r.pattern.length !== segments.length) continue;
    const params = { name: '', version: '' };
    const ok = r.pattern.every((p, i) => {
      const s = segments[i] ?? '';
      if (p === ':name') params.name = s;
      else if (p === ':version') params.version = s;
      else return p === s.toLowerCase();
      return p !== ':name' || s !== '';
    });
    if (ok) return { operation: r.operation, handler: r.handler, params };
  }
  return undefined;
}

/** `/keys//…` or `/deletedkeys//…`: a key operation with an empty key name. */
export function namesNoKey(pathname: string): boolean {
  const [collection, name, ...rest] = pathname.split('/').slice(1);
  return (collection === 'keys' || collection === 'deletedkeys') && name === '' && rest.length > 0;
}
