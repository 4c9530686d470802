/**
 * `keyplane signing-key create|read|list|delete|rotate` — named signing keys over managed keys
 * (Vault Transit's `transit/keys/<name> type=managed_key managed_key_name=…`,
 * https://developer.hashicorp.com/vault/docs/secrets/transit#managed-keys). A signing key may use
 * a managed key with `any_mount=true`, or one listed in its `--allow`.
 *
 * @module
 */
import { CryptoClient, SigningKeys, publicKeyFingerprint } from '@keyplane/engine';
import type { CommandContext, CommandSpec } from '../command';
import {
  keyValueTable,
  publicKeyBlocks,
  NAMESPACE_OPTION,
  REGISTRY_HELP,
  withManagedKeys,
  JSON_OPTION,
} from '../managed-context';
import { printResult } from '../output';

const NAME = { name: 'name', description: 'Signing key name.', required: true } as const;

export const signingKeyCreate: CommandSpec = {
  path: ['signing-key', 'create'],
  positionals: [NAME],
  details: [
    'Example:',
    '  keyplane signing-key create signer-azure-key --managed-key azure-managed-key',
    REGISTRY_HELP,
  ].join('\n'),
  options: [
    NAMESPACE_OPTION,
    {
      name: 'managed-key',
      type: 'string',
      required: true,
      valueName: 'name',
      description: 'Managed key that signs.',
    },
    {
      name: 'allow',
      type: 'string',
      valueName: 'names',
      description:
        'Comma-separated allowed_managed_keys (needed unless the managed key has any_mount=true).',
    },
    JSON_OPTION,
  ],
  run: async (ctx) => {
    const [name = ''] = ctx.positionals;
    const allow =
      typeof ctx.values.allow === 'string'
        ? ctx.values.allow
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean)
        : [];
    const record = await withManagedKeys(ctx, (keys) =>
      new SigningKeys(keys).create(name, {
        managed_key: String(ctx.values['managed-key']),
        allowed_managed_keys: allow,
      }),
    );
    await printResult(
      ctx,
      record,
      `Success! Signing key ${name} created (v1 → ${record.managed_key}).`,
    );
  },
};

export const signingKeyRead: CommandSpec = {
  path: ['signing-key', 'read'],
  positionals: [NAME],
  options: [NAMESPACE_OPTION, JSON_OPTION],
  run: async (ctx) => {
    const [name = ''] = ctx.positionals;
    const record = await withManagedKeys(ctx, (keys) => new SigningKeys(keys).get(name));
    const versions = Object.entries(record.versions).map(
      ([v, info]) => `v${v}=${info.backend_version}`,
    );
    // Recorded when each version was pinned: shown without contacting the backend.
    const withFingerprints = Object.fromEntries(
      Object.entries(record.versions).map(([v, info]) => [
        v,
        info.public_key_pem === undefined
          ? info
          : { ...info, fingerprint: publicKeyFingerprint(info.public_key_pem) },
      ]),
    );
    const blocks = publicKeyBlocks(
      Object.entries(withFingerprints).map(([v, info]) => ({
        ...info,
        heading: `Public key of v${v}`,
      })),
    );
    await printResult(
      ctx,
      { ...record, versions: withFingerprints },
      keyValueTable({
        name: record.name,
        type: 'managed_key',
        managed_key_name: record.managed_key,
        allowed_managed_keys: record.allowed_managed_keys,
        latest_version: record.latest_version,
        versions,
      }) + blocks,
    );
  },
};

export const signingKeyList: CommandSpec = {
  path: ['signing-key', 'list'],
  options: [NAMESPACE_OPTION, JSON_OPTION],
  run: async (ctx) => {
    const names = await withManagedKeys(ctx, (keys) => new SigningKeys(keys).list());
    await printResult(
      ctx,
      { keys: names },
      names.length === 0 ? 'No signing keys.' : names.join('\n'),
    );
  },
};

export const signingKeyRotate: CommandSpec = {
  path: ['signing-key', 'rotate'],
  positionals: [NAME],
  options: [NAMESPACE_OPTION, JSON_OPTION],
  run: async (ctx) => {
    const [name = ''] = ctx.positionals;
    const record = await withManagedKeys(ctx, (keys) => new SigningKeys(keys).rotate(name));
    await printResult(ctx, record, `Signing key ${name} is at v${String(record.latest_version)}.`);
  },
};

export const signingKeyDelete: CommandSpec = {
  path: ['signing-key', 'delete'],
  positionals: [NAME],
  options: [NAMESPACE_OPTION],
  run: async (ctx) => {
    const [name = ''] = ctx.positionals;
    await withManagedKeys(ctx, (keys) => new SigningKeys(keys).delete(name));
    await printResult(ctx, {}, `Success! Signing key ${name} deleted.`);
  },
};

/** Used by sign/verify: a CryptoClient for the signing key, closed with the registry. */
export function withCryptoClient<T>(
  ctx: Pick<CommandContext, 'values' | 'stderr'>,
  key: string,
  fn: (client: CryptoClient) => Promise<T>,
): Promise<T> {
  return withManagedKeys(ctx, (keys) => fn(new CryptoClient(keys, key)));
}
