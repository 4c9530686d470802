/**
 * The policy rules, as one table: each row is the rule's value shape (which yields its JSON
 * Schema and its validation), its stable violation code, its documentation, and the check it
 * runs on an intent's facts. An absent (or `null`) rule constrains nothing.
 *
 * Every allowed-value list comes from the engine's own tables (key types, providers, purposes,
 * protections, managed-key usages and flags), so the policy can never name a value the engine
 * does not know, and grows with the tables.
 *
 * @module
 */
import { PROTECTIONS, PURPOSES, type Protection, type Purpose } from '../algorithms/clouds';
import { KEY_TYPE_NAMES, KEY_TYPES, type KeyType, type KeyTypeName } from '../algorithms/key-types';
import { BACKEND_TYPES, KEY_USAGES, type BackendType, type KeyUsage } from '../backends/contract';
import { formatDuration } from '../duration';
import type { Facts } from './facts';
import { MANAGED_KEY_FLAGS } from './facts';
import type { NamePattern } from './patterns';
import {
  flag,
  integerAtLeast,
  listOf,
  mapOf,
  patternList,
  positiveDuration,
  type JsonSchema,
  type ParsedDuration,
  type PolicyProblem,
  type ValueKind,
} from './value-kinds';

/** Stable violation codes: callers branch on these, never on messages. */
export type PolicyViolationCode =
  | 'POLICY_KEY_TYPE_NOT_ALLOWED'
  | 'POLICY_RSA_KEY_TOO_SMALL'
  | 'POLICY_CURVE_NOT_ALLOWED'
  | 'POLICY_ORIGIN_NOT_ALLOWED'
  | 'POLICY_ROTATION_PERIOD_REQUIRED'
  | 'POLICY_ROTATION_PERIOD_TOO_LONG'
  | 'POLICY_DELETION_PROTECTION_REQUIRED'
  | 'POLICY_PROVIDER_NOT_ALLOWED'
  | 'POLICY_KEY_COLLECTION_NOT_ALLOWED'
  | 'POLICY_PROTECTION_NOT_ALLOWED'
  | 'POLICY_PURPOSE_NOT_ALLOWED'
  | 'POLICY_MANAGED_KEY_BACKEND_NOT_ALLOWED'
  | 'POLICY_MANAGED_KEY_USAGE_NOT_ALLOWED'
  | 'POLICY_MANAGED_KEY_FLAG_DENIED';

/** Curve names as JOSE spells them (RFC 7518 §6.2.1.1; Ed25519: RFC 8037 §2). */
export type CurveName = 'P-256' | 'P-384' | 'P-521' | 'Ed25519';
export type OriginKind = 'software' | 'hsm';
/** The boolean generic managed-key parameters. */
export type ManagedKeyFlag =
  'allow_generate_key' | 'allow_replace_key' | 'allow_store_key' | 'any_mount';

type PerProvider<T> = Readonly<Partial<Record<BackendType, T>>>;

/** The rules of a policy document (top level, or one namespace override). */
export interface PolicyRules {
  readonly allowed_key_types?: readonly KeyTypeName[] | null;
  readonly min_rsa_bits?: number | null;
  readonly allowed_curves?: readonly CurveName[] | null;
  readonly allowed_origins?: readonly OriginKind[] | null;
  readonly require_rotation_period?: boolean | null;
  /** A duration such as `2160h` or `90d`. */
  readonly max_rotation_period?: string | null;
  readonly require_deletion_protection?: boolean | null;
  readonly allowed_providers?: readonly BackendType[] | null;
  /** Name patterns per provider (`eu-*`, `projects/acme/**`). */
  readonly allowed_key_collections?: PerProvider<readonly string[]> | null;
  readonly allowed_protections?: readonly Protection[] | null;
  readonly allowed_purposes?: PerProvider<readonly Purpose[]> | null;
  readonly allowed_managed_key_backends?: readonly BackendType[] | null;
  readonly allowed_managed_key_usages?: readonly KeyUsage[] | null;
  readonly denied_managed_key_flags?: readonly ManagedKeyFlag[] | null;
}

export type PolicyRuleName = keyof PolicyRules;

/** What a check reports; the evaluator adds the code, rule path, namespace and message. */
export interface Finding {
  readonly field: string;
  /** The offending value as text; omitted when the field is unset. */
  readonly value?: string;
  /** Why, completing "<field> '<value>' …", e.g. `is not an allowed key type`. */
  readonly reason: string;
  readonly allowed?: readonly string[];
}

export type Report = (finding: Finding) => void;

export interface RuleRow {
  readonly code: PolicyViolationCode;
  /** One sentence: published in the JSON Schema. */
  readonly description: string;
  readonly schema: JsonSchema;
  /** Validates the rule's value in a document; undefined when invalid (problems pushed). */
  parse(value: unknown, path: string, problems: PolicyProblem[]): unknown;
  /** Runs the rule on an intent's facts, given the value `parse` returned. */
  check(value: unknown, facts: Facts, report: Report): void;
}

