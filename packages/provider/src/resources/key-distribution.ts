/**
 * `keyplane_key_distribution` — a central key imported by BYOK into a KMS (Vault
 * `keymgmt/kms/:name/key/:key`). `key`, `kms`, `purpose` and `protection` are immutable
 * (RequiresReplace): a cloud key's usage cannot change after import. The engine's
 * `checkDistributionTarget` — the check its distribute runs first: key type per cloud and Azure
 * service, PKCS#11 targets, HSM-origin keys, purpose, protection — runs at plan once the key and
 * the connection exist, each problem on its attribute with the allowed values. Refresh runs the engine's reconcile, so a version disabled or deleted in the cloud
 * out of band shows in `versions` and the next plan is an update (apply repairs what Keyplane
 * owns). When the key has versions the distribution lacks (rotated), the plan is an update with
 * `versions` unknown and apply pushes them.
 *
 * Import id: `KMS/KEY` (e.g. `aws-eu/payments`); purpose and protection are read back.
 *
 * @module
 */
import type { DistributionView } from '@keyplane/engine';
import type { Diagnostics } from '../framework/diagnostics';
import { requiresReplace } from '../framework/planmodifiers/requires-replace';
import { useStateForUnknown } from '../framework/planmodifiers/use-state-for-unknown';
import type {
  ResourceWithImport,
  ResourceWithModifyPlan,
  ResourceWithValidateConfig,
} from '../framework/resource';
import type { Schema } from '../framework/schema';
import { oneOf } from '../framework/validators/one-of';
import { path } from '../protocol/cty/path';
import { types } from '../protocol/cty/types';
import { UNKNOWN, asObject, objectValue, type CtyObject } from '../protocol/cty/values';
import { checkpoint, type ProviderContext } from '../provider/context';
import { engine } from '../provider/engine';
import { checkPolicyAtPlan } from './policy';
import { attempt, contextOf, isSet, readOrGone, str, strings, withValues } from './common';

const PURPOSES = ['encrypt', 'decrypt', 'sign', 'verify', 'wrap', 'unwrap'] as const;
const PROTECTIONS = ['hsm', 'software'] as const;

const attributeOf = (field: string): string | undefined =>
  field in schema.attributes ? field : undefined;

const versionType = types.object({
  cloud_id: types.string,
  cloud_version: types.string,
  state: types.string,
});

