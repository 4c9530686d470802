/**
 * Shared key helpers: the operation context, required lookups with typed refusals, templates
 * for key creation (generate and import) and for the session AES keys that move material in and
 * out (import, export), and the contract views (BackendKey, versions).
 *
 * @module
 */
import * as pkcs11js from 'pkcs11js';
import { isPending, type Answer } from '../common/answer';
import { KeyStateError, NotFoundError, UnsupportedOperationError } from '../../errors';
import {
  KEYPLANE_TAGS,
  type BackendKey,
  type BackendKeyVersion,
  type KeyRef,
  type KeyUsage,
} from '../contract';
import { SIGNATURE_SCHEMES, USAGE_PAIRS, familyOf } from './capabilities';
import { isStaleKey } from './errors';
import { enabled, resolveKey, usagesOf, type KeyInfo } from './objects';
import type { Session, SessionMode } from './session-pool';

/** What every operation module needs from the backend. */
export interface Pkcs11Context {
  /** One backend request: limiter + retry + error mapping around one pooled session. */
  run<T>(what: string, mode: SessionMode, fn: (session: Session) => Answer<T>): Promise<T>;
  /**
   * Whether fast token calls run on the JS thread instead of a libuv worker: true when the
   * backend has one session (`max_parallel` 1), where the worker buys no parallelism and the
   * thread hop alone costs about as much as a P-256 signature.
   */
  readonly inline: boolean;
}

/** The ref's key looked up live (refreshing the slot's cache entry). */
export function lookupKey(session: Session, ref: KeyRef): KeyInfo | undefined {
  const info = resolveKey(session, ref);
  session.keys.set(ref, info);
  return info;
}

/** The ref's key looked up live, or NotFoundError naming it. */
export function requireKey(session: Session, ref: KeyRef): KeyInfo {
  const info = lookupKey(session, ref);
  if (info === undefined) {
    const version = ref.version === undefined ? '' : ` version ${ref.version}`;
    const id = ref.id === undefined ? '' : ` (CKA_ID ${ref.id})`;
    throw new NotFoundError(
      `PKCS#11 key '${ref.name}'${id}${version} not found on token '${session.slot.label}'`,
      { field: ref.name === '' ? 'id' : 'name' },
    );
  }
  return info;
}

/**
 * Runs `fn` on the ref's key: the cached one when there is one (no lookup call at all), else a
 * live lookup. When the cached handle turns out to be stale (destroyed, or disabled elsewhere)
 * the entry is dropped and `fn` runs once more on a live lookup, whose answer (NotFoundError,
 * KeyStateError, or the re-created key) is final. Synchronous when `fn` is (the signing fast
 * path); a promise from `fn` gets the same stale-handle retry.
 */
export function withKey<T>(
  session: Session,
  ref: KeyRef,
  fn: (info: KeyInfo) => Answer<T>,
): Answer<T> {
  const cached = session.keys.get(ref);
  if (cached === undefined) return fn(requireKey(session, ref));
  const afresh = (error: unknown): Answer<T> => {
    if (!isStaleKey(error)) throw error;
    session.keys.drop(cached);
    return fn(requireKey(session, ref));
  };
  let answer: Answer<T>;
  try {
    answer = fn(cached);
  } catch (error) {
    return afresh(error);
  }
  return isPending(answer) ? answer.then(undefined, afresh) : answer;
}

/**
 * Refuses an operation before calling the token: a disabled version is a state problem, a key
 * created without the usage is an unsupported operation.
 */
export function requireUsage(
  info: KeyInfo,
  half: 'private' | 'public',
  attribute: number,
  operation: string,
): void {
  if (!enabled(info)) {
    throw new KeyStateError(`key '${info.label}' version ${info.version} is disabled`, {
      field: 'version',
    });
  }
  const has = half === 'private' ? info.privateUsage : info.publicUsage;
  if (!has.has(attribute)) {
    throw new UnsupportedOperationError(
      `key '${info.label}' (${info.keyType}) was not created for ${operation}`,
      { field: 'usages', allowed: usagesOf(info) },
    );
  }
}

/** Whether any usage of a pair was requested (pairs are granted whole, like cloud KeyUsage). */
const requested = (usages: readonly KeyUsage[]) =>
  USAGE_PAIRS.map((p) => ({ pair: p, on: p.usages.some((u) => usages.includes(u)) }));