function rule<T>(
  kind: ValueKind<T>,
  code: PolicyViolationCode,
  description: string,
  check: (value: T, facts: Facts, report: Report) => void,
): RuleRow {
  return {
    code,
    description,
    schema: kind.schema,
    parse: (value, path, problems) => kind.parse(value, path, problems),
    // `value` is what this row's own `parse` returned, hence a T.
    check: (value, facts, report) => {
      check(value as T, facts, report);
    },
  };
}

/** A key type judgement: which types the rule speaks about and which of those it accepts. */
interface TypeJudgement {
  readonly relevant: (type: KeyType) => boolean;
  readonly accepts: (type: KeyType) => boolean;
  readonly reason: (type: KeyType) => string;
}

/** Rules on key types look at every key type the intent involves, in each field's vocabulary. */
function keyTypeRule<T>(
  kind: ValueKind<T>,
  code: PolicyViolationCode,
  description: string,
  judge: (value: T) => TypeJudgement,
): RuleRow {
  return rule(kind, code, description, (value, facts, report) => {
    const { relevant, accepts, reason } = judge(value);
    for (const fact of facts.keyTypes) {
      if (!relevant(fact.type) || accepts(fact.type)) continue;
      const allowed = fact.vocabulary
        .filter((s) => relevant(s.type) && accepts(s.type))
        .map((s) => s.spelling);
      report({ field: fact.field, value: fact.value, reason: reason(fact.type), allowed });
    }
  });
}

/** Ed25519 has no `curve` column in KEY_TYPES (it is its own family); JOSE calls it Ed25519. */
const FAMILY_CURVES: Readonly<Partial<Record<KeyType['family'], CurveName>>> = {
  ed25519: 'Ed25519',
};

export function curveOf(type: KeyType): CurveName | undefined {
  return type.family === 'ecdsa' ? type.curve : FAMILY_CURVES[type.family];
}

export const CURVE_NAMES: readonly CurveName[] = [
  ...new Set(Object.values(KEY_TYPES).flatMap((t) => curveOf(t) ?? [])),
];

const ORIGINS: readonly OriginKind[] = ['software', 'hsm'];
const FALSE: readonly string[] = ['false'];

/** Checks each item of a list fact against an allowed list. */
function eachAllowed(
  items: readonly { readonly field: string; readonly value: string }[] | undefined,
  allowed: readonly string[],
  reason: string,
  report: Report,
): void {
  for (const item of items ?? []) {
    if (!allowed.includes(item.value)) report({ ...item, reason, allowed });
  }
}

