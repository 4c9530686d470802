/**
 * `ManagedKey`: a key that stays in its backend (PKCS#11 HSM, AWS KMS, Azure Key Vault, GCP
 * Cloud KMS), registered with Keyplane (`keyplane_managed_key`, Vault `/sys/managed-keys`).
 * Props are checked at synth by the engine's own parameter validator, the one the provider runs
 * at plan, so a PR fails at synth with the same refusals, naming the construct path and prop.
 *
 * @module
 */
import { managedKey } from '@keyplane/cdktf/gen';
import {
  GENERIC_PARAMETERS,
  managedKeyParameters,
  validateParameters,
  type ParameterRow,
} from '@keyplane/engine/managed-parameters';
import type { ManagedKeyIntent } from '@keyplane/engine/policy';
import { Token } from 'cdktf';
import { Construct, type IConstruct } from 'constructs';
import { blankProblems, raiseProblems, type ConstructProblem } from './errors';
import type { ManagedKeyBackend, ManagedKeyType } from './managed-key-backends';
import { imported } from './imported';
import { camelCase } from './names';
import { POLICY_SUBJECT, type PolicySubject, type PolicyView } from './policy-subject';
import { secretProblem, type SecretVariable } from './secrets';

/** A managed key this stack owns or one imported by name. */
export interface IManagedKey extends IConstruct {
  /** The managed key's name (a reference for owned keys, so dependants are created after it). */
  readonly managedKeyName: string;
}

export interface ManagedKeyProps {
  /** Name, unique in the provider's namespace. Changing it replaces the managed key. */
  readonly name: string;
  /** The backend and its parameters: `ManagedKeyBackend.pkcs11({...})`, `.awsKms`, … */
  readonly backend: ManagedKeyBackend;
  /** Allowed usages (sign, verify, encrypt, decrypt, wrap, unwrap, …). @default ['sign', 'verify'] */
  readonly usages?: readonly string[];
  /** Generate the key in the backend when it is missing. @default false */
  readonly allowGenerateKey?: boolean;
  /** Allow replacing the backend key by an import. @default false */
  readonly allowReplaceKey?: boolean;
  /** Allow importing a key into the backend. @default false */
  readonly allowStoreKey?: boolean;
  /** Usable by any consumer in the namespace. @default false */
  readonly anyMount?: boolean;
  /** Sign and verify a test digest on create. @default - the provider's default */
  readonly testSign?: boolean;
}

/** Stand-in for a secret the engine only needs to know is present (secrets are never read here). */
const SECRET_PRESENT = 'present';

const isToken = (v: unknown): boolean =>
  Token.isUnresolved(v) || (Array.isArray(v) && v.some((x) => Token.isUnresolved(x)));

interface CheckedManagedKey {
  /** keyplane_managed_key's L1 config, camelCased attribute names. */
  readonly config: Record<string, unknown>;
  /** The parameters known at synth (no secrets), for the policy. */
  readonly known: Record<string, unknown>;
  /** The prop a parameter name was given in (`backend.keyBits`, `usages`). */
  readonly propOf: (name: string) => string;
}

/** Checks props against the engine's table; throws every problem at once. Pure. */
function checkManagedKey(path: string, props: ManagedKeyProps): CheckedManagedKey {
  const type: ManagedKeyType = props.backend.type;
  const rows = managedKeyParameters(type);
  const backendProps = props.backend.props as Readonly<Record<string, unknown>>;
  const genericProps = props as unknown as Readonly<Record<string, unknown>>;
  const problems: ConstructProblem[] = [...blankProblems('name', props.name)];
  const backendNames = backendPropNames(rows);
  const propOf = (name: string) =>
    backendNames.has(camelCase(name)) ? `backend.${camelCase(name)}` : camelCase(name);

  for (const prop of Object.keys(backendProps).filter((p) => !backendNames.has(p))) {
    const allowed = [...backendNames];
    problems.push({
      code: 'ERR_INVALID_ARGUMENT',
      prop: `backend.${prop}`,
      message: `'${prop}' is not a prop of ${type} managed keys; allowed: ${allowed.join(', ')}`,
      allowed,
    });
  }

  const config: Record<string, unknown> = { name: props.name, type };
  const input: Record<string, unknown> = {};
  const known: Record<string, unknown> = {};
  const unresolved = new Set<string>();
  for (const row of rows) {
    const camel = camelCase(row.name);
    const source = backendNames.has(camel) ? backendProps : genericProps;
    const value = source[camel];
    if (value === undefined) continue;
    if (row.sensitive) {
      // Present even when refused: "missing" would be noise next to the refusal.
      input[row.name] = SECRET_PRESENT;
      const refusal = secretProblem(propOf(row.name), value);
      if (refusal !== undefined) {
        problems.push(refusal);
        continue;
      }
      config[`${camel}Wo`] = (value as SecretVariable).stringValue;
      config[`${camel}WoVersion`] = source[`${camel}Version`] ?? 1;
      continue;
    }
    config[camel] = Array.isArray(value) ? [...(value as unknown[])] : value;
    input[row.name] = value;
    if (isToken(value)) unresolved.add(row.name);
    else known[row.name] = value;
  }
  // A cross-parameter rule reading a reference (an endpoint from another resource) is left to
  // plan, where its value is known.
  if (unresolved.has('endpoint')) unresolved.add('insecure');
  if (props.testSign !== undefined) config.testSign = props.testSign;

  const checked = validateParameters(type, input, { defaults: false, complete: true });
  for (const d of checked.diagnostics) {
    if (d.field !== undefined && unresolved.has(d.field)) continue;
    problems.push({
      code: d.code,
      prop: propOf(d.field ?? ''),
      message: d.message,
      allowed: d.allowed,
    });
  }
  problems.push(...canonicalSpelling(rows, known, checked.values, propOf));
  raiseProblems(path, problems);
  return { config, known, propOf };
}

