/**
 * Validation of managed-key parameters against their table (parameter-table.ts).
 *
 * Input values arrive as strings (CLI `key=value`, Vault-style "true"/"false") or as typed
 * values (library, Terraform). {@link validateParameters} collects every problem at once as
 * diagnostics (code, field, message, allowed values) — the Terraform provider shows them all
 * with attribute paths; {@link parseParameters} throws them as one error. Messages never contain
 * the value of a sensitive parameter.
 *
 * @module
 */
import { lookup } from '../algorithms/table';
import type { BackendType, KeyUsage } from '../backends/contract';
import { BACKEND_TYPES, KEY_USAGES } from '../backends/contract';
import { isLoopbackHost } from '../backends/common/loopback';
import {
  InvalidArgumentError,
  MissingParameterError,
  UnsupportedTargetError,
  notAllowedMessage,
  raiseAll,
  type KeyplaneDiagnostic,
  type KeyplaneError,
} from '../errors';
import {
  BACKEND_PARAMETERS,
  GENERIC_PARAMETERS,
  MAX_VALUE_LENGTH,
  managedKeyParameters,
  type ParameterFormat,
  type ParameterSpec,
} from './parameter-table';

export * from './parameter-table';

export type ParameterValue = string | number | boolean | readonly KeyUsage[];
export type Parameters = Readonly<Record<string, ParameterValue>>;

export function backendType(value: string, field = 'type'): BackendType {
  if (lookup(BACKEND_PARAMETERS, value) === undefined) {
    throw new UnsupportedTargetError(
      notAllowedMessage(field, value, 'as a managed key type', BACKEND_TYPES),
      { field, allowed: BACKEND_TYPES },
    );
  }
  return value as BackendType;
}

/** Every parameter name accepted for a type (generic + backend). */
export function parameterNames(type: BackendType): string[] {
  return managedKeyParameters(type).map((row) => row.name);
}

export function parameterSpec(type: BackendType, name: string): ParameterSpec | undefined {
  return lookup(GENERIC_PARAMETERS, name) ?? lookup(BACKEND_PARAMETERS[type], name);
}

const invalid = (field: string, message: string, allowed?: readonly string[]) =>
  new InvalidArgumentError(message, { field, allowed });

/** The host of a URL or `host:port` (gRPC target); undefined when it is neither. */
export function endpointHost(endpoint: string): string | undefined {
  try {
    return new URL(endpoint.includes('://') ? endpoint : `grpc://${endpoint}`).hostname;
  } catch {
    return undefined;
  }
}

const URL_SCHEMES = ['https', 'http'];

/** POSIX `/…`, Windows `C:\…` or `\\server\…` (no node:path: the policy module loads this file). */
const isAbsolutePath = (v: string): boolean => /^(\/|[A-Za-z]:[\\/]|\\\\)/.test(v);

/** String formats: a refusal message for a bad value, else undefined. */
const VALUE_FORMATS: Readonly<
  Record<ParameterFormat, (name: string, v: string) => string | undefined>
> = {
  url: (name, v) => {
    const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(v)?.[1]?.toLowerCase();
    return scheme !== undefined && URL_SCHEMES.includes(scheme) && endpointHost(v) !== undefined
      ? undefined
      : `${name} '${v}' is not an http(s) URL (like https://kms.example.com)`;
  },
  'grpc-target': (name, v) =>
    endpointHost(v) ? undefined : `${name} '${v}' is not a URL or host:port`,
  'absolute-path': (name, v) =>
    isAbsolutePath(v)
      ? undefined
      : `${name} must be an absolute path (a relative one depends on the working directory)`,
  decimal: (name, v) => (/^\d+$/.test(v) ? undefined : `${name} must be a decimal number`),
};

function parseBoolean(name: string, value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  const s = String(value).toLowerCase();
  if (s === 'true' || s === 'false') return s === 'true';
  throw invalid(name, `${name} must be true or false, got '${String(value)}'`, ['true', 'false']);
}

