/**
 * The policy's typed errors: an invalid document is `ERR_INVALID_ARGUMENT` carrying every
 * problem; a refused intent is `ERR_POLICY_VIOLATION` carrying every violation. `field` and
 * `allowed` hold the first one's, so tools that show one diagnostic still point at something
 * real; tools that can show several (the provider, the CLI) read the full lists.
 *
 * @module
 */
import { InvalidArgumentError, KeyplaneError } from '../errors';
import type { PolicyViolationCode } from './rules';
import type { PolicyProblem } from './value-kinds';

/** One refusal of an intent by the policy. */
export interface PolicyViolation {
  /** Stable code, e.g. `POLICY_KEY_TYPE_NOT_ALLOWED`. */
  readonly code: PolicyViolationCode;
  /** Path of the offending intent field: `type`, `purpose[1]`, `parameters.key_bits`. */
  readonly field: string;
  /** Path of the rule in the policy document: `namespaces[0].rules.allowed_key_types`. */
  readonly rule: string;
  /** The namespace whose rules were applied. */
  readonly namespace: string;
  /** The offending value as text; absent when the field is unset. */
  readonly value?: string;
  /** The values the rule accepts, in the field's own vocabulary. */
  readonly allowed?: readonly string[];
  /** One sentence naming the field, the value, the namespace, the rule and the allowed values. */
  readonly message: string;
}

function summary(items: readonly { readonly message: string }[]): string {
  return items.map((i) => i.message).join('; ');
}

/** A policy document failed validation. */
export class PolicyDocumentError extends InvalidArgumentError {
  readonly problems: readonly PolicyProblem[];

  constructor(problems: readonly PolicyProblem[]) {
    const first = problems[0];
    const count = problems.length === 1 ? '' : ` (${problems.length} problems)`;
    super(`invalid policy document${count}: ${summary(problems)}`, {
      ...(first === undefined ? {} : { field: first.path }),
      ...(first?.allowed === undefined ? {} : { allowed: first.allowed }),
    });
    this.problems = problems;
  }
}

/** The policy refuses an intent (create, update, distribute). */
export class PolicyViolationError extends KeyplaneError {
  static readonly code = 'ERR_POLICY_VIOLATION';
  readonly code = PolicyViolationError.code;
  readonly violations: readonly PolicyViolation[];

  /** `subject` names what was refused: `key 'payments'`, `KMS connection 'aws-eu'`. */
  constructor(subject: string, violations: readonly PolicyViolation[]) {
    const first = violations[0];
    super(`policy refuses ${subject}: ${summary(violations)}`, {
      ...(first === undefined ? {} : { field: first.field }),
      ...(first?.allowed === undefined ? {} : { allowed: first.allowed }),
    });
    this.violations = violations;
  }
}
