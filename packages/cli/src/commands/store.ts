/**
 * `keyplane store init|status|rewrap|import-registry` — the sealed key store. `init` creates the
 * store and its data key under a seal; `status` shows schema, seal and counts (never secrets,
 * and without needing the seal); `rewrap` moves the data key to another seal atomically;
 * `import-registry` converts a pre-store registry.json once.
 *
 * @module
 */
import {
  AlreadyExistsError,
  importRegistry,
  isKeyplaneError,
  openSeal,
  openStore,
  PassphraseSeal,
  PASSPHRASE_SEAL_WARNING,
  resolveNamespace,
  SEAL_TYPES,
  sealConfigFromEnv,
  storeUrlFromEnv,
  type Seal,
  type SealConfig,
  type SealType,
} from '@keyplane/engine';
import { ENV_VARIABLES, envName, readEnv } from '@keyplane/engine/env';
import type { CommandContext, CommandSpec, OptionSpec } from '../command';
import {
  JSON_OPTION,
  keyValueTable,
  NAMESPACE_OPTION,
  REGISTRY_HELP,
  withStore,
} from '../managed-context';
import { printResult } from '../output';

const SEAL_OPTION: OptionSpec = {
  name: 'seal',
  type: 'string',
  valueName: 'type',
  choices: SEAL_TYPES,
  description: `Seal type; its parameters follow as name=value (default: ${ENV_VARIABLES.seal.name}).`,
};

const SEAL_PARAMS =
  'Seal parameters (managed-key names: library, token_label, pin, key_label, kms_key, …); @file or - (stdin) for secrets.';

const SEAL_HELP = [
  `Seals: passphrase (development only; ${ENV_VARIABLES.sealPassphrase.name}), pkcs11 (library, token_label|slot, pin, key_label),`,
  'awskms (kms_key, region, endpoint, access_key, secret_key), azurekeyvault (key_name, vault_name|endpoint, tenant_id,',
  'client_id, client_secret, ca_file), gcpckms (key_ring, crypto_key, project, region, endpoint, insecure, credentials).',
  `generate_key=true creates the seal key in the HSM / KMS. Afterwards set ${ENV_VARIABLES.seal.name} to the same JSON`,
  `(e.g. {"type":"pkcs11",…}); secrets may come from ${ENV_VARIABLES.sealParameter.name} (${envName(ENV_VARIABLES.sealParameter, 'pin')}).`,
  REGISTRY_HELP,
].join('\n');

/** The seal named on the command line, or the configured one. */
async function sealFromArgs(ctx: CommandContext): Promise<Seal> {
  const type = ctx.values.seal as SealType | undefined;
  const config: SealConfig | undefined =
    type === undefined ? sealConfigFromEnv() : { ...ctx.params, type };
  if (config === undefined)
    return PassphraseSeal.require(process.env, 'or pass --seal <type> to choose a seal');
  return await openSeal(config, { env: process.env });
}

function warn(ctx: CommandContext, seal: { warning?: string }): void {
  if (seal.warning !== undefined) ctx.stderr.write(`${seal.warning}\n`);
}

export const storeInit: CommandSpec = {
  path: ['store', 'init'],
  parameters: SEAL_PARAMS,
  details: [
    'Example:',
    '  keyplane store init --seal pkcs11 library=/usr/lib/softhsm/libsofthsm2.so \\',
    '    token_label=keyplane-dev pin=- key_label=keyplane-seal generate_key=true',
    SEAL_HELP,
  ].join('\n'),
  options: [SEAL_OPTION, JSON_OPTION],
  run: async (ctx) => {
    const url = storeUrlFromEnv();
    // Opening without a seal tells whether the store exists, without needing to unseal it.
    try {
      const existing = await openStore(url, { init: false });
      const status = await existing.status();
      await existing.close();
      throw new AlreadyExistsError(
        `the store at ${status.url} is already initialized (${status.sealType} seal); use 'keyplane store rewrap' to change its seal`,
        { field: 'store' },
      );
    } catch (e) {
      if (!(
        isKeyplaneError(e) &&
        e.code === 'ERR_STORE' &&
        (e as { reason?: string }).reason === 'not-initialized'
      ))
        throw e;
    }
    const seal = await sealFromArgs(ctx);
    try {
      const store = await openStore(url, { seal });
      const status = await store.status();
      await store.close();
      warn(ctx, seal);
      await printResult(
        ctx,
        status,
        `Success! Store ${status.url} initialized, sealed with ${seal.description}.`,
      );
    } finally {
      await seal.close();
    }
  },
};