function parseUsages(name: string, value: unknown): KeyUsage[] {
  const items = Array.isArray(value) ? value.map(String) : String(value).split(',');
  const usages = items.map((u) => u.trim().toLowerCase()).filter((u) => u !== '');
  const unknown = usages.find((u) => !(KEY_USAGES as readonly string[]).includes(u));
  if (unknown !== undefined)
    throw invalid(name, notAllowedMessage(name, unknown, 'as a usage', KEY_USAGES), KEY_USAGES);
  if (usages.length === 0) throw invalid(name, `${name} must list at least one usage`, KEY_USAGES);
  return [...new Set(usages)] as KeyUsage[];
}

function parseString(name: string, spec: ParameterSpec, value: unknown): string | number {
  const s = String(value).trim();
  // Sensitive values are never echoed: only their length limit is stated.
  const shown = spec.sensitive ? '' : ` '${s.slice(0, 40)}${s.length > 40 ? '…' : ''}'`;
  const max = spec.maxLength ?? MAX_VALUE_LENGTH;
  if (s.length > max) throw invalid(name, `${name} is longer than ${String(max)} characters`);
  if (spec.kind === 'integer') {
    if (!/^\d+$/.test(s))
      throw invalid(name, `${name} must be a non-negative integer, got${shown}`, spec.allowed);
    const [min, top] = spec.range ?? [0, Number.MAX_SAFE_INTEGER];
    if (Number(s) < min || Number(s) > top)
      throw invalid(name, `${name} must be between ${String(min)} and ${String(top)}, got${shown}`);
  }
  if (spec.allowed !== undefined) {
    const match = spec.allowed.find((a) =>
      spec.caseInsensitive === true ? a.toUpperCase() === s.toUpperCase() : a === s,
    );
    // Sensitive parameters never have an allowed set, so echoing the value is safe here.
    if (match === undefined)
      throw invalid(name, notAllowedMessage(name, s, '', spec.allowed), spec.allowed);
    return spec.kind === 'integer' ? Number(match) : match;
  }
  const problem = spec.format === undefined ? undefined : VALUE_FORMATS[spec.format](name, s);
  if (problem !== undefined) throw invalid(name, problem);
  return spec.kind === 'integer' ? Number(s) : s;
}

/** The KeyplaneError a check threw; anything else is a bug and propagates. */
function caught(check: () => void, problems: KeyplaneError[]): void {
  try {
    check();
  } catch (e) {
    if (!(e instanceof InvalidArgumentError || e instanceof MissingParameterError)) throw e;
    problems.push(e);
  }
}

function parseOne(name: string, spec: ParameterSpec, value: unknown): ParameterValue {
  if (spec.kind === 'boolean') return parseBoolean(name, value);
  if (spec.kind === 'usages') return parseUsages(name, value);
  return parseString(name, spec, value);
}

export interface ValidateOptions {
  /** Fill in defaults (create). */
  readonly defaults: boolean;
  /** Check required parameters and cross-parameter rules (create, or update after merging). */
  readonly complete: boolean;
}

export interface ValidatedParameters {
  /** The parameters that passed, typed (with defaults when asked). */
  readonly values: Record<string, ParameterValue>;
  /** Every problem found, in input order then required then cross-parameter rules. */
  readonly diagnostics: readonly KeyplaneDiagnostic[];
}

function collect(
  type: BackendType,
  input: Readonly<Record<string, unknown>>,
  options: ValidateOptions,
): { values: Record<string, ParameterValue>; problems: KeyplaneError[] } {
  const values: Record<string, ParameterValue> = {};
  const problems: KeyplaneError[] = [];
  for (const [name, value] of Object.entries(input)) {
    if (value === undefined) continue;
    const spec = parameterSpec(type, name);
    if (spec === undefined) {
      const allowed = parameterNames(type);
      problems.push(
        invalid(
          name,
          notAllowedMessage('parameter', name, `for ${type} managed keys`, allowed),
          allowed,
        ),
      );
      continue;
    }
    caught(() => {
      values[name] = parseOne(name, spec, value);
    }, problems);
  }
  if (options.defaults) {
    for (const row of managedKeyParameters(type)) {
      if (values[row.name] === undefined && row.default !== undefined)
        values[row.name] = row.default as ParameterValue;
    }
  }
  if (options.complete) {
    const typed = new Set(Object.keys(input).filter((n) => input[n] !== undefined));
    for (const problem of missing(type, values, typed)) problems.push(problem);
    for (const rule of CROSS_RULES)
      caught(() => {
        rule(type, values);
      }, problems);
  }
  return { values, problems };
}

