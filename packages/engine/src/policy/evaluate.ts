/**
 * `evaluatePolicy(policy, intent)`: the one pure function the engine (on every create, update
 * and distribute), the Terraform provider (at plan) and the CDKTF constructs (at synth, through
 * an Aspect) run, so a refusal reads the same everywhere. No I/O, no clock, no Node-only API.
 *
 * @module
 */
import { listAllowed } from '../errors';
import { resolvedRules, type Policy } from './document';
import { PolicyViolationError, type PolicyViolation } from './errors';
import { factsOf } from './facts';
import type { PolicyIntent, PolicyIntentKind } from './intents';
import { RULES, type Finding } from './rules';

function message(finding: Finding, namespace: string, rule: string): string {
  const value = finding.value === undefined ? '' : ` '${finding.value}'`;
  const allowed =
    finding.allowed === undefined
      ? ''
      : `; allowed: ${finding.allowed.length === 0 ? 'none' : listAllowed(finding.allowed)}`;
  return `${finding.field}${value} ${finding.reason} in namespace '${namespace}' (policy rule ${rule})${allowed}`;
}

/**
 * Every violation of `policy` by `intent`, in rule order (empty = allowed). Values the engine
 * does not know at all (an unknown key type or provider, a malformed `rotation_period`) throw
 * the engine's typed errors instead: they are input errors, not policy decisions.
 */
export function evaluatePolicy(policy: Policy, intent: PolicyIntent): readonly PolicyViolation[] {
  const facts = factsOf(intent);
  const violations: PolicyViolation[] = [];
  for (const inForce of resolvedRules(policy, facts.namespace)) {
    const row = RULES[inForce.rule];
    row.check(inForce.parsed, facts, (finding) => {
      violations.push({
        code: row.code,
        field: finding.field,
        rule: inForce.path,
        namespace: facts.namespace,
        ...(finding.value === undefined ? {} : { value: finding.value }),
        ...(finding.allowed === undefined ? {} : { allowed: finding.allowed }),
        message: message(finding, facts.namespace, inForce.path),
      });
    });
  }
  return violations;
}

const SUBJECTS: {
  readonly [K in PolicyIntentKind]: (i: Extract<PolicyIntent, { kind: K }>) => string;
} = {
  key: (i) => `key '${i.name}'`,
  distribution: (i) => `distribution of key '${i.key}' to KMS '${i.kms}'`,
  kms: (i) => `KMS connection '${i.name}'`,
  managed_key: (i) => `managed key '${i.name}'`,
};

/** What an intent is about, for messages: `key 'payments'`, `KMS connection 'aws-eu'`. */
export function describeIntent(intent: PolicyIntent): string {
  return (SUBJECTS[intent.kind] as (i: PolicyIntent) => string)(intent);
}

/** The engine's typed error for violations of one intent (`ERR_POLICY_VIOLATION`). */
export function policyViolationError(
  intent: PolicyIntent,
  violations: readonly PolicyViolation[],
): PolicyViolationError {
  return new PolicyViolationError(describeIntent(intent), violations);
}

/**
 * Throws {@link PolicyViolationError} with every violation when the policy refuses the intent;
 * does nothing without a policy. The engine calls this before it changes anything.
 */
export function enforcePolicy(policy: Policy | undefined, intent: PolicyIntent): void {
  if (policy === undefined) return;
  const violations = evaluatePolicy(policy, intent);
  if (violations.length > 0) throw policyViolationError(intent, violations);
}
