/**
 * The provider block, parsed and checked into a {@link ProviderConfig}. Every problem is a
 * diagnostic on the attribute at fault, reported as early as Terraform allows: shape problems
 * at validate (values may still be unknown then), environment-dependent ones (defaults, files,
 * the seal passphrase) at configure.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import type { Diagnostics } from '../framework/diagnostics';
import { path, type AttributePath } from '../protocol/cty/path';
import { asObject, isUnknown, type CtyObject, type CtyValue } from '../protocol/cty/values';
// The variable table and defaults come from the engine's import-free subpath: the engine
// itself loads only when a command needs it (./engine.ts).
import {
  DEFAULT_STORE_PATH,
  ENV_VARIABLES,
  NAMESPACE_PATTERN,
  NAMESPACE_RULE,
  ROOT_NAMESPACE,
  envOrDefault,
  readEnv,
} from '@keyplane/engine/env';
import type { Policy } from '@keyplane/engine/policy';
import { enginePolicy } from './engine';
import type { SealType } from './schema';

export type StoreLocation =
  | { readonly kind: 'sqlite'; readonly path: string }
  | { readonly kind: 'postgres'; readonly url: string };

export type SealConfig =
  | { readonly type: 'passphrase'; readonly passphrase: string }
  | {
      readonly type: Exclude<SealType, 'passphrase'>;
      readonly parameters: Readonly<Record<string, string>>;
    };

export interface EndpointOverrides {
  readonly awskms?: string | undefined;
  readonly azurekeyvault?: string | undefined;
  readonly azureCaFile?: string | undefined;
  readonly gcpckms?: string | undefined;
  readonly gcpInsecure?: boolean | undefined;
}

export interface ProviderConfig {
  readonly store: StoreLocation;
  readonly namespace: string;
  readonly seal: SealConfig;
  /** The policy document, validated by the engine: evaluated at plan and enforced at apply. */
  readonly policy?: {
    readonly source: 'inline' | 'file';
    readonly document: unknown;
    readonly parsed: Policy;
  };
  readonly endpoints: EndpointOverrides;
  /** Who acts, as written in every audit entry of this provider process. */
  readonly actor: string;
}

const str = (v: CtyValue | undefined): string | undefined =>
  typeof v === 'string' ? v : undefined;

