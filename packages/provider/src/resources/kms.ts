/**
 * `keyplane_kms` — a KMS connection (Vault `keymgmt/kms/:name`): where distributions import
 * keys. `type` and `key_collection` are immutable (RequiresReplace); `endpoint` and the other
 * connection `options` update in place; credentials are write-only (`credentials_wo`, a map,
 * sent again when `credentials_wo_version` changes) and sealed in the store.
 *
 * Import id: the name, optionally with `credentials_wo_version=N`.
 *
 * @module
 */
import type { KmsView } from '@keyplane/engine';
import { requiresReplace } from '../framework/planmodifiers/requires-replace';
import type { ResourceWithImport, ResourceWithModifyPlan } from '../framework/resource';
import type { Schema } from '../framework/schema';
import { oneOf } from '../framework/validators/one-of';
import { types } from '../protocol/cty/types';
import { asObject, objectValue, valuesEqual, type CtyObject } from '../protocol/cty/values';
import { checkpoint, type ProviderContext } from '../provider/context';
import { checkPolicyAtPlan } from './policy';
import {
  ID_ATTRIBUTE,
  attempt,
  contextOf,
  nameAttribute,
  readOrGone,
  str,
  importByName,
} from './common';

const KMS_TYPES = ['awskms', 'azurekeyvault', 'gcpckms', 'pkcs11'] as const;

const attributeOf = (field: string): string | undefined => {
  if (field === 'provider') return 'type';
  if (field.startsWith('credentials.')) return 'credentials_wo';
  if (field === 'endpoint' || field in schema.attributes) return field;
  return 'options';
};

const schema: Schema = {
  description:
    'A KMS connection (Vault `keymgmt/kms`): the cloud KMS or HSM that `keyplane_key_distribution` imports keys into. Credentials are write-only and sealed in the store.',
  attributes: {
    id: ID_ATTRIBUTE,
    name: nameAttribute('connection'),
    type: {
      type: types.string,
      required: true,
      description: `KMS type: ${KMS_TYPES.map((t) => `\`${t}\``).join(', ')} (Vault's \`provider\`). Changing it replaces the connection.`,
      planModifiers: [requiresReplace()],
      validators: [oneOf(...KMS_TYPES)],
    },
    key_collection: {
      type: types.string,
      required: true,
      description:
        'AWS region / Azure vault name / GCP key ring resource id / PKCS#11 token label. Changing it replaces the connection.',
      planModifiers: [requiresReplace()],
    },
    endpoint: {
      type: types.string,
      optional: true,
      description: 'Endpoint URL (VPC endpoint, private link, or a local emulator).',
    },
    options: {
      type: types.map(types.string),
      optional: true,
      description:
        'Other connection options: `environment`, `resource`, `service`, `ca_file` (azurekeyvault), `library` (pkcs11).',
    },
    credentials_wo: {
      type: types.map(types.string),
      optional: true,
      writeOnly: true,
      description:
        'Credentials: `access_key`, `secret_key`, `session_token` (awskms); `tenant_id`, `client_id`, `client_secret` (azurekeyvault); `service_account_file` (gcpckms); `pin` (pkcs11). Sealed in the store.',
    },
    credentials_wo_version: {
      type: types.number,
      optional: true,
      description: 'Any change sends `credentials_wo` again (replacing the stored credentials).',
    },
    credential_names: {
      type: types.set(types.string),
      computed: true,
      description: 'Names of the credentials stored (values are never shown).',
    },
  },
};

const stringMap = (v: CtyObject | undefined): Record<string, string> =>
  Object.fromEntries(
    Object.entries(v ?? {}).filter((e): e is [string, string] => typeof e[1] === 'string'),
  );

