/**
 * `keyplane managed-key create|update|read|list|delete|test-sign` — Vault's `/sys/managed-keys`
 * API (https://developer.hashicorp.com/vault/api-docs/system/managed-keys) as commands.
 * Parameters are Vault's, given as `name=value`.
 *
 * @module
 */
import { BACKEND_TYPES } from '@keyplane/engine';
import { UsageError, type CommandSpec, type OptionSpec } from '../command';
import {
  keyValueTable,
  publicKeyBlocks,
  REGISTRY_HELP,
  withManagedKeys,
  NAMESPACE_OPTION,
  HASH_OPTION,
  JSON_OPTION,
  PSS_OPTION,
} from '../managed-context';
import { printResult } from '../output';
import { parameterHelp } from '../parameter-help';

const TYPE_FILTER: OptionSpec = {
  name: 'type',
  type: 'string',
  valueName: 'type',
  choices: BACKEND_TYPES,
  description: 'Only if the key is of this backend type.',
};

export const managedKeyCreate: CommandSpec = {
  path: ['managed-key', 'create'],
  positionals: [
    { name: 'type', description: `Backend: ${BACKEND_TYPES.join(', ')}.`, required: true },
    { name: 'name', description: 'Lowercase name, unique across all types.', required: true },
  ],
  parameters:
    "Vault's /sys/managed-keys parameters (listed below); value @file or - (stdin, one parameter) for secrets.",
  details: [
    'Example (Azure Key Vault):',
    '  keyplane managed-key create azurekeyvault azure-managed-key allow_generate_key=true \\',
    '    any_mount=true usages=sign,verify tenant_id=<tenant> client_id=<app> client_secret=@secret.txt \\',
    '    vault_name=hc-vault-managed-keys key_name=vault-managed-key key_bits=4096 key_type=RSA-HSM',
    'Example (PKCS#11):',
    '  keyplane managed-key create pkcs11 hsm-key1 library=/usr/lib/softhsm/libsofthsm2.so \\',
    '    token_label=keyplane-dev pin=- key_label=hsm-key1 mechanism=0x1041 curve=P256 allow_generate_key=true',
    REGISTRY_HELP,
  ].join('\n'),
  options: [NAMESPACE_OPTION, JSON_OPTION],
  helpFor: ([type]) => parameterHelp(type),
  run: async (ctx) => {
    const [type = '', name = ''] = ctx.positionals;
    const view = await withManagedKeys(ctx, (keys) => keys.create(type, name, ctx.params));
    await printResult(ctx, view, `Success! Managed key ${name} (${type}) created.`);
  },
};

export const managedKeyUpdate: CommandSpec = {
  path: ['managed-key', 'update'],
  positionals: [{ name: 'name', description: 'Managed key name.', required: true }],
  parameters: 'Parameters to change; value @file or - (stdin, one parameter) for secrets.',
  options: [NAMESPACE_OPTION, TYPE_FILTER, JSON_OPTION],
  run: async (ctx) => {
    const [name = ''] = ctx.positionals;
    const type = ctx.values.type as string | undefined;
    // Nothing to change is a mistake (a forgotten argument), not a silent success.
    if (Object.keys(ctx.params).length === 0) {
      throw new UsageError(
        `managed-key update needs at least one name=value parameter to change (see 'keyplane managed-key read ${name}')`,
        'parameters',
      );
    }
    const view = await withManagedKeys(ctx, (keys) => keys.update(name, ctx.params, type));
    await printResult(ctx, view, `Success! Managed key ${name} updated.`);
  },
};

export const managedKeyRead: CommandSpec = {
  path: ['managed-key', 'read'],
  positionals: [{ name: 'name', description: 'Managed key name.', required: true }],
  options: [NAMESPACE_OPTION, TYPE_FILTER, JSON_OPTION],
  run: async (ctx) => {
    const [name = ''] = ctx.positionals;
    const type = ctx.values.type as string | undefined;
    const { view, publicKeys } = await withManagedKeys(ctx, async (keys) => {
      const record = await keys.read(name, type);
      // The public key of every version, so signatures verify with openssl alone. The entry
      // is still shown when the backend cannot be reached (read is also for fixing that).
      const found = await keys.publicKeys(name, type).catch((e: unknown) => {
        ctx.stderr.write(
          `warning: public keys not shown: ${e instanceof Error ? e.message : String(e)}\n`,
        );
        return [];
      });
      return { view: record, publicKeys: found };
    });
    const blocks = publicKeyBlocks(
      publicKeys.map((k) => ({ ...k, heading: `Public key of version ${k.version}` })),
    );
    await printResult(ctx, { ...view, public_keys: publicKeys }, keyValueTable(view) + blocks);
  },
};

export const managedKeyList: CommandSpec = {
  path: ['managed-key', 'list'],
  options: [NAMESPACE_OPTION, TYPE_FILTER, JSON_OPTION],
  run: async (ctx) => {
    const names = await withManagedKeys(ctx, (keys) =>
      keys.list(ctx.values.type as string | undefined),
    );
    await printResult(
      ctx,
      { keys: names },
      names.length === 0 ? 'No managed keys.' : names.join('\n'),
    );
  },
};

export const managedKeyDelete: CommandSpec = {
  path: ['managed-key', 'delete'],
  positionals: [{ name: 'name', description: 'Managed key name.', required: true }],
  options: [NAMESPACE_OPTION, TYPE_FILTER],
  run: async (ctx) => {
    const [name = ''] = ctx.positionals;
    await withManagedKeys(ctx, (keys) => keys.delete(name, ctx.values.type as string | undefined));
    await printResult(ctx, {}, `Success! Managed key ${name} deleted.`);
  },
};

export const managedKeyTestSign: CommandSpec = {
  path: ['managed-key', 'test-sign'],
  positionals: [{ name: 'name', description: 'Managed key name.', required: true }],
  options: [NAMESPACE_OPTION, TYPE_FILTER, HASH_OPTION, PSS_OPTION, JSON_OPTION],
  run: async (ctx) => {
    const [name = ''] = ctx.positionals;
    const hash = ctx.values.hash as string | undefined;
    const result = await withManagedKeys(ctx, (keys) =>
      keys.testSign(
        name,
        {
          hash_algorithm: hash,
          ...(ctx.values.pss === true ? { use_pss: true } : {}),
        },
        ctx.values.type as string | undefined,
      ),
    );
    const generated = result.key_generated ? ' (key generated)' : '';
    await printResult(
      ctx,
      result,
      `Success! Managed key ${name} signed and verified with ${result.hash_algorithm ?? 'ed25519'}${result.use_pss ? '/pss' : ''}, key version ${result.key_version}${generated}.`,
    );
  },
};
