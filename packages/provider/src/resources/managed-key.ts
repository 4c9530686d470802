/**
 * `keyplane_managed_key` — one managed key (Vault's `/sys/managed-keys/:type/:name`, https://developer.hashicorp.com/vault/api-docs/system/managed-keys): a
 * registry entry in the store naming a key that lives in a PKCS#11 token or a cloud KMS. Every
 * generic and backend parameter is an attribute (managed-key-parameters.ts); secrets are
 * write-only. On create (and whenever parameters change) the key is test-signed
 * (`test_sign`, default true), generating it first when `allow_generate_key` allows; the
 * backend key version that signed is `key_version`. Refresh looks that version up again without
 * generating anything: when it was deleted out of band `key_version` becomes null and the next
 * plan shows the update that restores it (or fails, naming `allow_generate_key`).
 *
 * Import id: the name (in the provider's namespace), optionally followed by the `*_wo_version`
 * values the configuration uses (`hsm,pin_wo_version=1`): write-only values cannot be read back,
 * so only the id can tell which version the configuration's secret already is.
 *
 * @module
 */
import type { ManagedKeyView } from '@keyplane/engine';
import { requiresReplace } from '../framework/planmodifiers/requires-replace';
import { useStateForUnknown } from '../framework/planmodifiers/use-state-for-unknown';
import type {
  ModifyPlanRequest,
  ModifyPlanResponse,
  ResourceWithImport,
  ResourceWithModifyPlan,
  ResourceWithValidateConfig,
} from '../framework/resource';
import type { Schema } from '../framework/schema';
import { oneOf } from '../framework/validators/one-of';
import { stringMatches } from '../framework/validators/string-matches';
import { CtyNumber } from '../protocol/cty/number';
import { path } from '../protocol/cty/path';
import { types } from '../protocol/cty/types';
import {
  UNKNOWN,
  isUnknown,
  valuesEqual,
  type CtyObject,
  type CtyValue,
} from '../protocol/cty/values';
import { checkpoint, type ProviderContext } from '../provider/context';
import {
  attempt,
  contextOf,
  isNotFound,
  isSet,
  parseImportId,
  str,
  strings,
  withValues,
} from './common';
import {
  MANAGED_KEY_TYPES,
  PARAMETERS,
  PARAMETER_ATTRIBUTES,
  attributeForField,
  defaultFor,
  type ManagedKeyType,
  type ParameterAttribute,
} from './managed-key-parameters';
import { validateParameters } from './managed-key-validation';

export const MANAGED_KEY_NAME = /^[a-z0-9][a-z0-9_.-]{0,127}$/;