function toState(view: KmsView, prior: CtyObject | undefined): CtyObject {
  const { endpoint, ...others } = view.options;
  const priorOptions = asObject(prior?.options ?? null);
  const keepEmpty = priorOptions !== undefined && Object.keys(others).length === 0;
  return objectValue([
    ['id', view.name],
    ['name', view.name],
    ['type', view.provider],
    ['key_collection', view.key_collection],
    ['endpoint', endpoint ?? null],
    [
      'options',
      Object.keys(others).length === 0 && !keepEmpty ? null : objectValue(Object.entries(others)),
    ],
    ['credentials_wo', null],
    ['credentials_wo_version', prior?.credentials_wo_version ?? null],
    ['credential_names', [...view.credentials].sort()],
  ]);
}

/** The options as the engine takes them (endpoint folded in; removed ones as ''). */
function optionsOf(plan: CtyObject, state: CtyObject | undefined): Record<string, string> {
  const next = stringMap(asObject(plan.options ?? null));
  const endpoint = str(plan.endpoint);
  if (endpoint !== undefined) next.endpoint = endpoint;
  const before = stringMap(asObject(state?.options ?? null));
  if (str(state?.endpoint) !== undefined) before.endpoint = str(state?.endpoint) ?? '';
  for (const k of Object.keys(before)) if (!(k in next)) next[k] = '';
  return next;
}

const versionChanged = (plan: CtyObject, state: CtyObject): boolean =>
  !valuesEqual(
    plan.credentials_wo_version ?? null,
    state.credentials_wo_version ?? null,
    types.number,
  );

export const kmsResource = {
  typeName: 'keyplane_kms',
  schema,

  modifyPlan(req, resp) {
    const name = str(resp.plan.name);
    const provider = str(resp.plan.type);
    const collection = str(resp.plan.key_collection);
    if (
      req.ctx !== undefined &&
      name !== undefined &&
      provider !== undefined &&
      collection !== undefined
    )
      checkPolicyAtPlan(
        req.ctx,
        { kind: 'kms', name, provider, key_collection: collection },
        resp.diagnostics,
        attributeOf,
      );
    return Promise.resolve();
  },

  async create(req, resp) {
    const ctx = contextOf(req.ctx, resp.diagnostics);
    const name = str(req.plan.name);
    if (ctx === undefined || name === undefined) return;
    checkpoint(req.signal);
    const view = await attempt(
      resp.diagnostics,
      'Cannot create the KMS connection',
      attributeOf,
      () =>
        ctx.kms.create(name, {
          provider: str(req.plan.type),
          key_collection: str(req.plan.key_collection),
          options: optionsOf(req.plan, undefined),
          credentials: stringMap(asObject(req.config.credentials_wo ?? null)),
        }),
    );
    if (view !== undefined) resp.state = toState(view, req.plan);
  },

  async read(req, resp) {
    const ctx = contextOf(req.ctx, resp.diagnostics);
    const name = str(req.state.name);
    if (ctx === undefined || name === undefined) return;
    await readOrGone(resp, async () => toState(await ctx.kms.read(name), req.state));
  },

  async update(req, resp) {
    const ctx = contextOf(req.ctx, resp.diagnostics);
    const name = str(req.plan.name);
    if (ctx === undefined || name === undefined) return;
    checkpoint(req.signal);
    const view = await attempt(
      resp.diagnostics,
      'Cannot update the KMS connection',
      attributeOf,
      () =>
        ctx.kms.update(name, {
          options: optionsOf(req.plan, req.state),
          ...(versionChanged(req.plan, req.state)
            ? { credentials: stringMap(asObject(req.config.credentials_wo ?? null)) }
            : {}),
        }),
    );
    if (view !== undefined) resp.state = toState(view, req.plan);
  },

  async delete(req, resp) {
    const ctx = contextOf(req.ctx, resp.diagnostics);
    const name = str(req.state.name);
    if (ctx === undefined || name === undefined) return;
    await attempt(resp.diagnostics, 'Cannot delete the KMS connection', attributeOf, () =>
      ctx.kms.delete(name),
    );
  },

  async importState(req, resp) {
    await importByName(req, resp, { credentials_wo_version: 'number' }, attributeOf, (ctx, name) =>
      ctx.kms.read(name),
    );
  },
} satisfies ResourceWithImport<ProviderContext> & ResourceWithModifyPlan<ProviderContext>;
