/**
 * PlanResourceChange: decode → plan (framework rules + the resource's ModifyPlan) → check the
 * plan against Terraform's validity rules → encode.
 *
 * @module
 */
import { formatPath, pathToWire } from '../../protocol/cty/path';
import { asObject, type CtyObject } from '../../protocol/cty/values';
import type {
  PlanResourceChangeRequest,
  PlanResourceChangeResponse,
} from '../../protocol/messages';
import { assertPlanValid } from '../consistency/plan-valid';
import { planBlock } from '../plan';
import { canModifyPlan, type ModifyPlanResponse } from '../resource';
import { impliedType } from '../schema';
import { writeOnlyViolations } from '../walk';
import {
  decodeDynamic,
  encodeDynamic,
  findResource,
  guarded,
  newDiagnostics,
  objectOrEmpty,
  reportViolations,
  type ServerState,
} from './context';

export async function planResourceChange<C>(
  state: ServerState<C>,
  req: PlanResourceChangeRequest,
): Promise<PlanResourceChangeResponse> {
  const diags = newDiagnostics();
  const resource = findResource(state, req.typeName, diags);
  if (resource === undefined) return { requiresReplace: [], diagnostics: diags.toWire() };
  const type = impliedType(resource.schema);
  let response: PlanResourceChangeResponse = { requiresReplace: [], diagnostics: [] };
  await guarded(diags, `Planning ${resource.typeName} failed`, async () => {
    const prior = asObject(decodeDynamic(req.priorState, type));
    const proposed = decodeDynamic(req.proposedNewState, type);
    const config = objectOrEmpty(decodeDynamic(req.config, type));
    if (proposed === null) {
      // Destroy (only asked when plan_destroy is on): nothing to plan.
      response = {
        plannedState: encodeDynamic(null, type),
        requiresReplace: [],
        plannedPrivate: req.priorPrivate,
        diagnostics: [],
      };
      return;
    }
    if (req.clientCapabilities?.writeOnlyAttributesAllowed !== true) {
      // Terraform < 1.11 would treat a write-only attribute as an ordinary one and keep it.
      for (const at of writeOnlyViolations(resource.schema, config)) {
        diags.error(
          'Write-only attribute needs Terraform 1.11 or later',
          `${formatPath(at)} is write-only: this Terraform cannot keep it out of plan and state. Upgrade to Terraform >= 1.11.`,
          at,
        );
      }
      if (diags.hasErrors()) return;
    }
    const { planned, requiresReplace } = planBlock(resource.schema, config, prior, proposed, diags);
    const mod: ModifyPlanResponse = {
      plan: objectOrEmpty(planned),
      requiresReplace,
      private: req.priorPrivate,
      diagnostics: diags,
    };
    if (canModifyPlan(resource) && !diags.hasErrors()) {
      await resource.modifyPlan(
        {
          config,
          state: prior,
          private: req.priorPrivate,
          ctx: state.ctx,
          signal: state.stop.signal,
        },
        mod,
      );
    }
    const plan: CtyObject = mod.plan;
    reportViolations(
      state,
      diags,
      'Provider produced an invalid plan',
      resource.typeName,
      assertPlanValid(resource.schema, prior, config, plan),
    );
    response = {
      plannedState: encodeDynamic(plan, type),
      requiresReplace: prior === undefined ? [] : mod.requiresReplace.map(pathToWire),
      plannedPrivate: mod.private ?? req.priorPrivate,
      diagnostics: [],
    };
  });
  return { ...response, diagnostics: diags.toWire() };
}