export function parseStore(
  text: string,
  cwd: string,
  at: AttributePath,
  diags: Diagnostics,
): StoreLocation | undefined {
  if (/^postgres(ql)?:\/\//.test(text)) return { kind: 'postgres', url: text };
  if (text.startsWith('sqlite:///'))
    return { kind: 'sqlite', path: text.slice('sqlite://'.length) };
  if (/^[a-z][a-z0-9+.-]*:/i.test(text)) {
    diags.error(
      'Invalid store',
      `store must be sqlite:///absolute/path.db, postgres://… or a file path; got a "${text.split(':')[0] ?? ''}:" URL`,
      at,
    );
    return undefined;
  }
  return { kind: 'sqlite', path: isAbsolute(text) ? text : resolve(cwd, text) };
}

/** Checks that need no environment: a configured inline policy must be a JSON object. */
export function validateProviderConfig(config: CtyObject, diags: Diagnostics): void {
  const policy = config.policy;
  if (typeof policy === 'string' && policy.trimStart().startsWith('{'))
    parsePolicyJson(policy, diags);
  const store = config.store;
  if (typeof store === 'string') parseStore(store, process.cwd(), path.root('store'), diags);
}

/**
 * Where the policy text came from, as diagnostics name it: the `policy` attribute (the
 * diagnostic points at it) or $KEYPLANE_POLICY (no attribute path: the user wrote none).
 */
interface PolicyOrigin {
  readonly label: string;
  /** How a message names a document read from `file` (the CLI's `$KEYPLANE_POLICY <file>`). */
  readonly named: (file: string) => string;
  readonly at: AttributePath | undefined;
}

const POLICY_ATTRIBUTE: PolicyOrigin = {
  label: 'policy',
  named: (file) => `policy file ${file}`,
  at: path.root('policy'),
};

/** The document and the engine's validated policy, or a diagnostic naming its origin. */
function parsePolicyJson(
  text: string,
  diags: Diagnostics,
  origin: PolicyOrigin = POLICY_ATTRIBUTE,
  file?: string,
): { readonly document: unknown; readonly parsed: Policy } | undefined {
  const what = file === undefined ? origin.label : origin.named(file);
  let document: unknown;
  try {
    document = JSON.parse(text) as unknown;
    if (typeof document !== 'object' || document === null || Array.isArray(document))
      throw new Error('the document must be a JSON object');
  } catch (e) {
    diags.error(
      'Invalid policy',
      `${what} is not a JSON policy document: ${e instanceof Error ? e.message : String(e)}`,
      origin.at,
    );
    return undefined;
  }
  try {
    return { document, parsed: enginePolicy().parsePolicy(document) };
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    diags.error(
      'Invalid policy',
      `${what}: ${e instanceof Error ? e.message : String(e)}${typeof code === 'string' ? ` [${code}]` : ''}`,
      origin.at,
    );
    return undefined;
  }
}

/**
 * The policy from `policy`, else from $KEYPLANE_POLICY (as the CLI's lifecycle commands do), in
 * the same forms: inline JSON, or a file path relative to the provider's working directory.
 */
function parsePolicySetting(
  attribute: string | undefined,
  env: NodeJS.ProcessEnv,
  cwd: string,
  diags: Diagnostics,
): ProviderConfig['policy'] {
  const { policySource, policySourceFromEnv } = enginePolicy();
  let source = attribute === undefined ? undefined : policySource(attribute);
  let origin = POLICY_ATTRIBUTE;
  if (source === undefined) {
    source = policySourceFromEnv(env);
    if (source === undefined) return undefined;
    const name = ENV_VARIABLES.policy.name;
    origin = { label: `$${name}`, named: (file) => `$${name} ${file}`, at: undefined };
  }
  if (source.kind === 'inline') {
    const parsed = parsePolicyJson(source.text, diags, origin);
    return parsed === undefined ? undefined : { source: 'inline', ...parsed };
  }
  const file = resolve(cwd, source.path);
  let content: string;
  try {
    content = readFileSync(file, 'utf8');
  } catch (e) {
    diags.error(
      'Invalid policy',
      `cannot read ${origin.label} file ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`,
      origin.at,
    );
    return undefined;
  }
  const parsed = parsePolicyJson(content, diags, origin, file);
  return parsed === undefined ? undefined : { source: 'file', ...parsed };
}

/**
 * `actor`, else KEYPLANE_ACTOR, else `terraform:<OS user>@<host>`: the audit log then tells a
 * CI runner's apply from a laptop's, and both from the CLI (which records the bare OS user).
 */
export function defaultActor(env: NodeJS.ProcessEnv): string {
  const fromEnv = readEnv(ENV_VARIABLES.actor, env);
  if (fromEnv !== undefined) return fromEnv;
  let user: string;
  try {
    user = userInfo().username;
  } catch {
    user = `uid:${String(process.getuid?.() ?? 'unknown')}`;
  }
  return `terraform:${user}@${hostname()}`;
}

/** Builds the configuration from a wholly known provider block and the environment. */
export function parseProviderConfig(
  config: CtyObject,
  env: NodeJS.ProcessEnv,
  cwd: string,
  diags: Diagnostics,
): ProviderConfig | undefined {
  const storeText =
    str(config.store) ?? envOrDefault(ENV_VARIABLES.store, env) ?? DEFAULT_STORE_PATH;
  const store = parseStore(storeText, cwd, path.root('store'), diags);
  const namespace = str(config.namespace) ?? envNamespace(env, diags);
  const seal = parseSeal(asObject(config.seal ?? null), env, diags);
  const policy = parsePolicySetting(str(config.policy), env, cwd, diags);
  const ep = asObject(config.endpoint ?? null);
  const endpoints: EndpointOverrides = {
    ...(str(ep?.awskms) === undefined ? {} : { awskms: str(ep?.awskms) }),
    ...(str(ep?.azurekeyvault) === undefined ? {} : { azurekeyvault: str(ep?.azurekeyvault) }),
    ...(str(ep?.azure_ca_file) === undefined
      ? {}
      : { azureCaFile: resolve(cwd, str(ep?.azure_ca_file) as string) }),
    ...(str(ep?.gcpckms) === undefined ? {} : { gcpckms: str(ep?.gcpckms) }),
    ...(typeof ep?.gcp_insecure === 'boolean' ? { gcpInsecure: ep.gcp_insecure } : {}),
  };
  if (store === undefined || seal === undefined || diags.hasErrors()) return undefined;
  const actor = str(config.actor) ?? defaultActor(env);
  return {
    store,
    namespace,
    seal,
    endpoints,
    actor,
    ...(policy === undefined ? {} : { policy }),
  };
}

/**
 * The namespace when the block names none: $KEYPLANE_NAMESPACE (as terraform-provider-vault reads
 * VAULT_NAMESPACE), else root. The block's own value is checked at validate; this one here.
 */
function envNamespace(env: NodeJS.ProcessEnv, diags: Diagnostics): string {
  const value = readEnv(ENV_VARIABLES.namespace, env);
  if (value === undefined) return ROOT_NAMESPACE;
  if (!NAMESPACE_PATTERN.test(value)) {
    diags.error(
      'Invalid namespace',
      `${ENV_VARIABLES.namespace.name} must be ${NAMESPACE_RULE}; got "${value}"`,
      path.root('namespace'),
    );
  }
  return value;
}

function parseSeal(
  block: CtyObject | undefined,
  env: NodeJS.ProcessEnv,
  diags: Diagnostics,
): SealConfig | undefined {
  const type = (str(block?.type) ?? 'passphrase') as SealType;
  if (type === 'passphrase') {
    const passphrase = str(block?.passphrase) ?? readEnv(ENV_VARIABLES.sealPassphrase, env);
    if (passphrase === undefined || passphrase === '') {
      diags.error(
        'No usable seal',
        `The passphrase seal needs a passphrase: set ${ENV_VARIABLES.sealPassphrase.name} (or seal.passphrase). Keyplane never invents one, so sealed records stay readable only with the passphrase that sealed them.`,
        block === undefined ? undefined : path.attribute(path.root('seal'), 'passphrase'),
      );
      return undefined;
    }
    return { type, passphrase };
  }
  const params = asObject(block?.parameters ?? null);
  if (params === undefined || Object.keys(params).length === 0) {
    diags.error(
      'No usable seal',
      `The ${type} seal needs its parameters.`,
      path.attribute(path.root('seal'), 'parameters'),
    );
    return undefined;
  }
  const parameters: Record<string, string> = {};
  for (const [k, v] of Object.entries(params))
    if (typeof v === 'string' && !isUnknown(v)) parameters[k] = v;
  return { type, parameters };
}