export const storeStatus: CommandSpec = {
  path: ['store', 'status'],
  options: [JSON_OPTION],
  details: REGISTRY_HELP,
  run: async (ctx) => {
    const status = await withStore((store) => store.status(), { seal: false });
    const counts = Object.entries(status.counts)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(
        ([ns, kinds]) =>
          `${ns}: ${Object.entries(kinds)
            .map(([k, n]) => `${k}=${String(n)}`)
            .join(' ')}`,
      );
    if (status.sealType === 'passphrase') warn(ctx, { warning: PASSPHRASE_SEAL_WARNING });
    await printResult(
      ctx,
      status,
      keyValueTable({
        store: status.url,
        schema_version: status.schemaVersion,
        store_id: status.storeId,
        // The description starts with the seal type (`passphrase (scrypt)`, `pkcs11 key …`).
        seal: status.sealDescription,
        created_at: status.createdAt,
        audit_entries: status.auditEntries,
        records: counts,
      }),
    );
  },
};

export const storeRewrap: CommandSpec = {
  path: ['store', 'rewrap'],
  parameters: SEAL_PARAMS,
  details: [
    `The current seal comes from ${ENV_VARIABLES.seal.name} / ${ENV_VARIABLES.sealPassphrase.name}; the new one from --seal and its parameters.`,
    SEAL_HELP,
  ].join('\n'),
  options: [{ ...SEAL_OPTION, required: true }, JSON_OPTION],
  run: async (ctx) => {
    const next = await sealFromArgs(ctx);
    try {
      await withStore(async (store) => {
        await store.rewrap(next);
      });
    } finally {
      await next.close();
    }
    await printResult(
      ctx,
      { seal: next.type, description: next.description },
      `Success! The data key is now sealed by ${next.description}; set ${ENV_VARIABLES.seal.name} accordingly.`,
    );
  },
};

export const storeImportRegistry: CommandSpec = {
  path: ['store', 'import-registry'],
  positionals: [{ name: 'file', description: 'The registry.json to import.', required: true }],
  details: `The registry’s sealed secrets are opened with ${ENV_VARIABLES.registryPassphrase.name} (default: ${ENV_VARIABLES.sealPassphrase.name}) and re-sealed under the store’s data key.`,
  options: [NAMESPACE_OPTION, JSON_OPTION],
  run: async (ctx) => {
    const [file = ''] = ctx.positionals;
    const legacy =
      readEnv(ENV_VARIABLES.registryPassphrase) ?? readEnv(ENV_VARIABLES.sealPassphrase);
    const namespace = resolveNamespace(ctx.values.namespace as string | undefined);
    const result = await withStore(
      (store) =>
        importRegistry(
          store,
          file,
          namespace,
          legacy === undefined ? undefined : new PassphraseSeal(legacy),
        ),
      { stderr: ctx.stderr },
    );
    await printResult(
      ctx,
      result,
      `Success! Imported ${String(result.managed_keys.length)} managed key(s) and ${String(result.signing_keys.length)} signing key(s) into namespace ${result.namespace}.`,
    );
  },
};

export const STORE_COMMANDS: readonly CommandSpec[] = [
  storeInit,
  storeStatus,
  storeRewrap,
  storeImportRegistry,
];
