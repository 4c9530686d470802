/**
 * Managed-key parameters, as data: every generic parameter of seed 003 (`/sys/managed-keys`)
 * and every backend parameter for pkcs11, awskms, azurekeyvault and gcpckms, plus the few
 * Keyplane additions a self-hosted tool needs (`endpoint`, `ca_file`, `insecure`), marked as such.
 *
 * Input values arrive as strings (CLI `key=value`, Vault-style "true"/"false") or as typed
 * values (library, Terraform); `parseParameters` normalizes both and names the offending
 * parameter with its allowed values on any refusal.
 *
 * @module
 */
import { lookup, names, table } from '../algorithms/table';
import type { BackendType, KeyUsage } from '../backends/contract';
import { BACKEND_TYPES, KEY_USAGES } from '../backends/contract';
import {
  InvalidArgumentError,
  MissingParameterError,
  UnsupportedTargetError,
  notAllowedMessage,
} from '../errors';

export type ParameterKind = 'string' | 'boolean' | 'integer' | 'usages';

export interface ParameterSpec {
  readonly kind: ParameterKind;
  /** Finite set of accepted values (compared case-insensitively when `caseInsensitive`). */
  readonly allowed?: readonly string[];
  readonly caseInsensitive?: boolean;
  /** Stored sealed, shown as "redacted", never in messages. */
  readonly secret?: boolean;
  readonly default?: string | number | boolean | readonly string[];
  /** Not in Vault's API: a Keyplane addition (documented as such). */
  readonly keyplane?: boolean;
}

export type ParameterValue = string | number | boolean | readonly KeyUsage[];
export type Parameters = Readonly<Record<string, ParameterValue>>;

const bool = (d = false): ParameterSpec => ({ kind: 'boolean', default: d });
const str = (extra: Partial<ParameterSpec> = {}): ParameterSpec => ({ kind: 'string', ...extra });

/** Generic parameters (seed 003 "Generic parameters"). */
export const GENERIC_PARAMETERS = table<string, ParameterSpec>({
  allow_generate_key: bool(),
  allow_replace_key: bool(),
  allow_store_key: bool(),
  any_mount: bool(),
  usages: { kind: 'usages', allowed: KEY_USAGES, default: ['sign', 'verify'] },
});

export const PKCS11_MECHANISMS = ['0x1041', '0x000D', '0x0009', '0x0001'] as const;
export const CURVES = ['P256', 'P384', 'P521'] as const;
export const RSA_KEY_BITS = ['2048', '3072', '4096'] as const;
export const GCP_SIGN_ALGORITHMS = [
  'EC_SIGN_P256_SHA256',
  'EC_SIGN_P384_SHA384',
  'RSA_SIGN_PSS_2048_SHA256',
  'RSA_SIGN_PSS_3072_SHA256',
  'RSA_SIGN_PSS_4096_SHA256',
  'RSA_SIGN_PSS_4096_SHA512',
  'RSA_SIGN_PKCS1_2048_SHA256',
  'RSA_SIGN_PKCS1_3072_SHA256',
  'RSA_SIGN_PKCS1_4096_SHA256',
  'RSA_SIGN_PKCS1_4096_SHA512',
] as const;
export const AZURE_ENVIRONMENTS = ['AZUREPUBLICCLOUD', 'AZURECHINACLOUD', 'AZUREUSGOVERNMENTCLOUD'];

/** Backend parameters per type (seed 003 sections). */
export const BACKEND_PARAMETERS = table<BackendType, Readonly<Record<string, ParameterSpec>>>({
  pkcs11: table({
    library: str(),
    key_label: str(),
    key_id: str(),
    mechanism: str({ allowed: PKCS11_MECHANISMS, caseInsensitive: true }),
    pin: str({ secret: true }),
    slot: str(),
    token_label: str(),
    curve: str({ allowed: CURVES, caseInsensitive: true }),
    key_bits: { kind: 'integer', allowed: RSA_KEY_BITS },
    force_rw_session: bool(),
    max_parallel: { kind: 'integer', default: 1 },
  }),
  awskms: table({
    access_key: str({ secret: true }),
    secret_key: str({ secret: true }),
    curve: str({ allowed: CURVES, caseInsensitive: true }),
    endpoint: str(),
    key_bits: { kind: 'integer', allowed: RSA_KEY_BITS },
    key_type: str({ allowed: ['RSA', 'ECDSA'], caseInsensitive: true }),
    kms_key: str(),
    region: str({ default: 'us-east-1' }),
  }),
  azurekeyvault: table({
    tenant_id: str(),
    client_id: str(),
    client_secret: str({ secret: true }),
    environment: str({
      allowed: AZURE_ENVIRONMENTS,
      caseInsensitive: true,
      default: 'AZUREPUBLICCLOUD',
    }),
    vault_name: str(),
    key_name: str(),
    resource: str({ default: 'vault.azure.net' }),
    key_bits: { kind: 'integer', allowed: RSA_KEY_BITS },
    key_type: str({ allowed: ['RSA-HSM'], caseInsensitive: true }),
    endpoint: str({ keyplane: true }),
    ca_file: str({ keyplane: true }),
  }),
  gcpckms: table({
    credentials: str(),
    crypto_key: str(),
    crypto_key_version: str({ default: '1' }),
    key_ring: str(),
    project: str(),
    region: str(),
    algorithm: str({ allowed: GCP_SIGN_ALGORITHMS, caseInsensitive: true }),
    endpoint: str({ keyplane: true }),
    insecure: { ...bool(), keyplane: true },
  }),
});

