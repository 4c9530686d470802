/**
 * Key lifecycle operations: create, import, get, list, list versions, update, soft delete,
 * get/list deleted, purge, recover (Key Vault REST API, "Keys" operation group).
 *
 * @module
 */
import { importTransferBlob } from './byok-import';
import { deletedKeyBundle, deletedKeyItem, findVersion, keyBundle, keyItem, page } from './bundle';
import { RETENTION_DAYS, type Handler, type OperationContext } from './context';
import {
  nowSeconds,
  objectField,
  optionalBoolean,
  optionalInteger,
  optionalStringArray,
  optionalTags,
  isObject,
  type Json,
} from './encoding';
import { badParameter, deletedButRecoverable, deletedKeyNotFound, keyNotFound } from './errors';
import {
  AES_BITS,
  DEFAULT_KEY_OPS,
  KEY_OPS,
  KTYS,
  RSA_BITS,
  generateMaterial,
  materialFromJwk,
  parseCurve,
  parseKty,
  type Family,
  type Kty,
  type Material,
} from './jwk';
import { VAULT_GROUP, createGroup, keyGroup } from './quotas';
import { SERVICE_LABEL, SERVICE_RULES, hsmKtyOf } from './services';
import { newVersionId, type KeyAttributes, type KeyRecord, type KeyVersion } from './store';

/**
 * Operations that make sense per family ('import' only on KEKs, checked separately). A Managed
 * HSM creates `oct-HSM` keys with `deriveKey`, `wrapKey`, `verify`, `sign`, `unwrapKey`,
 * `encrypt` and `decrypt` when asked (recorded).
 */
const FAMILY_OPS: Readonly<Record<Family, readonly string[]>> = {
  RSA: ['encrypt', 'decrypt', 'sign', 'verify', 'wrapKey', 'unwrapKey', 'import'],
  EC: ['sign', 'verify'],
  oct: ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey', 'sign', 'verify', 'deriveKey'],
};

function checkName(name: string): void {
  if (!/^[0-9a-zA-Z-]{1,127}$/.test(name))
    throw badParameter(
      `The request URI contains an invalid name: ${name}. Key names are 1-127 characters: 0-9, a-z, A-Z, -`,
    );
}

function keyOps(body: Json, kty: Kty): readonly string[] {
  const { family } = KTYS[kty];
  const ops = optionalStringArray(body, 'key_ops') ?? DEFAULT_KEY_OPS[family];
  for (const op of ops) {
    if (!KEY_OPS.includes(op)) throw badParameter(`Invalid key operation '${op}'`);
    if (op === 'export')
      throw badParameter(
        "Key operation 'export' requires a release policy, which is not supported",
      );
    if (!FAMILY_OPS[family].includes(op))
      throw badParameter(`Key operation '${op}' is not valid for ${kty} keys`);
  }
  // byok-specification: a Key Exchange Key is RSA-HSM with key_ops fixed to ["import"].
  if (ops.includes('import') && (kty !== 'RSA-HSM' || ops.length !== 1))
    throw badParameter(
      "Key operation 'import' is only valid alone, on an RSA-HSM key exchange key",
    );
  return [...new Set(ops)];
}

function attributes(body: Json, previous?: KeyAttributes): KeyAttributes {
  const a = objectField(body, 'attributes');
  // Recorded wording; the emulator supports no release policies, so no exportable keys.
  if (optionalBoolean(a, 'exportable') === true)
    throw badParameter('AKV.SKR.1004: Exportable keys must have release policy.');
  const now = nowSeconds();
  const nbf = optionalInteger(a, 'nbf') ?? previous?.nbf;
  const exp = optionalInteger(a, 'exp') ?? previous?.exp;
  return {
    enabled: optionalBoolean(a, 'enabled') ?? previous?.enabled ?? true,
    ...(nbf === undefined ? {} : { nbf }),
    ...(exp === undefined ? {} : { exp }),
    created: previous?.created ?? now,
    updated: now,
  };
}

function liveRecord(ctx: OperationContext, name: string): KeyRecord {
  const record = ctx.store.get(name);
  if (record === undefined) throw keyNotFound(name);
  return record;
}

/** Adds a new version under `name` (a new key or a new version of an existing one). */
function addVersion(
  ctx: OperationContext,
  name: string,
  kty: Kty,
  material: Material,
  body: Json,
  ops: readonly string[],
): unknown {
  const tags = optionalTags(body);
  const version: KeyVersion = {
    version: newVersionId(),
    kty,
    keyOps: ops,
    material,
    attributes: attributes(body),
    ...(tags === undefined ? {} : { tags }),
  };
  const record = ctx.store.addVersion(name, version);
  return keyBundle(ctx, record, version);
}

function checkNameFree(ctx: OperationContext, name: string): void {
  checkName(name);
  if (ctx.store.getDeleted(name) !== undefined) throw deletedButRecoverable(name);
}