export function usageAttributes(
  usages: readonly KeyUsage[],
  half: 'private' | 'public' | 'both',
): pkcs11js.Template {
  return requested(usages).flatMap(({ pair, on }) => {
    const attrs: pkcs11js.Template = [];
    if (half !== 'public') attrs.push({ type: pair.privateAttribute, value: on });
    if (half !== 'private') attrs.push({ type: pair.publicAttribute, value: on });
    return attrs;
  });
}

/**
 * Attributes of every Keyplane-created private / secret key: token, private, sensitive, and
 * non-extractable unless `extractable` (HSM-origin central keys, which leave only wrapped).
 */
export function protectedKeyAttributes(
  label: string,
  id: Buffer,
  extractable = false,
): pkcs11js.Template {
  return [
    { type: pkcs11js.CKA_TOKEN, value: true },
    { type: pkcs11js.CKA_PRIVATE, value: true },
    { type: pkcs11js.CKA_SENSITIVE, value: true },
    { type: pkcs11js.CKA_EXTRACTABLE, value: extractable },
    { type: pkcs11js.CKA_LABEL, value: label },
    { type: pkcs11js.CKA_ID, value: id },
  ];
}

/**
 * A session-only AES-256 key that carries material into or out of the token (CKM_AES_KEY_WRAP_PAD
 * transport key, or the ephemeral key of RSA-AES key wrap): never on the token, private,
 * sensitive, with only the one usage it is for. `value` for a key Keyplane chose (created with
 * C_CreateObject), else 32 bytes the token generates (C_GenerateKey). Extractable only when it
 * must itself be wrapped (RSA-OAEP wraps only secret keys).
 */
export function sessionAesKeyTemplate(options: {
  readonly usage: 'wrap' | 'unwrap';
  readonly value?: Buffer;
  readonly extractable?: boolean;
}): pkcs11js.Template {
  return [
    { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_SECRET_KEY },
    { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_AES },
    { type: pkcs11js.CKA_TOKEN, value: false },
    { type: pkcs11js.CKA_PRIVATE, value: true },
    { type: pkcs11js.CKA_SENSITIVE, value: true },
    { type: pkcs11js.CKA_EXTRACTABLE, value: options.extractable ?? false },
    { type: options.usage === 'wrap' ? pkcs11js.CKA_WRAP : pkcs11js.CKA_UNWRAP, value: true },
    options.value === undefined
      ? { type: pkcs11js.CKA_VALUE_LEN, value: 32 }
      : { type: pkcs11js.CKA_VALUE, value: options.value },
  ];
}

export function publicKeyAttributes(label: string, id: Buffer): pkcs11js.Template {
  return [
    { type: pkcs11js.CKA_TOKEN, value: true },
    { type: pkcs11js.CKA_PRIVATE, value: false },
    { type: pkcs11js.CKA_LABEL, value: label },
    { type: pkcs11js.CKA_ID, value: id },
  ];
}

function tagsOf(info: KeyInfo): Record<string, string> {
  if (info.keyplaneKey === undefined || info.keyplaneVersion === undefined) return {};
  return {
    [KEYPLANE_TAGS.key]: info.keyplaneKey,
    [KEYPLANE_TAGS.version]: String(info.keyplaneVersion),
  };
}

export function toBackendKey(ref: KeyRef, info: KeyInfo): BackendKey {
  const usages = usagesOf(info);
  return {
    backend: 'pkcs11',
    name: ref.name,
    id: info.id.toString('hex'),
    version: info.version,
    keyType: info.keyType,
    usages,
    signatures: usages.includes('sign') ? SIGNATURE_SCHEMES[familyOf(info.keyType)] : [],
    enabled: enabled(info),
    protection: 'hsm',
    tags: tagsOf(info),
  };
}

export function toVersion(info: KeyInfo): BackendKeyVersion {
  return {
    version: info.version,
    id: info.id.toString('hex'),
    state: enabled(info) ? 'enabled' : 'disabled',
    keyType: info.keyType,
    ...(info.keyplaneKey === undefined ? {} : { keyplaneKey: info.keyplaneKey }),
    ...(info.keyplaneVersion === undefined ? {} : { keyplaneVersion: info.keyplaneVersion }),
  };
}
