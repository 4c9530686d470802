/**
 * Finding and describing key objects. A Keyplane key in a token is a private key (or secret
 * key) with CKA_LABEL = ref.name, its public key under the same CKA_ID, and possibly several
 * such objects under one label: imports encode their Keyplane key + version in CKA_ID
 * (`keyplane:<key>:v<N>`, readable with `pkcs11-tool -O`), so versions are recovered from the
 * token alone. Destroyed versions leave a CKO_DATA tombstone so listVersions can report them.
 *
 * @module
 */
import * as pkcs11js from 'pkcs11js';
import {
  AmbiguousKeyError,
  InvalidArgumentError,
  UnsupportedKeyTypeError,
  notAllowedMessage,
} from '../../errors';
import type { BackendKeyType, KeyRef, KeyUsage } from '../contract';
import { USAGE_PAIRS, keyTypeFromAttributes } from './capabilities';
import type { Session } from './session-pool';
import { handleToBigInt } from './slots';

export interface KeyInfo {
  /** The private or secret key. */
  readonly handle: Buffer;
  readonly publicHandle: Buffer | undefined;
  readonly secret: boolean;
  readonly label: string;
  readonly id: Buffer;
  readonly keyType: BackendKeyType;
  /** "Private half" usage attributes (CKA_SIGN, CKA_DECRYPT, CKA_UNWRAP) that are true. */
  readonly privateUsage: ReadonlySet<number>;
  /** "Public half" usage attributes (CKA_VERIFY, CKA_ENCRYPT, CKA_WRAP) that are true. */
  readonly publicUsage: ReadonlySet<number>;
  readonly version: string;
  readonly keyplaneKey: string | undefined;
  readonly keyplaneVersion: number | undefined;
}

import { parseVersionedId } from './versioned-id';

export { parseVersionedId, versionedId } from './versioned-id';

/** CKA_ID bytes of a ref's hex `id`. */
export function refId(ref: KeyRef): Buffer | undefined {
  if (ref.id === undefined) return undefined;
  if (!/^(?:[0-9a-fA-F]{2})+$/.test(ref.id)) {
    throw new InvalidArgumentError(`id '${ref.id}' must be CKA_ID as hex`, { field: 'id' });
  }
  return Buffer.from(ref.id, 'hex');
}

export function enabled(info: KeyInfo): boolean {
  return info.privateUsage.size > 0;
}

/** Usages, from the kept "public half" so a disabled key still reports what it is for. */
export function usagesOf(info: KeyInfo): KeyUsage[] {
  const usages: KeyUsage[] = [];
  for (const pair of USAGE_PAIRS) {
    if (
      !info.publicUsage.has(pair.publicAttribute) &&
      !info.privateUsage.has(pair.privateAttribute)
    )
      continue;
    const mac = info.keyType === 'hmac-sha256';
    usages.push(...pair.usages.filter((u) => (u === 'mac') === mac));
  }
  return usages;
}

export function findObjects(session: Session, template: pkcs11js.Template): Buffer[] {
  const { pkcs11, handle } = session;
  pkcs11.C_FindObjectsInit(handle, template);
  try {
    const found: Buffer[] = [];
    for (;;) {
      const batch = pkcs11.C_FindObjects(handle, 64);
      if (batch.length === 0) return found;
      found.push(...batch);
    }
  } finally {
    pkcs11.C_FindObjectsFinal(handle);
  }
}

/** Reads attributes into a map; one call, so every type must exist on the object's class. */
export function readAttributes(
  session: Session,
  object: Buffer,
  types: readonly number[],
): Map<number, Buffer> {
  const result = session.pkcs11.C_GetAttributeValue(
    session.handle,
    object,
    types.map((type) => ({ type })),
  );
  return new Map(result.map((a) => [a.type, a.value]));
}

export const ulong = (value: Buffer | undefined): number | undefined =>
  value === undefined || value.length === 0 ? undefined : Number(handleToBigInt(value));

const bool = (value: Buffer | undefined): boolean => value?.[0] === 1;

const COMMON = [pkcs11js.CKA_KEY_TYPE, pkcs11js.CKA_ID, pkcs11js.CKA_LABEL];
const PRIVATE_HALF = USAGE_PAIRS.map((p) => p.privateAttribute);
const PUBLIC_HALF = USAGE_PAIRS.map((p) => p.publicAttribute);

function trueOf(attributes: Map<number, Buffer>, types: readonly number[]): Set<number> {
  return new Set(types.filter((t) => bool(attributes.get(t))));
}

/** The public key object paired with a private key (same CKA_ID, preferably same label). */
export function findPublic(session: Session, id: Buffer, label: string): Buffer | undefined {
  const base = [
    { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PUBLIC_KEY },
    { type: pkcs11js.CKA_ID, value: id },
  ];
  const labelled = findObjects(session, [...base, { type: pkcs11js.CKA_LABEL, value: label }]);
  return labelled[0] ?? findObjects(session, base)[0];
}

