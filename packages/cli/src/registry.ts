/**
 * Every `keyplane` command: one line each — its words, its one-line summary (top-level help
 * shows these without loading anything), and the module exporting its spec, required only when
 * the command runs. Adding a command = a command file + one line here.
 *
 * @module
 */
import type { CommandSpec } from './command';

/** One registry line: the command's words, its summary, and its module. */
export interface CommandEntry {
  readonly path: readonly string[];
  readonly summary: string;
  /** Requires the module that exports the command's spec (matched by `path`). */
  readonly load: () => unknown;
}

const command = (path: string, summary: string, load: () => unknown): CommandEntry => ({
  path: path.split(' '),
  summary,
  load,
});

/* eslint-disable @typescript-eslint/no-require-imports -- lazy on purpose: each command's own modules (engine, cloud SDKs, emulators) load only when it runs */
// prettier-ignore
export const COMMANDS: readonly CommandEntry[] = [
  command('key generate', 'Generate a key (software, node:crypto/OpenSSL) and write it to a new file (mode 0600).', () => require('./commands/key-generate')),
  command('kms create', 'Create a KMS connection (Vault keymgmt/kms): provider, key_collection, credentials=<k>=<v> (sealed).', () => require('./commands/kms')),
  command('kms read', 'Show a KMS connection (credential names only).', () => require('./commands/kms')),
  command('kms list', 'List KMS connections.', () => require('./commands/kms')),
  command('kms update', 'Change a KMS connection’s options or credentials (provider, key_collection immutable).', () => require('./commands/kms')),
  command('kms delete', 'Delete a KMS connection; refused while keys are distributed to it.', () => require('./commands/kms')),
  command('kms distribute', 'Distribute a central key to a KMS by BYOK import of every enabled version.', () => require('./commands/kms')),
  command('kms distributions', 'List the keys distributed to a KMS.', () => require('./commands/kms')),
  command('kms read-key', 'Show one key’s distribution: purpose, protection, cloud key name and versions.', () => require('./commands/kms')),
  command('kms undistribute', 'Remove a key from a KMS (deletion per the cloud’s rules); the key stays central.', () => require('./commands/kms')),
  command('key create', 'Create a central key (Vault keymgmt/key): type, rotation_period, deletion_allowed.', () => require('./commands/key-lifecycle')),
  command('key read', 'Show a central key: versions with public key fingerprints, state, rotation_due.', () => require('./commands/key-lifecycle')),
  command('key list', 'List central keys.', () => require('./commands/key-lifecycle')),
  command('key rotate', 'Add a version to a central key and push it to every KMS it is distributed to (--due: all due keys).', () => require('./commands/key-lifecycle')),
  command('key update', 'Change min_enabled_version, deletion_allowed or rotation_period (applied in every KMS).', () => require('./commands/key-lifecycle')),
  command('key delete', 'Delete a central key (needs deletion_allowed=true and no distributions).', () => require('./commands/key-lifecycle')),
  command('key reconcile', 'Report drift between the store and every KMS holding a key (disabled, deleted, missing, foreign versions); --repair fixes what Keyplane owns.', () => require('./commands/key-lifecycle')),
  command('byok wrap', 'Wrap a key for BYOK import into AWS KMS, Azure Key Vault / Managed HSM or GCP Cloud KMS.', () => require('./commands/byok-wrap')),
  command('dev up', 'Start the local clouds (AWS KMS, Azure Key Vault, GCP KMS emulators + SoftHSM2) on 127.0.0.1.', () => require('./commands/dev')),
  command('dev status', 'Show whether the local clouds are running and answering.', () => require('./commands/dev')),
  command('dev env', 'Print \'export …\' lines for the running local clouds (use: eval "$(keyplane dev env)").', () => require('./commands/dev')),
  command('dev down', 'Stop the local clouds started with keyplane dev up.', () => require('./commands/dev')),
  command('managed-key create', 'Register a managed key (a key living in a KMS/HSM) with its backend parameters.', () => require('./commands/managed-key')),
  command('managed-key update', 'Change parameters of a managed key (given ones replace, the others are kept).', () => require('./commands/managed-key')),
  command('managed-key read', 'Show a managed key’s configuration (secrets shown as "redacted").', () => require('./commands/managed-key')),
  command('managed-key list', 'List managed key names (optionally of one backend type).', () => require('./commands/managed-key')),
  command('managed-key delete', 'Delete a managed key entry (the key in the KMS/HSM is left alone); refused while a signing key uses it.', () => require('./commands/managed-key')),
  command('managed-key test-sign', 'Sign random data with the managed key and verify it; generates the key first when allowed and missing.', () => require('./commands/managed-key')),
  command('signing-key create', 'Create a named signing key backed by a managed key (resolves or generates it now).', () => require('./commands/signing-key')),
  command('signing-key read', 'Show a signing key: its managed key, allowed_managed_keys and versions.', () => require('./commands/signing-key')),
  command('signing-key list', 'List signing keys.', () => require('./commands/signing-key')),
  command('signing-key rotate', 'Add a version pinned to the managed key’s current backend version (after the key was replaced).', () => require('./commands/signing-key')),
  command('signing-key delete', 'Delete a signing key (its managed key stays).', () => require('./commands/signing-key')),
  command('policy check', 'Validate a key policy document; evaluate intents against it (--intent) or show a namespace’s rules.', () => require('./commands/policy-check')),
  command('sign', 'Sign a file (or stdin) with a signing key; prints keyplane:v<N>:<base64>.', () => require('./commands/sign-verify')),
  command('provider install', 'Install terraform-provider-keyplane into a local filesystem mirror so `terraform init` works offline.', () => require('./commands/provider-install')),
  command('verify', 'Verify a keyplane:v<N>: (or vault:v<N>:) signature of a file (or stdin); exit 1 when invalid.', () => require('./commands/sign-verify')),
  command('store init', 'Create the key store and its data key, sealed by the chosen seal.', () => require('./commands/store')),
  command('store status', 'Show the store: schema version, seal, record counts per namespace (no secrets; no seal needed).', () => require('./commands/store')),
  command('store rewrap', 'Move the data key to another seal (e.g. passphrase → pkcs11) atomically; records stay as they are.', () => require('./commands/store')),
  command('store import-registry', 'Convert a pre-store registry.json (managed keys, signing keys) into the store, once.', () => require('./commands/store')),
  command('audit verify', 'Check the audit hash chain; names the first broken entry (exit 1 when broken).', () => require('./commands/audit')),
  command('audit tail', 'Print the last audit entries (one line each, or JSON lines); --follow keeps printing.', () => require('./commands/audit')),
];
/* eslint-enable @typescript-eslint/no-require-imports */

/** The spec the entry's module exports for the entry's path. */
export function specOf(entry: CommandEntry): CommandSpec {
  const exported = Object.values(entry.load() as Record<string, unknown>);
  const same = (p: unknown): boolean =>
    Array.isArray(p) && p.length === entry.path.length && p.every((w, i) => w === entry.path[i]);
  const spec = exported.find((v) => same((v as Partial<CommandSpec> | undefined)?.path));
  if (spec === undefined) throw new Error(`no command spec for '${entry.path.join(' ')}'`);
  return spec as CommandSpec;
}