export const createKey: Handler = async (ctx, { name }, body) => {
  checkNameFree(ctx, name);
  const kty = parseKty(body.kty);
  const rules = SERVICE_RULES[ctx.service];
  if (!rules.create.includes(kty))
    throw badParameter(
      `${SERVICE_LABEL[ctx.service]} does not support creating ${kty} keys (supported: ${rules.create.join(', ')})`,
    );
  const { family, hsm } = KTYS[kty];
  const ops = keyOps(body, kty);
  const bits = optionalInteger(body, 'key_size');
  if (family === 'RSA' && bits !== undefined && !RSA_BITS.includes(bits))
    throw badParameter(`key_size ${bits} is not valid for RSA keys (2048, 3072, 4096)`);
  if (family === 'oct' && bits !== undefined && !AES_BITS.includes(bits))
    throw badParameter(`key_size ${bits} is not valid for AES keys (128, 192, 256)`);
  const publicExponent = optionalInteger(body, 'public_exponent');
  if (publicExponent !== undefined && publicExponent !== 3 && publicExponent !== 65537)
    throw badParameter('public_exponent must be 3 or 65537');
  const curve = family === 'EC' && body.crv !== undefined ? parseCurve(body.crv) : undefined;
  ctx.charge(createGroup(hsm));
  const material = await generateMaterial(family, {
    ...(bits === undefined ? {} : { bits }),
    ...(curve === undefined ? {} : { curve }),
    ...(publicExponent === undefined ? {} : { publicExponent }),
  });
  return { status: 200, body: addVersion(ctx, name, kty, material, body, ops) };
};

/** PUT /keys/{name}: a BYOK transfer blob (`key_hsm`) or a plain private JWK. */
export const importKey: Handler = (ctx, { name }, body) => {
  checkNameFree(ctx, name);
  if (!isObject(body.key)) throw badParameter('key is required: the JSON Web Key to import');
  const jwk = body.key;
  const requested = parseKty(jwk.kty);
  const rules = SERVICE_RULES[ctx.service];
  let kty: Kty;
  let material: Material;
  if (jwk.key_hsm !== undefined && jwk.key_hsm !== null) {
    kty = requested;
    ctx.charge(createGroup(true));
    material = importTransferBlob(ctx, kty, jwk);
  } else {
    const { family } = KTYS[requested];
    if (!rules.plainImport.includes(family))
      throw badParameter(
        `${SERVICE_LABEL[ctx.service]} does not support importing ${requested} keys`,
      );
    // `Hsm: true` (capital H on the wire) or an -HSM kty asks for HSM protection.
    const hsm = rules.hsmOnly || KTYS[requested].hsm || optionalBoolean(body, 'Hsm') === true;
    kty = hsm ? hsmKtyOf(family) : requested;
    ctx.charge(createGroup(hsm));
    material = materialFromJwk(jwk, family);
  }
  return { status: 200, body: addVersion(ctx, name, kty, material, body, keyOps(jwk, kty)) };
};

export const getKey: Handler = (ctx, { name, version }) => {
  const record = liveRecord(ctx, name);
  const v = findVersion(record, version);
  ctx.charge(keyGroup(v));
  return { status: 200, body: keyBundle(ctx, record, v) };
};

export const listKeys: Handler = (ctx) => {
  ctx.charge(VAULT_GROUP);
  const items = ctx.store.list().map((r) => keyItem(ctx, r, findVersion(r, ''), false));
  return { status: 200, body: page(ctx, items, '/keys') };
};

/** Recorded: the versions of a key that does not exist are an empty page, not a 404. */
export const listKeyVersions: Handler = (ctx, { name }) => {
  ctx.charge(VAULT_GROUP);
  const record = ctx.store.get(name);
  const items = record?.versions.map((v) => keyItem(ctx, record, v, true)) ?? [];
  return { status: 200, body: page(ctx, items, `/keys/${record?.name ?? name}/versions`) };
};

/** PATCH /keys/{name}/{version}: attributes, key_ops and tags of one version. */
export const updateKey: Handler = (ctx, { name, version }, body) => {
  const record = liveRecord(ctx, name);
  const v = findVersion(record, version);
  ctx.charge(keyGroup(v));
  const tags = optionalTags(body) ?? v.tags;
  const updated: KeyVersion = {
    ...v,
    keyOps: body.key_ops === undefined ? v.keyOps : keyOps(body, v.kty),
    attributes: attributes(body, v.attributes),
    ...(tags === undefined ? {} : { tags }),
  };
  ctx.store.replaceVersion(record, updated);
  return { status: 200, body: keyBundle(ctx, record, updated) };
};

export const deleteKey: Handler = (ctx, { name }) => {
  ctx.charge(VAULT_GROUP);
  const deleted = ctx.store.softDelete(name, nowSeconds(), RETENTION_DAYS);
  if (deleted === undefined) throw keyNotFound(name);
  return { status: 200, body: deletedKeyBundle(ctx, deleted) };
};

export const getDeletedKey: Handler = (ctx, { name }) => {
  ctx.charge(VAULT_GROUP);
  ctx.store.purgeExpired(nowSeconds());
  const deleted = ctx.store.getVisibleDeleted(name);
  if (deleted === undefined) throw deletedKeyNotFound(name);
  return { status: 200, body: deletedKeyBundle(ctx, deleted) };
};

export const listDeletedKeys: Handler = (ctx) => {
  ctx.charge(VAULT_GROUP);
  ctx.store.purgeExpired(nowSeconds());
  const items = ctx.store.listDeleted().map((d) => deletedKeyItem(ctx, d));
  return { status: 200, body: page(ctx, items, '/deletedkeys') };
};

export const purgeDeletedKey: Handler = (ctx, { name }) => {
  ctx.charge(VAULT_GROUP);
  if (!ctx.store.purge(name)) throw deletedKeyNotFound(name);
  return { status: 204 };
};

export const recoverDeletedKey: Handler = (ctx, { name }) => {
  ctx.charge(VAULT_GROUP);
  const record = ctx.store.recover(name);
  // Recorded: recovering a key that is not deleted is KeyNotFound with the live-key wording.
  if (record === undefined) throw keyNotFound(name);
  return { status: 200, body: keyBundle(ctx, record, findVersion(record, '')) };
};
