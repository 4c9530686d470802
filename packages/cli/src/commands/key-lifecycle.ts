/**
 * `keyplane key create|read|list|rotate [--due]|update|delete` — Vault KMSE's `keymgmt/key/*`
 * paths as commands (central keys, generated and sealed by Keyplane, or generated in an HSM).
 *
 * @module
 */
import { KEY_TYPE_NAMES, type KeyView } from '@keyplane/engine';
import { UsageError, type CommandSpec } from '../command';
import { JSON_OPTION, NAMESPACE_OPTION, REGISTRY_HELP, keyValueTable } from '../managed-context';
import { printResult } from '../output';
import {
  POLICY_OPTION,
  booleanParam,
  checkParams,
  integerParam,
  withLifecycle,
} from './kms-context';

const KEY_NAME = { name: 'name', description: 'Central key name.', required: true };
const OPTIONS = [NAMESPACE_OPTION, POLICY_OPTION, JSON_OPTION];
const UPDATABLE = ['min_enabled_version', 'deletion_allowed', 'rotation_period'];

function keyTable(view: KeyView): string {
  const { versions, distributions, ...rest } = view;
  const lines = Object.values(versions).map(
    (v) =>
      `  ${String(v.version)}: ${v.state} created ${v.created_at}${v.fingerprint === '' ? '' : ` ${v.fingerprint}`}`,
  );
  return `${keyValueTable({ ...rest, distributions })}\nversions:\n${lines.join('\n')}`;
}

function updateInput(params: Readonly<Record<string, string>>) {
  return {
    min_enabled_version: integerParam(params, 'min_enabled_version'),
    deletion_allowed: booleanParam(params, 'deletion_allowed'),
    rotation_period: params.rotation_period,
  };
}

export const keyCreate: CommandSpec = {
  path: ['key', 'create'],
  positionals: [KEY_NAME],
  parameters: `type=<${KEY_TYPE_NAMES.join('|')}> [origin=<software|hsm:KMS>] [${UPDATABLE.join(' ')}]`,
  details: [
    'Example (seed 000): keyplane key create azure-kv-key-rsa-4096 type=rsa-4096',
    'origin=hsm:KMS generates the key inside the token of pkcs11 KMS connection KMS (it leaves',
    'the token only wrapped for a cloud); the default, software, seals it in the key store.',
    REGISTRY_HELP,
  ].join('\n'),
  options: OPTIONS,
  run: async (ctx) => {
    const [name = ''] = ctx.positionals;
    checkParams(ctx.params, ['type', 'origin', ...UPDATABLE]);
    const view = await withLifecycle(ctx, (l) =>
      l.keys.create(name, {
        type: ctx.params.type ?? '',
        origin: ctx.params.origin,
        ...updateInput(ctx.params),
      }),
    );
    await printResult(ctx, view, `Success! Data written to: keymgmt/key/${name}`);
  },
};

export const keyRead: CommandSpec = {
  path: ['key', 'read'],
  positionals: [KEY_NAME],
  options: OPTIONS,
  run: async (ctx) => {
    const [name = ''] = ctx.positionals;
    const view = await withLifecycle(ctx, (l) => l.keys.read(name));
    await printResult(ctx, view, keyTable(view));
  },
};

export const keyList: CommandSpec = {
  path: ['key', 'list'],
  options: OPTIONS,
  run: async (ctx) => {
    const names = await withLifecycle(ctx, (l) => l.keys.list());
    await printResult(ctx, { keys: names }, names.length === 0 ? 'No keys.' : names.join('\n'));
  },
};

export const keyRotate: CommandSpec = {
  path: ['key', 'rotate'],
  positionals: [{ name: 'name', description: 'Central key name (omit with --due).' }],
  options: [
    {
      name: 'due',
      type: 'boolean',
      description: 'Rotate every key whose rotation_period has elapsed (idempotent).',
    },
    ...OPTIONS,
  ],
  run: async (ctx) => {
    const [name] = ctx.positionals;
    if (ctx.values.due === true) {
      if (name !== undefined) throw new UsageError('give a key name or --due, not both', '--due');
      const result = await withLifecycle(ctx, (l) => l.keys.rotateDue());
      const lines = result.rotated.map(
        (r) => `${r.name}: version ${String(r.version)} (due since ${r.due_at})`,
      );
      await printResult(ctx, result, lines.length === 0 ? 'No keys due.' : lines.join('\n'));
      return;
    }
    if (name === undefined)
      throw new UsageError('missing required argument <name> (or --due)', '<name>');
    const view = await withLifecycle(ctx, (l) => l.keys.rotate(name));
    await printResult(
      ctx,
      view,
      `Success! Data written to: keymgmt/key/${name}/rotate (latest_version ${String(view.latest_version)})`,
    );
  },
};

export const keyUpdate: CommandSpec = {
  path: ['key', 'update'],
  positionals: [KEY_NAME],
  parameters: UPDATABLE.join(', '),
  options: OPTIONS,
  run: async (ctx) => {
    const [name = ''] = ctx.positionals;
    checkParams(ctx.params, UPDATABLE);
    const view = await withLifecycle(ctx, (l) => l.keys.update(name, updateInput(ctx.params)));
    await printResult(ctx, view, `Success! Data written to: keymgmt/key/${name}`);
  },
};

export const keyDelete: CommandSpec = {
  path: ['key', 'delete'],
  positionals: [KEY_NAME],
  options: OPTIONS,
  run: async (ctx) => {
    const [name = ''] = ctx.positionals;
    await withLifecycle(ctx, (l) => l.keys.delete(name));
    await printResult(ctx, {}, `Success! Data deleted (if it existed) at: keymgmt/key/${name}`);
  },
};

export const keyReconcile: CommandSpec = {
  path: ['key', 'reconcile'],
  positionals: [KEY_NAME],
  details:
    'Compares the store with every KMS holding the key: versions disabled, deleted or missing there, and foreign versions added out of band. --repair re-enables and re-imports what Keyplane owns; foreign and deleted versions are only reported.',
  options: [
    { name: 'repair', type: 'boolean', description: 'Fix the drift Keyplane owns.' },
    ...OPTIONS,
  ],
  run: async (ctx) => {
    const [name = ''] = ctx.positionals;
    const report = await withLifecycle(ctx, (l) =>
      l.keys.reconcile(name, { repair: ctx.values.repair === true }),
    );
    const lines = report.drift.map(
      (d) =>
        `${d.kms}: ${d.kind}${d.version === undefined ? '' : ` v${String(d.version)}`}${d.cloud_version === undefined ? '' : ` (${d.cloud_version})`}${d.repaired ? ' — repaired' : ''}`,
    );
    await printResult(ctx, report, report.in_sync ? `Key ${name} is in sync.` : lines.join('\n'));
  },
};
