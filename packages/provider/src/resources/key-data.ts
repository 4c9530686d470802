/**
 * Data source `keyplane_key`: a central key's public metadata by name (type, versions with
 * public key and fingerprint, latest version, rotation due) — for configurations that use a
 * key another configuration manages. Never any key material.
 *
 * @module
 */
import type { DataSource } from '../framework/data-source';
import { CtyNumber } from '../protocol/cty/number';
import { types } from '../protocol/cty/types';
import type { ProviderContext } from '../provider/context';
import { attempt, contextOf, str, withValues } from './common';
import { keyVersionType, versionsValue } from './key';

export const keyDataSource: DataSource<ProviderContext> = {
  typeName: 'keyplane_key',
  schema: {
    description: 'A central key’s public metadata (versions with public keys and fingerprints).',
    attributes: {
      name: { type: types.string, required: true, description: 'Name of the key.' },
      type: { type: types.string, computed: true, description: 'Key type.' },
      latest_version: { type: types.number, computed: true, description: 'Latest version.' },
      min_enabled_version: {
        type: types.number,
        computed: true,
        description: 'Lowest enabled version.',
      },
      rotation_due: {
        type: types.bool,
        computed: true,
        description: 'Whether its rotation_period has elapsed.',
      },
      versions: {
        type: types.map(keyVersionType),
        computed: true,
        description: 'Version → `created_at`, `public_key_pem`, `fingerprint`, `state`.',
      },
    },
  },
  async read(req, resp) {
    const ctx = contextOf(req.ctx, resp.diagnostics);
    const name = str(req.config.name);
    if (ctx === undefined || name === undefined) return;
    const view = await attempt(
      resp.diagnostics,
      'Cannot read the key',
      () => 'name',
      () => ctx.keys.read(name),
    );
    if (view === undefined) return;
    resp.state = withValues(resp.state, {
      type: view.type,
      latest_version: CtyNumber.of(view.latest_version),
      min_enabled_version: CtyNumber.of(view.min_enabled_version),
      rotation_due: view.rotation_due,
      versions: versionsValue(view),
    });
  },
};
