/**
 * ApplyResourceChange: null planned state → Delete; null prior → Create; else Update
 * (terraform-plugin-framework `internal/fwserver/server_applyresourcechange.go`). The result is
 * checked against the plan (every known planned value identical, every unknown now known,
 * write-only values null) before it goes back to Terraform.
 *
 * @module
 */
import { asObject, isWhollyKnown, type CtyObject } from '../../protocol/cty/values';
import type {
  ApplyResourceChangeRequest,
  ApplyResourceChangeResponse,
} from '../../protocol/messages';
import { assertObjectCompatible } from '../consistency/object-compatible';
import type { StateResponse } from '../resource';
import { impliedType } from '../schema';
import { withoutWriteOnly, writeOnlyViolations } from '../walk';
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
import { formatPath } from '../../protocol/cty/path';

export async function applyResourceChange<C>(
  state: ServerState<C>,
  req: ApplyResourceChangeRequest,
): Promise<ApplyResourceChangeResponse> {
  const diags = newDiagnostics();
  const resource = findResource(state, req.typeName, diags);
  if (resource === undefined) return { diagnostics: diags.toWire() };
  const type = impliedType(resource.schema);
  const prior = asObject(decodeDynamic(req.priorState, type));
  const planned = asObject(decodeDynamic(req.plannedState, type));
  const base = { ctx: state.ctx, signal: state.stop.signal };
  if (planned === undefined) {
    if (prior !== undefined) {
      await guarded(diags, `Deleting ${resource.typeName} failed`, () =>
        resource.delete(
          { ...base, state: prior, private: req.plannedPrivate },
          { diagnostics: diags },
        ),
      );
    }
    // On failure the prior state stays, so Terraform keeps tracking the object.
    return {
      newState: encodeDynamic(diags.hasErrors() ? (prior ?? null) : null, type),
      diagnostics: diags.toWire(),
    };
  }
  const config = objectOrEmpty(decodeDynamic(req.config, type));
  const resp: StateResponse = { state: planned, private: req.plannedPrivate, diagnostics: diags };
  const what = prior === undefined ? 'Creating' : 'Updating';
  await guarded(diags, `${what} ${resource.typeName} failed`, () =>
    prior === undefined
      ? resource.create({ ...base, config, plan: planned }, resp)
      : resource.update(
          { ...base, config, plan: planned, state: prior, private: req.plannedPrivate },
          resp,
        ),
  );
  let result: CtyObject | null = resp.state;
  if (diags.hasErrors()) {
    // Keep whatever exists: a failed create with nothing made returns null (nothing to track).
    const keep =
      result !== null && isWhollyKnown(result) && result !== planned ? result : (prior ?? null);
    return {
      newState: encodeDynamic(keep === null ? null : withoutWriteOnly(resource.schema, keep), type),
      private: resp.private ?? req.plannedPrivate,
      diagnostics: diags.toWire(),
    };
  }
  if (result === null) {
    diags.error(
      `${what} ${resource.typeName} returned no object`,
      'This is a bug in terraform-provider-keyplane; please report it.',
    );
    return { diagnostics: diags.toWire() };
  }
  for (const at of writeOnlyViolations(resource.schema, result)) {
    reportViolations(state, diags, 'Provider returned a write-only value', resource.typeName, [
      { path: at, message: `${formatPath(at)}: write-only values are never stored` },
    ]);
  }
  result = objectOrEmpty(withoutWriteOnly(resource.schema, result));
  reportViolations(
    state,
    diags,
    'Provider produced an inconsistent result after apply',
    resource.typeName,
    assertObjectCompatible(resource.schema, planned, result),
  );
  return {
    newState: encodeDynamic(diags.hasErrors() ? (prior ?? null) : result, type),
    private: resp.private ?? req.plannedPrivate,
    diagnostics: diags.toWire(),
  };
}
