/**
 * useStateForUnknown(): a computed value that never changes after create keeps its prior value
 * instead of showing "(known after apply)" on every update (terraform-plugin-framework
 * `stringplanmodifier.UseStateForUnknown`).
 *
 * @module
 */
import { isUnknown } from '../../protocol/cty/values';
import type { PlanModifier } from '../schema';

class UseStateForUnknown implements PlanModifier {
  readonly description = 'Once set, the value of this attribute in state will not change.';

  modify(
    req: Parameters<PlanModifier['modify']>[0],
    resp: Parameters<PlanModifier['modify']>[1],
  ): void {
    if (req.state === undefined || req.state === null) return; // create, or nothing stored
    if (!isUnknown(req.plan)) return; // already decided
    if (req.config !== null) return; // the configuration decides (or is still unknown)
    resp.plan = req.state;
  }
}

export function useStateForUnknown(): PlanModifier {
  return new UseStateForUnknown();
}