function describeKey(session: Session, handle: Buffer, secret: boolean): KeyInfo {
  const attributes = readAttributes(session, handle, [
    ...COMMON,
    ...PRIVATE_HALF,
    ...(secret ? [...PUBLIC_HALF, pkcs11js.CKA_VALUE_LEN] : []),
  ]);
  const ckk = ulong(attributes.get(pkcs11js.CKA_KEY_TYPE)) ?? -1;
  const id = attributes.get(pkcs11js.CKA_ID) ?? Buffer.alloc(0);
  const label = (attributes.get(pkcs11js.CKA_LABEL) ?? Buffer.alloc(0)).toString('utf8');
  let sizing: Map<number, Buffer> = new Map();
  if (ckk === pkcs11js.CKK_RSA) sizing = readAttributes(session, handle, [pkcs11js.CKA_MODULUS]);
  else if (!secret) sizing = readAttributes(session, handle, [pkcs11js.CKA_EC_PARAMS]);
  const keyType = keyTypeFromAttributes(
    ckk,
    sizing.get(pkcs11js.CKA_MODULUS)?.length,
    sizing.get(pkcs11js.CKA_EC_PARAMS),
    ulong(attributes.get(pkcs11js.CKA_VALUE_LEN)),
    parseVersionedId(id) !== undefined,
  );
  if (keyType === undefined) {
    throw new UnsupportedKeyTypeError(
      notAllowedMessage('key', `CKK 0x${ckk.toString(16)} object '${label}'`, 'in Keyplane', []),
      { field: 'key_type' },
    );
  }
  const publicHandle = secret ? undefined : findPublic(session, id, label);
  const publicAttributes =
    publicHandle === undefined
      ? new Map<number, Buffer>()
      : readAttributes(session, publicHandle, PUBLIC_HALF);
  const tags = parseVersionedId(id);
  return {
    handle,
    publicHandle,
    secret,
    label,
    id,
    keyType,
    privateUsage: trueOf(attributes, PRIVATE_HALF),
    publicUsage: trueOf(secret ? attributes : publicAttributes, PUBLIC_HALF),
    version: tags === undefined ? '1' : String(tags.version),
    keyplaneKey: tags?.key,
    keyplaneVersion: tags?.version,
  };
}

/** Every private / secret key object matching the ref's label (and CKA_ID when given). */
export function findKeys(session: Session, ref: KeyRef): KeyInfo[] {
  const id = refId(ref);
  const template: pkcs11js.Template = [];
  if (ref.name !== '') template.push({ type: pkcs11js.CKA_LABEL, value: ref.name });
  if (id !== undefined) template.push({ type: pkcs11js.CKA_ID, value: id });
  const keys: KeyInfo[] = [];
  for (const [cko, secret] of [
    [pkcs11js.CKO_PRIVATE_KEY, false],
    [pkcs11js.CKO_SECRET_KEY, true],
  ] as const) {
    for (const handle of findObjects(session, [
      ...template,
      { type: pkcs11js.CKA_CLASS, value: cko },
    ]))
      keys.push(describeKey(session, handle, secret));
  }
  return keys.sort((a, b) => Number(a.version) - Number(b.version));
}

/**
 * The object a ref designates: its version, else the highest version under the label. Two
 * objects of that version (two generated keys under one label) are refused, never guessed.
 */
export function resolveKey(session: Session, ref: KeyRef): KeyInfo | undefined {
  const keys = findKeys(session, ref).filter(
    (k) => ref.version === undefined || k.version === ref.version,
  );
  const chosen = keys[keys.length - 1];
  const candidates = keys.filter((k) => k.version === chosen?.version);
  if (candidates.length > 1) {
    const ids = candidates.map((k) => k.id.toString('hex'));
    throw new AmbiguousKeyError(
      `PKCS#11 label '${ref.name}' matches ${String(ids.length)} keys of version ${chosen?.version ?? ''} on token '${session.slot.label}' (CKA_ID ${ids.join(', ')}); set key_id to choose one or remove the others`,
      { field: ref.name === '' ? 'id' : 'name', allowed: ids },
    );
  }
  return chosen;
}

const TOMBSTONE_APPLICATION = 'keyplane-tombstone';

export interface Tombstone {
  readonly id: string;
  readonly keyType: BackendKeyType;
  readonly version: string;
  readonly keyplaneKey?: string;
  readonly keyplaneVersion?: number;
}

/** Records a destroyed version (public facts only) as a token CKO_DATA object. */
export function writeTombstone(session: Session, info: KeyInfo): void {
  const record: Tombstone = {
    id: info.id.toString('hex'),
    keyType: info.keyType,
    version: info.version,
    ...(info.keyplaneKey === undefined ? {} : { keyplaneKey: info.keyplaneKey }),
    ...(info.keyplaneVersion === undefined ? {} : { keyplaneVersion: info.keyplaneVersion }),
  };
  session.pkcs11.C_CreateObject(session.handle, [
    { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_DATA },
    { type: pkcs11js.CKA_TOKEN, value: true },
    { type: pkcs11js.CKA_PRIVATE, value: true },
    { type: pkcs11js.CKA_LABEL, value: info.label },
    { type: pkcs11js.CKA_APPLICATION, value: TOMBSTONE_APPLICATION },
    { type: pkcs11js.CKA_VALUE, value: Buffer.from(JSON.stringify(record), 'utf8') },
  ]);
}

export function readTombstones(session: Session, label: string): Tombstone[] {
  const handles = findObjects(session, [
    { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_DATA },
    { type: pkcs11js.CKA_LABEL, value: label },
    { type: pkcs11js.CKA_APPLICATION, value: TOMBSTONE_APPLICATION },
  ]);
  return handles.map((h) => {
    const value = readAttributes(session, h, [pkcs11js.CKA_VALUE]).get(pkcs11js.CKA_VALUE);
    return JSON.parse((value ?? Buffer.from('{}')).toString('utf8')) as Tombstone;
  });
}