const schema: Schema = {
  description:
    'A central key distributed (BYOK) to a KMS connection (Vault `keymgmt/kms/:name/key/:key`): every enabled version imported in the cloud or the PKCS#11 token, new versions pushed on rotation. Plan (once the key and the connection exist) runs the check the engine runs before any distribution, each problem on its attribute with the allowed values: the key type per target — per cloud, per Azure service (Key Vault: RSA only; Managed HSM: also EC and AES) and for PKCS#11 tokens (no Ed25519, `hsm` protection only) —, HSM-origin keys (only to the clouds the token can wrap for, at `hsm` protection), the purposes and the protection; then the key policy. `provider::keyplane::compatible` answers the same check. A key or connection created in the same apply is checked when apply re-plans, before anything changes.',
  attributes: {
    id: {
      type: types.string,
      computed: true,
      description: '`KMS/KEY` (import id).',
      planModifiers: [useStateForUnknown()],
    },
    key: {
      type: types.string,
      required: true,
      description:
        'Name of the `keyplane_key`; its type and origin are checked against the connection at plan. Changing it replaces the distribution.',
      planModifiers: [requiresReplace()],
    },
    kms: {
      type: types.string,
      required: true,
      description:
        'Name of the `keyplane_kms` connection: a cloud KMS (for Azure, its service — Key Vault or Managed HSM — decides the key types) or a `pkcs11` token, checked at plan. Changing it replaces the distribution.',
      planModifiers: [requiresReplace()],
    },
    purpose: {
      type: types.set(types.string),
      required: true,
      description: `Purposes: ${PURPOSES.map((p) => `\`${p}\``).join(', ')} (checked at plan against the key type and the connection). Changing them replaces the distribution.`,
      planModifiers: [requiresReplace()],
    },
    protection: {
      type: types.string,
      optional: true,
      computed: true,
      default: 'hsm',
      description:
        'Protection level in the cloud: `hsm` or `software` (checked at plan against the key type and the connection, e.g. AWS KMS, PKCS#11 tokens and HSM-origin keys take `hsm` only). Default: `hsm`. Changing it replaces the distribution.',
      planModifiers: [requiresReplace()],
      validators: [oneOf(...PROTECTIONS)],
    },
    kms_key_name: {
      type: types.string,
      computed: true,
      description: 'The key name in the cloud (AWS `alias/<key>`, otherwise the key name).',
      planModifiers: [useStateForUnknown()],
    },
    versions: {
      type: types.map(versionType),
      computed: true,
      description:
        'Version → `cloud_id` (AWS key ARN / Azure key id / GCP crypto key version name / PKCS#11 CKA_ID), `cloud_version` and `state` in the cloud (`enabled`, `disabled`, or drift found at refresh: `deleted`, `missing`).',
    },
  },
};

const idOf = (kms: string, key: string): string => `${kms}/${key}`;

function toState(view: DistributionView, drift: ReadonlyMap<string, string>): CtyObject {
  return objectValue([
    ['id', idOf(view.kms, view.key)],
    ['key', view.key],
    ['kms', view.kms],
    ['purpose', [...view.purpose].sort()],
    ['protection', view.protection],
    ['kms_key_name', view.kms_key_name],
    [
      'versions',
      objectValue(
        Object.entries(view.versions).map(([n, v]) => [
          n,
          objectValue([
            ['cloud_id', v.cloud_id],
            ['cloud_version', v.cloud_version],
            ['state', drift.get(n) ?? v.state],
          ]),
        ]),
      ),
    ],
  ]);
}

/** The distribution as the store has it, with the cloud's drift (reconcile, no repair). */
async function readWithDrift(ctx: ProviderContext, kms: string, key: string): Promise<CtyObject> {
  const view = await ctx.keys.distributions.read(kms, key);
  const report = await ctx.keys.reconcile(key);
  const drift = new Map(
    report.drift
      .filter((d) => d.kms === kms && d.version !== undefined)
      .map((d) => [String(d.version), d.kind]),
  );
  return toState(view, drift);
}

/** Whether the distribution in state lags the key in the store (rotated, drifted, due). */
async function outdated(ctx: ProviderContext, state: CtyObject, key: string): Promise<boolean> {
  const view = await ctx.keys.read(key);
  if (view.rotation_due) return true;
  const held = asObject(state.versions ?? null) ?? {};
  return Object.entries(view.versions).some(([n, v]) => {
    const have = asObject(held[n] ?? null)?.state;
    return v.state === 'enabled' ? have !== 'enabled' : have !== undefined && have !== 'disabled';
  });
}

/**
 * Engine fields about the key (its type) or the connection (its type, collection) show on the
 * attribute that names them; the rest on the attribute of the same name.
 */
const distributionAttribute = (field: string): string | undefined =>
  field === 'type' || field === 'key_type'
    ? 'key'
    : field === 'provider' || field === 'key_collection'
      ? 'kms'
      : attributeOf(field);

/**
 * At plan, once the key and the connection exist: the policy and the engine's distribution
 * target check (the one distribute runs: type per cloud and Azure service, PKCS#11, HSM origin,
 * purpose, protection), each problem on its attribute. Unknown values, or a key or connection
 * this apply creates, leave it to apply, where the engine runs the same check first.
 */
async function checkAtPlan(
  ctx: ProviderContext,
  plan: CtyObject,
  resp: { readonly diagnostics: Diagnostics },
): Promise<void> {
  const key = str(plan.key);
  const kms = str(plan.kms);
  const purposes = isSet(plan.purpose) ? strings(plan.purpose) : undefined;
  const protection = str(plan.protection);
  if (key === undefined || kms === undefined || purposes === undefined || protection === undefined)
    return;
  let found;
  try {
    found = await Promise.all([ctx.keys.read(key), ctx.kms.read(kms)]);
  } catch {
    return; // created in this apply: the engine checks before anything changes
  }
  const [keyView, kmsView] = found;
  checkPolicyAtPlan(
    ctx,
    {
      kind: 'distribution',
      key,
      key_type: keyView.type,
      kms,
      provider: kmsView.provider,
      key_collection: kmsView.key_collection,
      purpose: purposes,
      protection,
    },
    resp.diagnostics,
    distributionAttribute,
  );
  const e = engine();
  const problems = e.checkDistributionTarget({
    keyType: keyView.type,
    origin: keyView.origin,
    provider: kmsView.provider,
    azureService:
      kmsView.provider === 'azurekeyvault' ? e.azureServiceOf(kmsView.options) : undefined,
    purposes,
    protection,
  });
  for (const p of problems) {
    const attribute = p.field === undefined ? undefined : distributionAttribute(p.field);
    resp.diagnostics.error(
      'Incompatible distribution',
      `${p.message} [${p.code}]`,
      attribute === undefined ? undefined : path.root(attribute),
    );
  }
}

export const keyDistributionResource = {
  typeName: 'keyplane_key_distribution',
  schema,

  validateConfig(req, resp) {
    for (const p of strings(req.config.purpose) ?? []) {
      if (!(PURPOSES as readonly string[]).includes(p)) {
        resp.diagnostics.error(
          'Invalid purpose',
          `purpose "${p}" is not valid; allowed: ${PURPOSES.join(', ')}`,
          path.root('purpose'),
        );
      }
    }
  },

  async modifyPlan(req, resp) {
    const ctx = req.ctx;
    if (ctx === undefined) return;
    await checkAtPlan(ctx, resp.plan, resp);
    const state = req.state;
    const key = str(resp.plan.key);
    if (state === undefined || key === undefined || state.key !== key) return;
    const stale = await outdated(ctx, state, key).catch(() => false);
    resp.plan = withValues(resp.plan, { versions: stale ? UNKNOWN : (state.versions ?? null) });
  },

  async create(req, resp) {
    const ctx = contextOf(req.ctx, resp.diagnostics);
    const key = str(req.plan.key);
    const kms = str(req.plan.kms);
    if (ctx === undefined || key === undefined || kms === undefined) return;
    checkpoint(req.signal);
    const view = await attempt(
      resp.diagnostics,
      'Cannot distribute the key',
      distributionAttribute,
      () =>
        ctx.keys.distributions.distribute(kms, key, {
          purpose: strings(req.plan.purpose) ?? [],
          protection: str(req.plan.protection),
        }),
    );
    if (view !== undefined) resp.state = toState(view, new Map());
  },

  async read(req, resp) {
    const ctx = contextOf(req.ctx, resp.diagnostics);
    const key = str(req.state.key);
    const kms = str(req.state.kms);
    if (ctx === undefined || key === undefined || kms === undefined) return;
    await readOrGone(resp, () => readWithDrift(ctx, kms, key));
  },

  async update(req, resp) {
    const ctx = contextOf(req.ctx, resp.diagnostics);
    const key = str(req.plan.key);
    const kms = str(req.plan.kms);
    if (ctx === undefined || key === undefined || kms === undefined) return;
    checkpoint(req.signal);
    // Repair imports the versions the cloud lacks (rotation) and undoes out-of-band disables.
    const state = await attempt(
      resp.diagnostics,
      'Cannot update the distribution',
      attributeOf,
      async () => {
        await ctx.keys.reconcile(key, { repair: true });
        return await readWithDrift(ctx, kms, key);
      },
    );
    if (state !== undefined) resp.state = state;
  },

  async delete(req, resp) {
    const ctx = contextOf(req.ctx, resp.diagnostics);
    const key = str(req.state.key);
    const kms = str(req.state.kms);
    if (ctx === undefined || key === undefined || kms === undefined) return;
    await attempt(resp.diagnostics, 'Cannot undistribute the key', attributeOf, () =>
      ctx.keys.distributions.undistribute(kms, key),
    );
  },

  async importState(req, resp) {
    const ctx = contextOf(req.ctx, resp.diagnostics);
    if (ctx === undefined) return;
    const slash = req.id.indexOf('/');
    const kms = req.id.slice(0, slash).trim();
    const key = req.id.slice(slash + 1).trim();
    if (slash < 0 || kms === '' || key === '') {
      resp.diagnostics.error(
        'Invalid import id',
        `expected KMS/KEY (e.g. aws-eu/payments); got "${req.id}"`,
      );
      return;
    }
    const view = await attempt(resp.diagnostics, 'Cannot import', attributeOf, () =>
      ctx.keys.distributions.read(kms, key),
    );
    if (view !== undefined) resp.state = { id: idOf(kms, key), kms, key };
  },
} satisfies ResourceWithImport<ProviderContext> &
  ResourceWithModifyPlan<ProviderContext> &
  ResourceWithValidateConfig<ProviderContext>;
