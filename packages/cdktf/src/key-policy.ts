/**
 * `KeyPolicy.enforce(scope, policy)`: the org key policy as an Aspect. At synth it runs the
 * engine's `evaluatePolicy` — the same pure function the provider runs at plan and the engine on
 * every change — on every Keyplane construct under `scope`, so a violating PR fails at synth
 * with the construct path, the attribute and the allowed values.
 *
 * @module
 */
import {
  describeIntent,
  evaluatePolicy,
  parsePolicy,
  type Policy,
  type PolicyDocument,
} from '@keyplane/engine/policy';
import { Aspects, type IAspect } from 'cdktf';
import type { IConstruct } from 'constructs';
import { raiseProblems } from './errors';
import { POLICY_SUBJECT, isPolicySubject } from './policy-subject';

export interface KeyPolicyOptions {
  /** The namespace the stack's provider writes to (its `namespace`). @default 'root' */
  readonly namespace?: string;
}

export class KeyPolicy implements IAspect {
  /**
   * Enforces `policy` (a parsed Policy or the JSON document) on everything under `scope`.
   * A malformed document is refused here, before synth, by the engine's own parser.
   */
  static enforce(
    scope: IConstruct,
    policy: Policy | PolicyDocument,
    options: KeyPolicyOptions = {},
  ): KeyPolicy {
    const parsed = 'rulesFor' in policy ? policy : parsePolicy(policy);
    const aspect = new KeyPolicy(parsed, options.namespace ?? 'root');
    Aspects.of(scope).add(aspect);
    return aspect;
  }

  private constructor(
    readonly policy: Policy,
    readonly namespace: string,
  ) {}

  visit(node: IConstruct): void {
    if (!isPolicySubject(node)) return;
    const view = node[POLICY_SUBJECT]();
    if (view === undefined) return;
    const intent = { ...view.intent, namespace: this.namespace };
    const violations = evaluatePolicy(this.policy, intent);
    raiseProblems(
      node.node.path,
      violations.map((v) => ({
        code: v.code,
        prop: view.propOf(v.field),
        message: `${describeIntent(intent)}: ${v.message}`,
        allowed: v.allowed,
      })),
    );
  }
}
