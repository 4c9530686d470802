/**
 * `keyplane_signing_key` — a named signing key over a managed key (Vault Transit's
 * `type=managed_key` key, https://developer.hashicorp.com/vault/docs/secrets/transit#managed-keys). Each version pins the backend key version and identity that
 * signs for `v<N>`; `rotate_trigger` (any change) pins the managed key's current backend version
 * as a new version when it moved on. The managed key must allow this consumer (`any_mount` on
 * it, or listed in `allowed_managed_keys`).
 *
 * Import id: the name, optionally with the configured trigger (`release,rotate_trigger=2026-q4`).
 *
 * @module
 */
import type { SigningKeyRecord } from '@keyplane/engine';
import { requiresReplace } from '../framework/planmodifiers/requires-replace';
import { useStateForUnknown } from '../framework/planmodifiers/use-state-for-unknown';
import type { ResourceWithImport, ResourceWithModifyPlan } from '../framework/resource';
import type { Schema } from '../framework/schema';
import { stringMatches } from '../framework/validators/string-matches';
import { CtyNumber } from '../protocol/cty/number';
import { types } from '../protocol/cty/types';
import { UNKNOWN, objectValue, valuesEqual, type CtyObject } from '../protocol/cty/values';
import { checkpoint, type ProviderContext } from '../provider/context';
import {
  attempt,
  contextOf,
  readOrGone,
  rfc3339,
  str,
  strings,
  withValues,
  ID_ATTRIBUTE,
  nameAttribute,
  deleteByName,
  importByName,
} from './common';
import { MANAGED_KEY_NAME } from './managed-key';

const FIELDS: Readonly<Record<string, string>> = {
  name: 'name',
  key: 'name',
  managed_key: 'managed_key',
  allowed_managed_keys: 'allowed_managed_keys',
  usages: 'managed_key',
  allow_generate_key: 'managed_key',
};
const attributeOf = (field: string): string | undefined => FIELDS[field];

const versionType = types.object({
  backend_version: types.string,
  backend_key_id: types.string,
  public_key_sha256: types.string,
  created_at: types.string,
});

const schema: Schema = {
  description:
    'A signing key over a managed key (Vault Transit `type=managed_key`): versioned signatures `keyplane:v<N>:…` whose versions each pin the backend key that signs for them, so a backend key replaced under the same name is refused rather than silently used.',
  attributes: {
    id: ID_ATTRIBUTE,
    name: nameAttribute('signing key', [
      stringMatches(MANAGED_KEY_NAME, "lowercase letters, digits, '.', '_' or '-'"),
    ]),
    managed_key: {
      type: types.string,
      required: true,
      description:
        'Name of the `keyplane_managed_key` that signs (reference its `id` so it is created first). Changing it replaces the signing key.',
      planModifiers: [requiresReplace()],
    },
    allowed_managed_keys: {
      type: types.set(types.string),
      optional: true,
      computed: true,
      default: [],
      description:
        'Managed keys this signing key may use without their `any_mount` (Vault: the mount’s `allowed_managed_keys`). Changing it replaces the signing key.',
      planModifiers: [requiresReplace()],
    },
    rotate_trigger: {
      type: types.string,
      optional: true,
      description:
        'Any change pins the managed key’s current backend version as a new version (nothing new when the backend key did not change).',
    },
    latest_version: {
      type: types.number,
      computed: true,
      description: 'Latest version number.',
    },
    versions: {
      type: types.map(versionType),
      computed: true,
      description:
        'Version number → the backend key it pins: `backend_version`, `backend_key_id`, `public_key_sha256` (hex SHA-256 of the SPKI DER), `created_at`.',
    },
    created_at: {
      type: types.string,
      computed: true,
      description: 'When the signing key was created (RFC 3339).',
      planModifiers: [useStateForUnknown()],
    },
  },
};

function toState(record: SigningKeyRecord, rotateTrigger: string | null): CtyObject {
  return objectValue([
    ['id', record.name],
    ['name', record.name],
    ['managed_key', record.managed_key],
    ['allowed_managed_keys', [...record.allowed_managed_keys].sort()],
    ['rotate_trigger', rotateTrigger],
    ['latest_version', CtyNumber.of(record.latest_version)],
    [
      'versions',
      objectValue(
        Object.entries(record.versions).map(([n, v]) => [
          n,
          objectValue([
            ['backend_version', v.backend_version],
            ['backend_key_id', v.backend_key_id],
            ['public_key_sha256', v.public_key_sha256],
            ['created_at', rfc3339(v.created_at)],
          ]),
        ]),
      ),
    ],
    ['created_at', rfc3339(record.created_at)],
  ]);
}

export const signingKeyResource = {
  typeName: 'keyplane_signing_key',
  schema,

  modifyPlan(req, resp) {
    const state = req.state;
    if (state === undefined) return Promise.resolve();
    const trigger = schema.attributes.rotate_trigger;
    const rotating =
      trigger !== undefined &&
      !valuesEqual(resp.plan.rotate_trigger ?? null, state.rotate_trigger ?? null, trigger.type);
    // Only a rotation changes the versions; anything else keeps them as they are.
    resp.plan = withValues(
      resp.plan,
      rotating
        ? { latest_version: UNKNOWN, versions: UNKNOWN }
        : { latest_version: state.latest_version ?? null, versions: state.versions ?? null },
    );
    return Promise.resolve();
  },

  async create(req, resp) {
    const ctx = contextOf(req.ctx, resp.diagnostics);
    const name = str(req.plan.name);
    const managedKey = str(req.plan.managed_key);
    if (ctx === undefined || name === undefined || managedKey === undefined) return;
    checkpoint(req.signal);
    const record = await attempt(
      resp.diagnostics,
      'Cannot create the signing key',
      attributeOf,
      () =>
        ctx.signingKeys.create(name, {
          managed_key: managedKey,
          allowed_managed_keys: strings(req.plan.allowed_managed_keys) ?? [],
        }),
    );
    if (record !== undefined) resp.state = toState(record, str(req.plan.rotate_trigger) ?? null);
  },

  async read(req, resp) {
    const ctx = contextOf(req.ctx, resp.diagnostics);
    const name = str(req.state.name);
    if (ctx === undefined || name === undefined) return;
    await readOrGone(resp, async () =>
      toState(await ctx.signingKeys.get(name), str(req.state.rotate_trigger) ?? null),
    );
  },

  async update(req, resp) {
    const ctx = contextOf(req.ctx, resp.diagnostics);
    const name = str(req.plan.name);
    if (ctx === undefined || name === undefined) return;
    checkpoint(req.signal);
    const trigger = str(req.plan.rotate_trigger) ?? null;
    const rotate = trigger !== (str(req.state.rotate_trigger) ?? null);
    const record = await attempt(
      resp.diagnostics,
      'Cannot rotate the signing key',
      attributeOf,
      () => (rotate ? ctx.signingKeys.rotate(name) : ctx.signingKeys.get(name)),
    );
    if (record !== undefined) resp.state = toState(record, trigger);
  },

  async delete(req, resp) {
    await deleteByName(req, resp, 'Cannot delete the signing key', attributeOf, (ctx, name) =>
      ctx.signingKeys.delete(name),
    );
  },

  async importState(req, resp) {
    await importByName(req, resp, { rotate_trigger: 'string' }, attributeOf, (ctx, name) =>
      ctx.signingKeys.get(name),
    );
  },
} satisfies ResourceWithImport<ProviderContext> & ResourceWithModifyPlan<ProviderContext>;
