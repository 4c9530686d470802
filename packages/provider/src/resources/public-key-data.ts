/**
 * Data source `keyplane_public_key`: the public key (PEM + `sha256:` fingerprint of the SPKI
 * DER) of a managed key's current backend key, or of one version of a signing key — the key
 * exactly as that version pinned it (a replaced backend key is refused, not returned). Central
 * keys (`key` + `version`) join once the key lifecycle lands.
 *
 * Reference the resource's `id` (`managed_key = keyplane_managed_key.x.id`) so Terraform reads
 * this after the key exists.
 *
 * @module
 */
import type { KeyObject } from 'node:crypto';
import type { DataSource } from '../framework/data-source';
import { CtyNumber } from '../protocol/cty/number';
import { path } from '../protocol/cty/path';
import { types } from '../protocol/cty/types';
import type { CtyObject } from '../protocol/cty/values';
import type { ProviderContext } from '../provider/context';
import { engine } from '../provider/engine';
import { attempt, contextOf, isSet, num, str, withValues } from './common';

const SOURCES = ['managed_key', 'signing_key'] as const;

const attributeOf = (field: string): string | undefined =>
  field === 'key' ? 'signing_key' : field === 'name' ? undefined : field;

interface Found {
  readonly key: KeyObject;
  readonly backendVersion: string;
  readonly version: number | null;
}

async function managedKeyPublicKey(ctx: ProviderContext, name: string): Promise<Found> {
  const resolved = await ctx.managedKeys.resolve(name);
  const key = await resolved.backend.getPublicKey(resolved.key);
  return { key, backendVersion: resolved.key.version, version: null };
}

async function signingKeyPublicKey(
  ctx: ProviderContext,
  name: string,
  wanted: number | undefined,
): Promise<Found> {
  const { InvalidArgumentError } = engine();
  const signing = await ctx.signingKeys.get(name);
  const version = wanted ?? signing.latest_version;
  const pinned = signing.versions[String(version)];
  if (pinned === undefined) {
    throw new InvalidArgumentError(
      `signing key '${name}' has no version ${String(version)}; versions: ${Object.keys(signing.versions).join(', ')}`,
      { field: 'version' },
    );
  }
  const record = await ctx.managedKeys.record(signing.managed_key);
  const resolved = await ctx.managedKeys.resolveRecord(record, pinned.backend_version, pinned);
  const key = await resolved.backend.getPublicKey(resolved.key);
  return { key, backendVersion: pinned.backend_version, version };
}

export const publicKeyDataSource: DataSource<ProviderContext> = {
  typeName: 'keyplane_public_key',
  schema: {
    description:
      'The public key of a managed key, or of one version of a signing key, with its fingerprint. Public material only.',
    attributes: {
      managed_key: {
        type: types.string,
        optional: true,
        description:
          'Name of a managed key: its current backend key. One of `managed_key`, `signing_key`.',
      },
      signing_key: {
        type: types.string,
        optional: true,
        description: 'Name of a signing key: the backend key one of its versions pins.',
      },
      version: {
        type: types.number,
        optional: true,
        description: 'Version of `signing_key`. Default: its latest version.',
      },
      key_version: {
        type: types.number,
        computed: true,
        description: 'The signing key version read (null for `managed_key`).',
      },
      backend_version: {
        type: types.string,
        computed: true,
        description: 'Backend key version the public key belongs to.',
      },
      public_key_pem: {
        type: types.string,
        computed: true,
        description: 'SubjectPublicKeyInfo PEM.',
      },
      fingerprint: {
        type: types.string,
        computed: true,
        description: '`sha256:<hex>` of the SPKI DER (as `provider::keyplane::fingerprint`).',
      },
    },
  },

  validateConfig(config: CtyObject, diags) {
    const given = SOURCES.filter((s) => (config[s] ?? null) !== null);
    if (given.length !== 1) {
      diags.error(
        'Which public key?',
        `set exactly one of ${SOURCES.join(', ')}; got ${given.length === 0 ? 'none' : given.join(' and ')}`,
        path.root(given[1] ?? 'managed_key'),
      );
    }
    if ((config.version ?? null) !== null && (config.signing_key ?? null) === null)
      diags.error(
        'version needs signing_key',
        'version selects a version of signing_key',
        path.root('version'),
      );
  },

  async read(req, resp) {
    const ctx = contextOf(req.ctx, resp.diagnostics);
    if (ctx === undefined) return;
    const managed = str(req.config.managed_key);
    const signing = str(req.config.signing_key);
    const wanted = num(req.config.version);
    const found = await attempt(resp.diagnostics, 'Cannot read the public key', attributeOf, () =>
      managed !== undefined
        ? managedKeyPublicKey(ctx, managed)
        : signingKeyPublicKey(
            ctx,
            signing ?? '',
            wanted === undefined ? undefined : wanted.toNumber(),
          ),
    );
    if (found === undefined) return;
    const pem = found.key.export({ type: 'spki', format: 'pem' }).toString();
    resp.state = withValues(resp.state, {
      version: isSet(req.config.version) ? (req.config.version ?? null) : null,
      key_version: found.version === null ? null : CtyNumber.of(found.version),
      backend_version: found.backendVersion,
      public_key_pem: pem,
      fingerprint: engine().publicKeyFingerprint(found.key),
    });
  },
};
