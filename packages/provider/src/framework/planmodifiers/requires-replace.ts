/**
 * requiresReplace(): a change to this attribute destroys and re-creates the resource
 * (terraform-plugin-framework `stringplanmodifier.RequiresReplace`). Only a real change counts:
 * nothing on create, nothing when the planned value equals state; an unknown planned value is
 * "maybe changed" and does count.
 *
 * @module
 */
import type { PlanModifier } from '../schema';

class RequiresReplace implements PlanModifier {
  readonly description =
    'If the value of this attribute changes, Terraform will destroy and recreate the resource.';

  modify(
    req: Parameters<PlanModifier['modify']>[0],
    resp: Parameters<PlanModifier['modify']>[1],
  ): void {
    if (req.state === undefined) return; // create
    resp.requiresReplace = true; // the planner keeps it only where state differs from plan
  }
}

export function requiresReplace(): PlanModifier {
  return new RequiresReplace();
}
