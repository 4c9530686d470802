/**
 * Every environment variable the engine, the CLI and the Terraform provider read, as one table:
 * name, meaning, default. Code reads a variable only through {@link readEnv} and a row of
 * {@link ENV_VARIABLES}; help texts and docs that list variables are rendered from the rows. A test scans
 * the sources for `KEYPLANE_…` names outside this file, so a second spelling cannot come back.
 *
 * This module imports nothing: the provider loads the engine lazily (Terraform starts it several
 * times per command) and the CLI's help must not pull the store or the cloud SDKs, yet both need
 * the names and defaults at start-up.
 *
 * @module
 */

/**
 * Where a variable takes effect: `library` = any program using the engine's functions that read
 * it (storeUrlFromEnv, sealConfigFromEnv, the store's audit and actor defaults, backend calls),
 * `cli` = the keyplane command, `provider` = the Terraform provider.
 */
export type EnvReader = 'library' | 'cli' | 'provider';

/** One environment variable. */
export interface EnvVariable {
  /**
   * The variable's name. A `<PART>` placeholder marks a family of variables
   * (`KEYPLANE_SEAL_<PARAMETER>`): {@link envName} fills it in.
   */
  readonly name: string;
  /** What it sets, in one sentence (help texts quote it). */
  readonly meaning: string;
  /** The value used when it is unset or empty; absent when the default is computed (see `meaning`). */
  readonly default?: string;
  readonly usedBy: readonly EnvReader[];
}

/**
 * Where the store is when neither an explicit location nor $KEYPLANE_STORE is given (resolved
 * against the working directory).
 */
export const DEFAULT_STORE_PATH = './.keyplane/keyplane.db';

/** The namespace used when none is given (Vault's root namespace). */
export const ROOT_NAMESPACE = 'root';

/** How deep namespaces nest (`a/b/…`). */
export const MAX_NAMESPACE_DEPTH = 8;

/**
 * A namespace path: `root`, or 1 to {@link MAX_NAMESPACE_DEPTH} `/`-separated segments of
 * lowercase letters, digits, `-` and `_` (at most 63 characters each, not starting with `-`/`_`),
 * the first of which is not `root`. Here, import-free, because the provider checks it at
 * validate time before it loads the engine; the engine checks the same pattern.
 */
export const NAMESPACE_PATTERN =
  /^(?:root|(?!root(?:\/|$))[a-z0-9][a-z0-9_-]{0,62}(?:\/[a-z0-9][a-z0-9_-]{0,62}){0,7})$/;

/** {@link NAMESPACE_PATTERN} in words, for messages. */
export const NAMESPACE_RULE = `'root' or up to ${String(MAX_NAMESPACE_DEPTH)} '/'-separated segments of lowercase letters, digits, '-' or '_' (e.g. team-a/payments)`;

