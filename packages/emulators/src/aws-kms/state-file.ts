/**
 * Optional JSON state file so a `keyplane dev` session survives emulator restarts. Loaded once at
 * start, rewritten after every mutation with an atomic tmp-file + rename, mode 0600.
 *
 * SECURITY NOTE: this is a development emulator. The file holds key material (symmetric keys,
 * HMAC keys, PKCS#8 private keys and import wrapping keys) in the clear, base64-encoded; it must
 * never hold production keys. Mode 0600 only keeps other local users out.
 *
 * @module
 */
import {
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname } from 'node:path';
import type { KeyUsage } from './key-specs';
import type {
  AliasRecord,
  ExpirationModel,
  ImportTokenRecord,
  KeyRecord,
  KmsStore,
  MaterialRecord,
  Origin,
} from './store';

const FORMAT = 'keyplane-aws-kms-state';
/** v2: a list of key materials per key (rotation); v1 files (one material) are still read. */
const VERSION = 2;

interface SerializedMaterial extends Omit<MaterialRecord, 'bytes'> {
  bytes?: string | undefined;
}

interface SerializedKey {
  id: string;
  creationDate: number;
  description: string;
  keySpec: string;
  keyUsage: KeyUsage;
  origin: Origin;
  enabled: boolean;
  deletionDate?: number | undefined;
  materials?: SerializedMaterial[] | undefined;
  tags: [string, string][];
  // v1 fields: the key's only material.
  material?: string | undefined;
  materialId?: string | undefined;
  expirationModel?: ExpirationModel | undefined;
  validTo?: number | undefined;
}

interface SerializedToken extends Omit<ImportTokenRecord, 'privateKeyDer'> {
  token: string;
  privateKeyDer: string;
}

interface StateFile {
  format: typeof FORMAT;
  version: number;
  region: string;
  accountId: string;
  keys: SerializedKey[];
  aliases: AliasRecord[];
  importTokens: SerializedToken[];
}

function serialize(store: KmsStore): StateFile {
  return {
    format: FORMAT,
    version: VERSION,
    region: store.region,
    accountId: store.accountId,
    keys: [...store.keys.values()].map((k) => ({
      ...k,
      materials: k.materials.map((m) => ({ ...m, bytes: m.bytes?.toString('base64') })),
      tags: [...k.tags.entries()],
    })),
    aliases: [...store.aliases.values()],
    importTokens: [...store.tokens.entries()].map(([token, t]) => ({
      ...t,
      token,
      privateKeyDer: t.privateKeyDer.toString('base64'),
    })),
  };
}

let tmpCounter = 0;

/** Writes the whole state atomically: a reader never sees a half-written file. */
export function saveState(path: string, store: KmsStore): void {
  const tmp = `${path}.${process.pid}.${++tmpCounter}.tmp`;
  // A fresh --state-dir may not exist yet; private like the file itself.
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  try {
    writeFileSync(tmp, JSON.stringify(serialize(store)), { mode: 0o600 });
    renameSync(tmp, path);
  } catch (e) {
    if (existsSync(tmp)) unlinkSync(tmp);
    throw e;
  }
}

/** Loads a state file into an empty store; a missing file is a fresh start. */
export function loadState(path: string, store: KmsStore): void {
  if (!existsSync(path)) return;
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<StateFile>;
  if (parsed.format !== FORMAT || (parsed.version !== 1 && parsed.version !== VERSION))
    throw new Error(`${path}: not a ${FORMAT} v1 or v${VERSION} file`);
  if (parsed.region !== store.region || parsed.accountId !== store.accountId)
    throw new Error(
      `${path}: state belongs to ${parsed.region ?? '?'}/${parsed.accountId ?? '?'}, emulator runs ${store.region}/${store.accountId}`,
    );
  for (const { material, materialId, expirationModel, validTo, materials, ...k } of parsed.keys ??
    []) {
    const v1: SerializedMaterial[] =
      materialId === undefined
        ? []
        : [{ id: materialId, state: 'CURRENT', bytes: material, expirationModel, validTo }];
    const record: KeyRecord = {
      ...k,
      materials: (materials ?? v1).map((m) => ({
        ...m,
        bytes: m.bytes === undefined ? undefined : Buffer.from(m.bytes, 'base64'),
      })),
      tags: new Map(k.tags),
    };
    store.keys.set(k.id, record);
  }
  for (const a of parsed.aliases ?? []) store.aliases.set(a.name, { ...a });
  for (const { token, ...t } of parsed.importTokens ?? [])
    store.tokens.set(token, { ...t, privateKeyDer: Buffer.from(t.privateKeyDer, 'base64') });
}