/** Parameters required per type; `[a, b]` = one of them. Checked after defaults. */
export const REQUIRED_PARAMETERS = table<BackendType, readonly (string | readonly string[])[]>({
  pkcs11: ['library', ['key_label', 'key_id'], 'mechanism', 'pin', ['slot', 'token_label']],
  awskms: ['kms_key', 'key_type'],
  azurekeyvault: ['tenant_id', 'vault_name', 'key_name', 'key_type'],
  gcpckms: ['crypto_key', 'key_ring', 'project', 'region', 'algorithm'],
});

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
  return [...names(GENERIC_PARAMETERS), ...Object.keys(BACKEND_PARAMETERS[type])];
}

export function parameterSpec(type: BackendType, name: string): ParameterSpec | undefined {
  return lookup(GENERIC_PARAMETERS, name) ?? lookup(BACKEND_PARAMETERS[type], name);
}

function parseBoolean(name: string, value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  const s = String(value).toLowerCase();
  if (s === 'true' || s === 'false') return s === 'true';
  throw new InvalidArgumentError(`${name} must be true or false, got '${String(value)}'`, {
    field: name,
    allowed: ['true', 'false'],
  });
}

function parseUsages(name: string, value: unknown): KeyUsage[] {
  const items = Array.isArray(value) ? value.map(String) : String(value).split(',');
  const usages = items.map((u) => u.trim().toLowerCase()).filter((u) => u !== '');
  for (const u of usages) {
    if (!(KEY_USAGES as readonly string[]).includes(u)) {
      throw new InvalidArgumentError(notAllowedMessage(name, u, 'as a usage', KEY_USAGES), {
        field: name,
        allowed: KEY_USAGES,
      });
    }
  }
  if (usages.length === 0) {
    throw new InvalidArgumentError(`${name} must list at least one usage`, {
      field: name,
      allowed: KEY_USAGES,
    });
  }
  return [...new Set(usages)] as KeyUsage[];
}

function parseOne(name: string, spec: ParameterSpec, value: unknown): ParameterValue {
  if (spec.kind === 'boolean') return parseBoolean(name, value);
  if (spec.kind === 'usages') return parseUsages(name, value);
  const s = String(value).trim();
  if (spec.kind === 'integer' && !/^\d+$/.test(s)) {
    throw new InvalidArgumentError(`${name} must be a non-negative integer, got '${s}'`, {
      field: name,
      ...(spec.allowed ? { allowed: spec.allowed } : {}),
    });
  }
  if (spec.allowed !== undefined) {
    const match = spec.allowed.find((a) =>
      spec.caseInsensitive ? a.toUpperCase() === s.toUpperCase() : a === s,
    );
    if (match === undefined) {
      // Secret parameters never have an allowed set, so echoing the value is safe here.
      throw new InvalidArgumentError(notAllowedMessage(name, s, '', spec.allowed), {
        field: name,
        allowed: spec.allowed,
      });
    }
    return spec.kind === 'integer' ? Number(match) : match;
  }
  return spec.kind === 'integer' ? Number(s) : s;
}

/**
 * Validates and normalizes parameters for `type`: unknown names refused (listing the accepted
 * ones), values typed, defaults filled in when `withDefaults`.
 */
export function parseParameters(
  type: BackendType,
  input: Readonly<Record<string, unknown>>,
  withDefaults: boolean,
): Record<string, ParameterValue> {
  const out: Record<string, ParameterValue> = {};
  for (const [name, value] of Object.entries(input)) {
    if (value === undefined) continue;
    const spec = parameterSpec(type, name);
    if (spec === undefined) {
      throw new InvalidArgumentError(
        notAllowedMessage('parameter', name, `for ${type} managed keys`, parameterNames(type)),
        { field: name, allowed: parameterNames(type) },
      );
    }
    out[name] = parseOne(name, spec, value);
  }
  if (withDefaults) {
    for (const name of parameterNames(type)) {
      const d = parameterSpec(type, name)?.default;
      if (out[name] === undefined && d !== undefined) out[name] = d as ParameterValue;
    }
  }
  return out;
}

/** Checks required parameters (and one-of pairs) are present. */
export function checkRequired(type: BackendType, params: Parameters): void {
  for (const req of REQUIRED_PARAMETERS[type]) {
    const options = typeof req === 'string' ? [req] : req;
    if (!options.some((n) => params[n] !== undefined && params[n] !== '')) {
      const what = options.length === 1 ? (options[0] ?? '') : options.join(' or ');
      throw new MissingParameterError(`${type} managed keys need ${what}`, {
        field: options[0] ?? '',
        allowed: options,
      });
    }
  }
}

/** Splits secret parameters (sealed at rest) from the rest. */
export function splitSecrets(
  type: BackendType,
  params: Parameters,
): { plain: Record<string, ParameterValue>; secrets: Record<string, string> } {
  const plain: Record<string, ParameterValue> = {};
  const secrets: Record<string, string> = {};
  for (const [name, value] of Object.entries(params)) {
    if (parameterSpec(type, name)?.secret === true) secrets[name] = String(value);
    else plain[name] = value;
  }
  return { plain, secrets };
}