/** The variables, by concept (rows in the order help texts list them). */
const ROWS = {
  store: {
    name: 'KEYPLANE_STORE',
    meaning:
      'Where Keyplane keeps its records: sqlite:///absolute/path.db, a file path (relative to the working directory) or postgres://user@host/db.',
    default: DEFAULT_STORE_PATH,
    usedBy: ['library', 'cli', 'provider'],
  },
  namespace: {
    name: 'KEYPLANE_NAMESPACE',
    meaning: 'The namespace records are read from and written to, e.g. team-a/payments.',
    default: ROOT_NAMESPACE,
    usedBy: ['library', 'cli', 'provider'],
  },
  seal: {
    name: 'KEYPLANE_SEAL',
    meaning:
      'How the store’s data key is sealed: a seal type, a JSON object ({"type":"pkcs11",…}) or @file holding it; unset: the passphrase seal when KEYPLANE_SEAL_PASSPHRASE is set.',
    usedBy: ['library', 'cli'],
  },
  sealPassphrase: {
    name: 'KEYPLANE_SEAL_PASSPHRASE',
    meaning: 'The passphrase of the development passphrase seal (at least 12 characters).',
    usedBy: ['library', 'cli', 'provider'],
  },
  sealParameter: {
    name: 'KEYPLANE_SEAL_<PARAMETER>',
    meaning:
      'A secret seal parameter kept out of KEYPLANE_SEAL, e.g. KEYPLANE_SEAL_PIN for the pkcs11 seal’s pin.',
    usedBy: ['library', 'cli'],
  },
  registryPassphrase: {
    name: 'KEYPLANE_REGISTRY_PASSPHRASE',
    meaning:
      'The passphrase a pre-store registry file’s secrets were sealed with (keyplane store import-registry); unset: KEYPLANE_SEAL_PASSPHRASE.',
    usedBy: ['cli'],
  },
  actor: {
    name: 'KEYPLANE_ACTOR',
    meaning:
      'Who acts, as recorded in every audit entry; unset: the OS user (CLI, library) or terraform:<OS user>@<host> (provider).',
    usedBy: ['library', 'cli', 'provider'],
  },
  auditFile: {
    name: 'KEYPLANE_AUDIT_FILE',
    meaning: 'Also append every audit entry to this JSON-lines file (a SIEM sink).',
    usedBy: ['library', 'cli', 'provider'],
  },
  policy: {
    name: 'KEYPLANE_POLICY',
    meaning:
      'The key policy document every create / update / distribute must satisfy when --policy (CLI) or policy (provider) is not set: inline JSON ({…}) or the path of a JSON file; unset: no policy.',
    usedBy: ['cli', 'provider'],
  },
  backendCallTimeout: {
    name: 'KEYPLANE_BACKEND_CALL_TIMEOUT_MS',
    meaning: 'Longest wait for one attempt of a backend call, in milliseconds.',
    default: '60000',
    usedBy: ['library', 'cli', 'provider'],
  },
  backendTimeout: {
    name: 'KEYPLANE_BACKEND_TIMEOUT_MS',
    meaning: 'Longest time for one backend call with all its retries, in milliseconds.',
    default: '300000',
    usedBy: ['library', 'cli', 'provider'],
  },
  devFaults: {
    name: 'KEYPLANE_<CLOUD>_FAULTS',
    meaning:
      'Fault injection for keyplane dev up’s AWS, AZURE or GCP emulator, e.g. {"Sign":{"errorRate":0.2}}; --<cloud>-faults wins.',
    usedBy: ['cli'],
  },
  debug: {
    name: 'KEYPLANE_DEBUG',
    meaning: 'Set to 1 to print the stack trace of a failure.',
    usedBy: ['cli'],
  },
} as const satisfies Readonly<Record<string, EnvVariable>>;

/**
 * The variables, by concept. Typed by row shape, not by its literal text, so rewording a meaning
 * does not change the API report.
 */
export const ENV_VARIABLES: Readonly<Record<EnvConcept, EnvVariable>> = ROWS;

export type EnvConcept = keyof typeof ROWS;

const PLACEHOLDER = /<[A-Z]+>/;

/** A family row's name for one member: `envName(ENV_VARIABLES.sealParameter, 'pin')` → KEYPLANE_SEAL_PIN. */
export function envName(variable: EnvVariable, part?: string): string {
  if (!PLACEHOLDER.test(variable.name)) return variable.name;
  if (part === undefined || part === '')
    throw new TypeError(`${variable.name} names a family: give the part to fill in`);
  return variable.name.replace(PLACEHOLDER, part.toUpperCase());
}

/**
 * The variable's value, or undefined when it is unset or empty (an empty value means "not set"
 * everywhere, so `KEYPLANE_STORE= cmd` behaves like no KEYPLANE_STORE at all).
 */
export function readEnv(
  variable: EnvVariable,
  env: NodeJS.ProcessEnv = process.env,
  part?: string,
): string | undefined {
  const value = env[envName(variable, part)];
  return value === undefined || value === '' ? undefined : value;
}

/** {@link readEnv}, else the row's default (undefined when the default is computed). */
export function envOrDefault(
  variable: EnvVariable,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  return readEnv(variable, env) ?? variable.default;
}

/** The rows that take effect in a tool, for help texts and docs. */
export function envVariablesUsedBy(reader: EnvReader): readonly EnvVariable[] {
  return Object.values<EnvVariable>(ENV_VARIABLES).filter((v) => v.usedBy.includes(reader));
}

/** `NAME  meaning (default: …)` lines, aligned: the "Environment" section of a help text. */
export function formatEnvHelp(variables: readonly EnvVariable[]): string {
  const width = Math.max(...variables.map((v) => v.name.length));
  return variables
    .map((v) => {
      const fallback = v.default === undefined ? '' : ` (default: ${v.default})`;
      return `  ${v.name.padEnd(width)}  ${v.meaning}${fallback}`;
    })
    .join('\n');
}
