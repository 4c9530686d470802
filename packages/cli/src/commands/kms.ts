/**
 * `keyplane kms create|read|list|update|delete|distribute|distributions|read-key|undistribute` —
 * Vault KMSE's `keymgmt/kms/*` paths as commands, `name=value` parameters as in seed 000
 * (`credentials=client_id=…` repeatable; `credentials=client_secret=@file` or `-` for stdin).
 *
 * @module
 */
import type { CommandSpec } from '../command';
import { JSON_OPTION, NAMESPACE_OPTION, REGISTRY_HELP, keyValueTable } from '../managed-context';
import { printResult } from '../output';
import {
  KMS_PARAMS,
  POLICY_OPTION,
  checkParams,
  connectionInput,
  withLifecycle,
} from './kms-context';

const KMS_NAME = { name: 'name', description: 'KMS connection name.', required: true };
const KEY_NAME = { name: 'key', description: 'Central key name.', required: true };
const OPTIONS = [NAMESPACE_OPTION, POLICY_OPTION, JSON_OPTION];

export const kmsCreate: CommandSpec = {
  path: ['kms', 'create'],
  positionals: [KMS_NAME],
  parameters: `${KMS_PARAMS.join(', ')}; credentials=<key>=<value> repeatable.`,
  mapParameters: ['credentials'],
  details: [
    'Example (seed 000, Azure):',
    '  keyplane kms create azure-kms-kv-2 provider=azurekeyvault key_collection=hc-vault-managed-keys-2 \\',
    '    credentials=client_id=<app> credentials=client_secret=@secret.txt credentials=tenant_id=<tenant>',
    'key_collection: AWS region, Azure vault / Managed HSM name, GCP key ring id, PKCS#11 token label.',
    REGISTRY_HELP,
  ].join('\n'),
  options: OPTIONS,
  run: async (ctx) => {
    const [name = ''] = ctx.positionals;
    const view = await withLifecycle(ctx, (l) => l.kms.create(name, connectionInput(ctx.params)));
    await printResult(ctx, view, `Success! Data written to: keymgmt/kms/${name}`);
  },
};

export const kmsUpdate: CommandSpec = {
  path: ['kms', 'update'],
  positionals: [KMS_NAME],
  parameters:
    'Options to change (provider and key_collection are immutable); credentials replace the stored ones.',
  mapParameters: ['credentials'],
  options: OPTIONS,
  run: async (ctx) => {
    const [name = ''] = ctx.positionals;
    const view = await withLifecycle(ctx, (l) => l.kms.update(name, connectionInput(ctx.params)));
    await printResult(ctx, view, `Success! Data written to: keymgmt/kms/${name}`);
  },
};

export const kmsRead: CommandSpec = {
  path: ['kms', 'read'],
  positionals: [KMS_NAME],
  options: OPTIONS,
  run: async (ctx) => {
    const [name = ''] = ctx.positionals;
    const view = await withLifecycle(ctx, (l) => l.kms.read(name));
    const { options, ...rest } = view;
    await printResult(ctx, view, keyValueTable({ ...rest, ...options }));
  },
};

export const kmsList: CommandSpec = {
  path: ['kms', 'list'],
  options: OPTIONS,
  run: async (ctx) => {
    const names = await withLifecycle(ctx, (l) => l.kms.list());
    await printResult(
      ctx,
      { keys: names },
      names.length === 0 ? 'No KMS connections.' : names.join('\n'),
    );
  },
};

export const kmsDelete: CommandSpec = {
  path: ['kms', 'delete'],
  positionals: [KMS_NAME],
  options: OPTIONS,
  run: async (ctx) => {
    const [name = ''] = ctx.positionals;
    await withLifecycle(ctx, (l) => l.kms.delete(name));
    await printResult(ctx, {}, `Success! Data deleted (if it existed) at: keymgmt/kms/${name}`);
  },
};

export const kmsDistribute: CommandSpec = {
  path: ['kms', 'distribute'],
  positionals: [KMS_NAME, KEY_NAME],
  parameters:
    'purpose=<encrypt,decrypt,sign,verify,wrap,unwrap> protection=<hsm|software> (default hsm).',
  details:
    'Imports every enabled version of the key into the KMS (BYOK), after checking the compatibility table.',
  options: OPTIONS,
  run: async (ctx) => {
    const [kms = '', key = ''] = ctx.positionals;
    checkParams(ctx.params, ['purpose', 'protection']);
    const view = await withLifecycle(ctx, (l) =>
      l.keys.distributions.distribute(kms, key, {
        purpose: ctx.params.purpose ?? '',
        protection: ctx.params.protection,
      }),
    );
    await printResult(ctx, view, `Success! Data written to: keymgmt/kms/${kms}/key/${key}`);
  },
};

export const kmsDistributions: CommandSpec = {
  path: ['kms', 'distributions'],
  positionals: [KMS_NAME],
  options: OPTIONS,
  run: async (ctx) => {
    const [kms = ''] = ctx.positionals;
    const keys = await withLifecycle(ctx, (l) => l.keys.distributions.keysIn(kms));
    await printResult(ctx, { keys }, keys.length === 0 ? 'No keys.' : keys.join('\n'));
  },
};

export const kmsReadKey: CommandSpec = {
  path: ['kms', 'read-key'],
  positionals: [KMS_NAME, KEY_NAME],
  options: OPTIONS,
  run: async (ctx) => {
    const [kms = '', key = ''] = ctx.positionals;
    const view = await withLifecycle(ctx, (l) => l.keys.distributions.read(kms, key));
    const versions = Object.entries(view.versions).map(
      ([v, d]) => `  ${v}: ${d.cloud_id} (${d.state})`,
    );
    const rest = Object.fromEntries(Object.entries(view).filter(([k]) => k !== 'versions'));
    await printResult(ctx, view, `${keyValueTable(rest)}\nversions:\n${versions.join('\n')}`);
  },
};

export const kmsUndistribute: CommandSpec = {
  path: ['kms', 'undistribute'],
  positionals: [KMS_NAME, KEY_NAME],
  details:
    'Deletes (or schedules deletion of) the key in that KMS by its rules; the key stays central.',
  options: OPTIONS,
  run: async (ctx) => {
    const [kms = '', key = ''] = ctx.positionals;
    await withLifecycle(ctx, (l) => l.keys.distributions.undistribute(kms, key));
    await printResult(
      ctx,
      {},
      `Success! Data deleted (if it existed) at: keymgmt/kms/${kms}/key/${key}`,
    );
  },
};