/**
 * The engine accepts any case for enumerated values (Vault compatibility) and stores the
 * canonical one; Terraform compares exactly, so only that spelling keeps plans empty, and the
 * provider refuses the others at plan — so does synth.
 */
function canonicalSpelling(
  rows: readonly ParameterRow[],
  known: Readonly<Record<string, unknown>>,
  canonical: Readonly<Record<string, unknown>>,
  propOf: (name: string) => string,
): ConstructProblem[] {
  return rows
    .filter((row) => row.allowed !== undefined && typeof known[row.name] === 'string')
    .filter((row) => canonical[row.name] !== undefined && canonical[row.name] !== known[row.name])
    .map((row) => ({
      code: 'ERR_INVALID_ARGUMENT',
      prop: propOf(row.name),
      message: `${row.name} '${String(known[row.name])}' must be written '${String(canonical[row.name])}'`,
      allowed: row.allowed,
    }));
}

const GENERIC_NAMES: ReadonlySet<string> = new Set(Object.keys(GENERIC_PARAMETERS));

/** The backend's own props: camelCased parameter names, secrets with their `…Version`. */
function backendPropNames(rows: readonly ParameterRow[]): ReadonlySet<string> {
  return new Set(
    rows
      .filter((row) => !GENERIC_NAMES.has(row.name))
      .flatMap((row) => {
        const camel = camelCase(row.name);
        return row.sensitive ? [camel, `${camel}Version`] : [camel];
      }),
  );
}

export class ManagedKey extends Construct implements IManagedKey, PolicySubject {
  /** Refers to a managed key created elsewhere (another stack, the CLI), by name. */
  static fromName(scope: Construct, id: string, managedKeyName: string): IManagedKey {
    return imported(scope, id, 'managedKeyName', { managedKeyName });
  }

  readonly managedKeyType: ManagedKeyType;
  /** The L1 resource, for escape hatches. */
  readonly resource: managedKey.ManagedKey;
  private readonly policyView: PolicyView;

  constructor(scope: Construct, id: string, props: ManagedKeyProps) {
    const checked = checkManagedKey(`${scope.node.path}/${id}`, props);
    super(scope, id);
    this.resource = new managedKey.ManagedKey(
      this,
      'Resource',
      checked.config as unknown as managedKey.ManagedKeyConfig,
    );
    this.managedKeyType = props.backend.type;
    const intent: ManagedKeyIntent = {
      kind: 'managed_key',
      name: props.name,
      type: props.backend.type,
      parameters: checked.known,
    };
    // Policy fields: `type` is the backend, `parameters.x` the prop x was given in.
    const propOf = (field: string) =>
      field === 'type'
        ? 'backend'
        : checked.propOf(field.replace(/^parameters\./, '').replace(/\[\d+\]$/, ''));
    this.policyView = { intent, propOf };
  }

  // References are built on access (tokens nobody reads cost synth time).
  get managedKeyName(): string {
    return this.resource.id;
  }

  /** The backend key version in use (computed). */
  get keyVersion(): string {
    return this.resource.keyVersion;
  }

  [POLICY_SUBJECT](): PolicyView {
    return this.policyView;
  }
}