/** The rules in documentation order. */
export const RULES: Readonly<Record<PolicyRuleName, RuleRow>> = {
  allowed_key_types: keyTypeRule(
    listOf(KEY_TYPE_NAMES),
    'POLICY_KEY_TYPE_NOT_ALLOWED',
    'Key types allowed for central keys, distributions and managed keys.',
    (allowed) => ({
      relevant: () => true,
      accepts: (t) => allowed.includes(t.name),
      reason: () => 'is not an allowed key type',
    }),
  ),
  min_rsa_bits: keyTypeRule(
    integerAtLeast(1),
    'POLICY_RSA_KEY_TOO_SMALL',
    'Smallest RSA modulus, in bits.',
    (min) => ({
      relevant: (t) => t.family === 'rsa',
      accepts: (t) => t.bits >= min,
      reason: (t) => `is a ${t.bits}-bit RSA key; the minimum is ${min} bits`,
    }),
  ),
  allowed_curves: keyTypeRule(
    listOf(CURVE_NAMES),
    'POLICY_CURVE_NOT_ALLOWED',
    'Elliptic curves allowed (JOSE names).',
    (allowed) => ({
      relevant: (t) => curveOf(t) !== undefined,
      accepts: (t) => {
        const curve = curveOf(t);
        return curve !== undefined && allowed.includes(curve);
      },
      reason: (t) => `uses curve ${curveOf(t) ?? ''}, which is not allowed`,
    }),
  ),
  allowed_origins: rule(
    listOf(ORIGINS),
    'POLICY_ORIGIN_NOT_ALLOWED',
    "Where central keys may be generated: 'software' (sealed in the store) or 'hsm' (inside a PKCS#11 token).",
    (allowed, facts, report) => {
      eachAllowed(facts.origin && [facts.origin], allowed, 'is not an allowed key origin', report);
    },
  ),
  require_rotation_period: rule(
    flag,
    'POLICY_ROTATION_PERIOD_REQUIRED',
    'Central keys must have a non-zero rotation_period.',
    (required, { rotation }, report) => {
      if (!required || rotation === undefined || rotation.value > 0) return;
      report({
        field: rotation.field,
        ...(rotation.text === undefined ? {} : { value: rotation.text }),
        reason:
          rotation.text === undefined
            ? 'is not set; a rotation period is required'
            : 'disables rotation; a rotation period is required',
      });
    },
  ),
  max_rotation_period: rule(
    positiveDuration,
    'POLICY_ROTATION_PERIOD_TOO_LONG',
    'Longest rotation_period a central key may set (e.g. 2160h); combine with require_rotation_period to require one.',
    (max: ParsedDuration, { rotation }, report) => {
      if (rotation === undefined || rotation.value <= max.seconds) return;
      report({
        field: rotation.field,
        value: rotation.text ?? formatDuration(rotation.value),
        reason: `is longer than the maximum rotation period ${max.text}`,
        allowed: [`≤ ${max.text}`],
      });
    },
  ),
  require_deletion_protection: rule(
    flag,
    'POLICY_DELETION_PROTECTION_REQUIRED',
    'Central keys must keep deletion_allowed=false (typical for production namespaces).',
    (required, { deletionAllowed }, report) => {
      if (!required || deletionAllowed?.value !== true) return;
      report({
        field: deletionAllowed.field,
        value: 'true',
        reason: 'is not allowed: deletion protection is required',
        allowed: FALSE,
      });
    },
  ),
  allowed_providers: rule(
    listOf(BACKEND_TYPES),
    'POLICY_PROVIDER_NOT_ALLOWED',
    'KMS providers that KMS connections and distributions may use.',
    (allowed, { provider }, report) => {
      eachAllowed(provider && [provider], allowed, 'is not an allowed KMS provider', report);
    },
  ),
  allowed_key_collections: rule(
    mapOf('provider', BACKEND_TYPES, patternList),
    'POLICY_KEY_COLLECTION_NOT_ALLOWED',
    'Per provider, name patterns of the key collections (AWS region, Azure vault, GCP key ring id, PKCS#11 token label) keys may live in; a provider not listed is not constrained.',
    (byProvider: PerProvider<readonly NamePattern[]>, { keyCollection: at }, report) => {
      const patterns = at === undefined ? undefined : byProvider[at.provider];
      if (at === undefined || patterns === undefined) return;
      const allowed = patterns.map((p) => p.source);
      if (at.value === undefined) {
        report({
          field: at.field,
          reason: `is not set, so the ${at.provider} key collection cannot be checked`,
          allowed,
        });
      } else if (!patterns.some((p) => p.matches(at.value ?? ''))) {
        report({
          field: at.field,
          value: at.value,
          reason: `is not an allowed ${at.provider} key collection`,
          allowed,
        });
      }
    },
  ),
  allowed_protections: rule(
    listOf(PROTECTIONS),
    'POLICY_PROTECTION_NOT_ALLOWED',
    "Protection levels distributions may ask for ('hsm' to require HSM-backed cloud keys).",
    (allowed, { protection }, report) => {
      eachAllowed(
        protection && [protection],
        allowed,
        'is not an allowed protection level',
        report,
      );
    },
  ),
  allowed_purposes: rule(
    mapOf('provider', BACKEND_TYPES, listOf(PURPOSES)),
    'POLICY_PURPOSE_NOT_ALLOWED',
    'Per provider, the purposes a distribution may grant; a provider not listed is not constrained.',
    (byProvider: PerProvider<readonly Purpose[]>, { purposes }, report) => {
      const allowed = purposes === undefined ? undefined : byProvider[purposes.provider];
      if (purposes === undefined || allowed === undefined) return;
      eachAllowed(
        purposes.items,
        allowed,
        `is not an allowed purpose on ${purposes.provider}`,
        report,
      );
    },
  ),
  allowed_managed_key_backends: rule(
    listOf(BACKEND_TYPES),
    'POLICY_MANAGED_KEY_BACKEND_NOT_ALLOWED',
    'Backend types managed keys may use.',
    (allowed, { managedBackend }, report) => {
      eachAllowed(
        managedBackend && [managedBackend],
        allowed,
        'is not an allowed managed key backend',
        report,
      );
    },
  ),
  allowed_managed_key_usages: rule(
    listOf(KEY_USAGES),
    'POLICY_MANAGED_KEY_USAGE_NOT_ALLOWED',
    "Usages a managed key may declare (its 'usages' parameter, default sign,verify).",
    (allowed, { managedUsages }, report) => {
      eachAllowed(managedUsages, allowed, 'is not an allowed managed key usage', report);
    },
  ),
  denied_managed_key_flags: rule(
    listOf(MANAGED_KEY_FLAGS as readonly ManagedKeyFlag[]),
    'POLICY_MANAGED_KEY_FLAG_DENIED',
    'Boolean managed-key parameters that must not be true (e.g. allow_store_key, any_mount).',
    (denied, { managedFlags }, report) => {
      for (const f of managedFlags ?? []) {
        if ((denied as readonly string[]).includes(f.value)) {
          report({ field: f.field, value: 'true', reason: 'is denied by policy', allowed: FALSE });
        }
      }
    },
  ),
};

export const POLICY_RULE_NAMES = Object.keys(RULES) as readonly PolicyRuleName[];
