/**
 * Cloud KMS resource names. IDs follow the service's rule `[a-zA-Z0-9_-]{1,63}`; a name that
 * does not parse is INVALID_ARGUMENT (a malformed request), while a well-formed name of a
 * resource that does not exist is NOT_FOUND (decided by the store).
 *
 * @module
 */
import { invalidArgument } from './errors';

const ID = '[a-zA-Z0-9_-]{1,63}';
const ID_RE = new RegExp(`^${ID}$`);
const LOCATION_RE = /^projects\/([^/]+)\/locations\/([^/]+)$/;
const KEY_RING_RE = new RegExp(`^(projects/[^/]+/locations/[^/]+)/keyRings/(${ID})$`);
const CRYPTO_KEY_RE = new RegExp(`^(.+/keyRings/${ID})/cryptoKeys/(${ID})$`);
const VERSION_RE = new RegExp(`^(.+/cryptoKeys/${ID})/cryptoKeyVersions/(${ID})$`);
const IMPORT_JOB_RE = new RegExp(`^(.+/keyRings/${ID})/importJobs/(${ID})$`);

/** Throws INVALID_ARGUMENT unless `id` is a valid resource id; returns it. */
export function checkId(id: string, field: string): string {
  if (!ID_RE.test(id))
    throw invalidArgument(`${field} "${id}" is invalid: it must match ${ID_RE.source}.`);
  return id;
}

function parse(re: RegExp, name: string, kind: string): { parent: string; id: string } {
  const m = re.exec(name);
  if (m?.[1] === undefined || m[2] === undefined)
    throw invalidArgument(`Resource name "${name}" is not a valid ${kind} name.`);
  return { parent: m[1], id: m[2] };
}

export function parseLocation(name: string): { project: string; location: string } {
  const m = LOCATION_RE.exec(name);
  if (m?.[1] === undefined || m[2] === undefined)
    throw invalidArgument(`Resource name "${name}" is not a valid location name.`);
  return { project: m[1], location: m[2] };
}

export const parseKeyRing = (name: string): { parent: string; id: string } =>
  parse(KEY_RING_RE, name, 'KeyRing');

export const parseCryptoKey = (name: string): { parent: string; id: string } => {
  const parsed = parse(CRYPTO_KEY_RE, name, 'CryptoKey');
  parseKeyRing(parsed.parent);
  return parsed;
};

export const parseVersion = (name: string): { parent: string; id: string } => {
  const parsed = parse(VERSION_RE, name, 'CryptoKeyVersion');
  parseCryptoKey(parsed.parent);
  return parsed;
};

export const parseImportJob = (name: string): { parent: string; id: string } => {
  const parsed = parse(IMPORT_JOB_RE, name, 'ImportJob');
  parseKeyRing(parsed.parent);
  return parsed;
};

/** `projects/p/locations/l` of any name below a location. */
export function locationOf(name: string): string {
  return name.split('/').slice(0, 4).join('/');
}

export function isVersionName(name: string): boolean {
  return name.includes('/cryptoKeyVersions/');
}
