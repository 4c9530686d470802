/**
 * The provider block's key policy at plan: the engine's own `evaluatePolicy` over what the plan
 * would create or change, each violation a diagnostic on the attribute it is about, so a refusal
 * shows in `terraform plan` (review) and not first at apply. The engine enforces the same
 * policy again at apply (LifecycleContext), where values unknown at plan are known.
 *
 * @module
 */
import type { PolicyIntent } from '@keyplane/engine/policy';
import type { Diagnostics } from '../framework/diagnostics';
import { path } from '../protocol/cty/path';
import type { ProviderContext } from '../provider/context';
import { enginePolicy } from '../provider/engine';

type Intent = PolicyIntent extends infer I
  ? I extends PolicyIntent
    ? Omit<I, 'namespace'>
    : never
  : never;

export function checkPolicyAtPlan(
  ctx: ProviderContext,
  intent: Intent,
  diags: Diagnostics,
  attributeOf: (field: string) => string | undefined,
): void {
  const policy = ctx.config.policy?.parsed;
  if (policy === undefined) return;
  let violations;
  try {
    violations = enginePolicy().evaluatePolicy(policy, {
      ...intent,
      namespace: ctx.config.namespace,
    });
  } catch {
    return; // a value the engine does not know: the resource's own validation names it
  }
  for (const v of violations) {
    const name = attributeOf(v.field);
    diags.error(
      'Policy violation',
      `${v.message} [${v.code}]`,
      name === undefined ? undefined : path.root(name),
    );
  }
}