const schema: Schema = {
  description:
    'A managed key: a key that stays in a PKCS#11 HSM, AWS KMS, Azure Key Vault or Google Cloud KMS, registered with Keyplane (Vault `sys/managed-keys`). Keyplane never sees its private material. Secret parameters are write-only (`*_wo` with `*_wo_version`, Terraform >= 1.11). Deleting the resource removes the registry entry, never the backend key.',
  attributes: {
    id: {
      type: types.string,
      computed: true,
      description: 'The name (import id).',
      planModifiers: [useStateForUnknown()],
    },
    name: {
      type: types.string,
      required: true,
      description:
        'Name, unique in the namespace across all types. Changing it replaces the entry.',
      planModifiers: [requiresReplace()],
      validators: [stringMatches(MANAGED_KEY_NAME, "lowercase letters, digits, '.', '_' or '-'")],
    },
    type: {
      type: types.string,
      required: true,
      description: `Backend type: ${MANAGED_KEY_TYPES.map((t) => `\`${t}\``).join(', ')}. Changing it replaces the entry.`,
      planModifiers: [requiresReplace()],
      validators: [oneOf(...MANAGED_KEY_TYPES)],
    },
    test_sign: {
      type: types.bool,
      optional: true,
      computed: true,
      default: true,
      description:
        "Sign and verify random data through the key on create and whenever its parameters change (like Vault's managed-key `test/sign` endpoint), so a wrong PIN, label or algorithm fails the apply, not the first use. Default: true (needs `sign` and `verify` in `usages`).",
    },
    uuid: {
      type: types.string,
      computed: true,
      description: 'Store id of the entry.',
      planModifiers: [useStateForUnknown()],
    },
    key_version: {
      type: types.string,
      computed: true,
      description:
        'Backend key version the last test/sign used (CKA_ID / ARN / versioned kid / version number); null when the key was deleted out of band.',
    },
    ...PARAMETER_ATTRIBUTES,
  },
};

const typeOf = (o: CtyObject | undefined): ManagedKeyType | undefined =>
  str(o?.type) as ManagedKeyType | undefined;

/** A stored parameter value as the attribute's cty value. */
function ctyOf(value: unknown): CtyValue {
  if (value === undefined || value === null) return null;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return CtyNumber.of(value);
  if (Array.isArray(value)) return [...(value as string[])].sort();
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function toState(
  view: ManagedKeyView,
  prior: CtyObject | undefined,
  keyVersion: string | null,
): CtyObject {
  const out: Record<string, CtyValue> = Object.create(null) as Record<string, CtyValue>;
  out.id = view.name;
  out.name = view.name;
  out.type = view.type;
  out.uuid = view.UUID;
  out.test_sign = typeof prior?.test_sign === 'boolean' ? prior.test_sign : true;
  out.key_version = keyVersion;
  for (const p of PARAMETERS) {
    if (p.secret) {
      out[p.attribute] = null;
      out[`${p.parameter}_wo_version`] = prior?.[`${p.parameter}_wo_version`] ?? null;
    } else out[p.attribute] = ctyOf(view[p.parameter]);
  }
  return out;
}

/** Engine input: the planned non-secret values plus the secrets `sendSecret` selects. */
function engineInput(
  plan: CtyObject,
  config: CtyObject,
  include: (p: ParameterAttribute) => boolean,
): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const p of PARAMETERS) {
    if (!include(p)) continue;
    const v = p.secret ? config[p.attribute] : plan[p.attribute];
    if (!isSet(v)) continue;
    input[p.parameter] = v instanceof CtyNumber ? v.toString() : Array.isArray(v) ? strings(v) : v;
  }
  return input;
}

/** Whether a parameter's planned value differs from state (a secret: its `_wo_version`). */
function changed(p: ParameterAttribute, plan: CtyObject, state: CtyObject): boolean {
  const name = p.secret ? `${p.parameter}_wo_version` : p.attribute;
  const attr = schema.attributes[name];
  return attr !== undefined && !valuesEqual(plan[name] ?? null, state[name] ?? null, attr.type);
}

/** Whether test/sign applies: asked for and the usages allow it. */
function signs(o: CtyObject): boolean {
  const usages = strings(o.usages) ?? [];
  return o.test_sign !== false && usages.includes('sign') && usages.includes('verify');
}

async function testSign(
  ctx: ProviderContext,
  name: string,
  resp: { diagnostics: ModifyPlanResponse['diagnostics'] },
): Promise<string | undefined> {
  const result = await attempt(resp.diagnostics, 'test/sign failed', attributeForField, () =>
    ctx.managedKeys.testSign(name),
  );
  return result?.key_version;
}

function modifyPlan(req: ModifyPlanRequest<ProviderContext>, resp: ModifyPlanResponse): void {
  const plan = resp.plan;
  const type = typeOf(plan);
  const values: Record<string, CtyValue> = {};
  if (isSet(plan.name)) values.id = plan.name ?? null;
  const state = req.state;
  for (const p of PARAMETERS) {
    if (p.secret || schema.attributes[p.attribute]?.computed !== true) continue;
    if ((req.config[p.attribute] ?? null) !== null) continue;
    const prior = state?.[p.attribute] ?? null;
    const d = (type === undefined ? undefined : defaultFor(p, type)) ?? null;
    values[p.attribute] =
      state !== undefined && typeOf(state) === type && prior !== null ? prior : d;
  }
  let next = withValues(plan, values);
  if (state === undefined) {
    resp.plan = withValues(next, { key_version: next.test_sign === false ? null : UNKNOWN });
    return;
  }
  // A parameter removed from the configuration cannot be unset in place: replace the entry.
  for (const p of PARAMETERS) {
    if (p.secret || schema.attributes[p.attribute]?.computed === true) continue;
    if ((state[p.attribute] ?? null) !== null && (next[p.attribute] ?? null) === null)
      resp.requiresReplace.push(path.root(p.attribute));
  }
  const anyChange = PARAMETERS.some((p) => changed(p, next, state));
  const heal = (state.key_version ?? null) === null && signs(state) && signs(next);
  if (signs(next) && (anyChange || heal)) next = withValues(next, { key_version: UNKNOWN });
  else if (!signs(next) && anyChange) next = withValues(next, { key_version: null });
  resp.plan = next;
}

const IMPORT_ID_ATTRIBUTES = Object.fromEntries(
  PARAMETERS.filter((p) => p.secret).map((p) => [`${p.parameter}_wo_version`, 'number' as const]),
);

export const managedKeyResource = {
  typeName: 'keyplane_managed_key',
  schema,

  validateConfig(req, resp) {
    validateParameters(req.config, resp.diagnostics);
  },

  modifyPlan(req, resp) {
    modifyPlan(req, resp);
    return Promise.resolve();
  },

  async create(req, resp) {
    const ctx = contextOf(req.ctx, resp.diagnostics);
    const name = str(req.plan.name);
    const type = typeOf(req.plan);
    if (ctx === undefined || name === undefined || type === undefined) return;
    checkpoint(req.signal);
    const view = await attempt(
      resp.diagnostics,
      'Cannot create the managed key',
      attributeForField,
      () =>
        ctx.managedKeys.create(
          type,
          name,
          engineInput(req.plan, req.config, () => true),
        ),
    );
    if (view === undefined) return;
    let keyVersion: string | null = null;
    if (signs(req.plan)) {
      checkpoint(req.signal);
      const signed = await testSign(ctx, name, resp);
      if (signed === undefined) {
        // Nothing half-created: an entry whose key cannot sign is not kept.
        await ctx.managedKeys.delete(name).catch(() => undefined);
        return;
      }
      keyVersion = signed;
    }
    resp.state = toState(view, req.plan, keyVersion);
  },

  async read(req, resp) {
    const ctx = contextOf(req.ctx, resp.diagnostics);
    const name = str(req.state.name);
    if (ctx === undefined || name === undefined) return;
    let record;
    try {
      record = await ctx.managedKeys.record(name);
    } catch (e) {
      if (!isNotFound(e)) throw e;
      resp.state = null; // deleted from the store out of band: the plan re-creates it
      return;
    }
    let keyVersion = str(req.state.key_version) ?? null;
    const imported = req.state.uuid === null || req.state.uuid === undefined;
    try {
      if (imported && signs({ ...req.state, usages: [...record.usages] })) {
        keyVersion = (await ctx.managedKeys.resolveRecord(record)).key.version;
      } else if (keyVersion !== null) {
        await ctx.managedKeys.resolveRecord(record, keyVersion);
      }
    } catch (e) {
      if (!isNotFound(e)) throw e;
      keyVersion = null; // the backend key (version) is gone: drift the next plan shows
    }
    resp.state = toState(await ctx.managedKeys.read(name), req.state, keyVersion);
  },

  async update(req, resp) {
    const ctx = contextOf(req.ctx, resp.diagnostics);
    const name = str(req.plan.name);
    if (ctx === undefined || name === undefined) return;
    const input = engineInput(req.plan, req.config, (p) => changed(p, req.plan, req.state));
    checkpoint(req.signal);
    const view = await attempt(
      resp.diagnostics,
      'Cannot update the managed key',
      attributeForField,
      () => ctx.managedKeys.update(name, input),
    );
    if (view === undefined) return;
    let keyVersion = str(req.plan.key_version) ?? null;
    if (isUnknown(req.plan.key_version ?? null)) {
      checkpoint(req.signal);
      const signed = await testSign(ctx, name, resp);
      if (signed === undefined) {
        resp.state = toState(view, req.plan, null);
        return;
      }
      keyVersion = signed;
    }
    resp.state = toState(view, req.plan, keyVersion);
  },

  async delete(req, resp) {
    const ctx = contextOf(req.ctx, resp.diagnostics);
    const name = str(req.state.name);
    if (ctx === undefined || name === undefined) return;
    await attempt(
      resp.diagnostics,
      'Cannot delete the managed key',
      attributeForField,
      async () => {
        try {
          await ctx.managedKeys.delete(name);
        } catch (e) {
          if (!isNotFound(e)) throw e; // already gone: deleted is deleted
        }
      },
    );
  },

  async importState(req, resp) {
    const ctx = contextOf(req.ctx, resp.diagnostics);
    if (ctx === undefined) return;
    const parsed = parseImportId(req.id, IMPORT_ID_ATTRIBUTES, resp.diagnostics);
    if (parsed === undefined) return;
    const record = await attempt(resp.diagnostics, 'Cannot import', attributeForField, () =>
      ctx.managedKeys.record(parsed.name),
    );
    if (record === undefined) return;
    resp.state = {
      ...parsed.values,
      id: parsed.name,
      name: parsed.name,
      type: record.type,
      test_sign: true,
    };
  },
} satisfies ResourceWithImport<ProviderContext> &
  ResourceWithModifyPlan<ProviderContext> &
  ResourceWithValidateConfig<ProviderContext>;