/** Validates and normalizes parameters for `type`, collecting every problem. */
export function validateParameters(
  type: BackendType,
  input: Readonly<Record<string, unknown>>,
  options: ValidateOptions,
): ValidatedParameters {
  const { values, problems } = collect(type, input, options);
  return { values, diagnostics: problems.flatMap((p) => p.diagnostics) };
}

/**
 * Validates and normalizes parameters for `type`: unknown names refused (listing the accepted
 * ones), values typed, defaults filled in when `withDefaults`; with `complete`, required
 * parameters and cross-parameter rules are checked too. Every problem is reported at once.
 */
export function parseParameters(
  type: BackendType,
  input: Readonly<Record<string, unknown>>,
  withDefaults: boolean,
  complete = false,
): Record<string, ParameterValue> {
  const { values, problems } = collect(type, input, { defaults: withDefaults, complete });
  raiseAll(problems, `${type} managed key parameters`);
  return values;
}

const present = (params: Readonly<Record<string, unknown>>, name: string) =>
  params[name] !== undefined && params[name] !== '';

/** Required parameters (and at-least-one-of groups) that are absent, one problem each. */
function missing(
  type: BackendType,
  params: Readonly<Record<string, unknown>>,
  typed: ReadonlySet<string> = new Set(),
): KeyplaneError[] {
  const groups = new Map<string, readonly string[]>();
  for (const row of managedKeyParameters(type)) {
    const options = row.required ? [row.name] : row.atLeastOneOf;
    if (options !== undefined) groups.set(options.join(' or '), options);
  }
  // A parameter given with a bad value is already reported: "missing" would be noise.
  return [...groups]
    .filter(([, options]) => !options.some((n) => present(params, n) || typed.has(n)))
    .map(
      ([what, options]) =>
        new MissingParameterError(`${type} managed keys need ${what}`, {
          field: options[0] ?? '',
          allowed: options,
        }),
    );
}

/** Checks required parameters (and one-of groups) are present, all reported at once. */
export function checkRequired(type: BackendType, params: Parameters): void {
  const problems = missing(type, params);
  for (const rule of CROSS_RULES)
    caught(() => {
      rule(type, params);
    }, problems);
  raiseAll(problems, `${type} managed key parameters`);
}

type CrossRule = (type: BackendType, params: Readonly<Record<string, unknown>>) => void;

const loopback = (endpoint: unknown): boolean => {
  const host = typeof endpoint === 'string' ? endpointHost(endpoint) : undefined;
  return host !== undefined && isLoopbackHost(host);
};

/**
 * Rules across parameters. Plain http:// (or plaintext gRPC) lets anyone on the path read
 * credentials and signatures: fine for a local emulator on loopback, refused elsewhere unless the
 * backend has an explicit `insecure` opt-in for it (awskms) and it is set. GCP's `insecure` means
 * plaintext gRPC with a static token, which only a loopback emulator may get.
 */
const CROSS_RULES: readonly CrossRule[] = [
  (type, p) => {
    if (type === 'gcpckms' && p.insecure === true && !loopback(p.endpoint))
      throw invalid(
        'insecure',
        'insecure=true is only allowed with a loopback endpoint (local emulator)',
      );
  },
  (type, p) => {
    const endpoint = p.endpoint;
    if (typeof endpoint !== 'string' || !/^http:\/\//i.test(endpoint) || loopback(endpoint)) return;
    const optIn = type !== 'gcpckms' && parameterSpec(type, 'insecure') !== undefined;
    if (optIn && p.insecure === true) return;
    throw invalid(
      'endpoint',
      `endpoint '${endpoint}' is plain http:// to a non-loopback host; use https://` +
        (optIn ? ', or set insecure=true to accept an unencrypted connection' : ''),
    );
  },
];

/** Splits sensitive parameters (sealed at rest) from the rest. */
export function splitSecrets(
  type: BackendType,
  params: Parameters,
): { plain: Record<string, ParameterValue>; secrets: Record<string, string> } {
  const plain: Record<string, ParameterValue> = {};
  const secrets: Record<string, string> = {};
  for (const [name, value] of Object.entries(params)) {
    if (parameterSpec(type, name)?.sensitive === true) secrets[name] = String(value);
    else plain[name] = value;
  }
  return { plain, secrets };
}
