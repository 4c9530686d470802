/**
 * `managed-key create <type> --help`: the parameters of one backend, generated from the engine's
 * parameter table (the same rows the validator and the Terraform provider's schema use), so help
 * cannot drift from what is accepted.
 *
 * @module
 */
import {
  BACKEND_TYPES,
  GENERIC_PARAMETERS,
  managedKeyParameters,
  type BackendType,
  type ParameterRow,
} from '@keyplane/engine';

const VAULT_DOCS = 'https://developer.hashicorp.com/vault/api-docs/system/managed-keys';

/** `required`, `one of a, b`, the default, allowed values, sensitive / Keyplane markers. */
function facts(row: ParameterRow): string {
  const def = Array.isArray(row.default) ? row.default.join(',') : row.default;
  return [
    row.required ? 'required' : '',
    row.atLeastOneOf ? `required: one of ${row.atLeastOneOf.join(', ')}` : '',
    def === undefined ? '' : `default ${String(def)}`,
    row.allowed && row.kind !== 'usages' ? `one of: ${row.allowed.join(', ')}` : '',
    row.range ? `${String(row.range[0])}-${String(row.range[1])}` : '',
    row.sensitive ? 'sensitive: use @file or -' : '',
    row.keyplane ? 'Keyplane addition' : '',
  ]
    .filter((s) => s !== '')
    .join('; ');
}

function table(rows: readonly ParameterRow[]): string[] {
  const width = Math.max(...rows.map((r) => r.name.length)) + 4;
  return rows.map((row) => {
    const extra = facts(row);
    return `  ${row.name.padEnd(width)}${row.description}${extra === '' ? '' : ` (${extra})`}`;
  });
}

/** Help for the parameters of `type`, or the generic ones and how to see a backend's. */
export function parameterHelp(type: string | undefined): string {
  const known = (BACKEND_TYPES as readonly string[]).includes(type ?? '');
  if (!known) {
    const generic = Object.keys(GENERIC_PARAMETERS);
    return [
      "Generic parameters (Vault's /sys/managed-keys parameters, every type):",
      ...table(managedKeyParameters('pkcs11').filter((r) => generic.includes(r.name))),
      '',
      `Backend parameters: keyplane managed-key create <type> --help (${BACKEND_TYPES.join(', ')}).`,
      `Reference: ${VAULT_DOCS}`,
    ].join('\n');
  }
  return [
    `Parameters for ${String(type)} (Vault's /sys/managed-keys parameters):`,
    ...table(managedKeyParameters(type as BackendType)),
    '',
    `Reference: ${VAULT_DOCS}`,
  ].join('\n');
}
