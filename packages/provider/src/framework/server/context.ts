/**
 * What every RPC handler shares: the provider definition, the configured context, the
 * StopProvider signal, the logger, and the DynamicValue codec helpers.
 *
 * @module
 */
import { decodeJson } from '../../protocol/cty/json';
import { decodeMsgpack, encodeMsgpack } from '../../protocol/cty/msgpack';
import type { CtyType } from '../../protocol/cty/types';
import { asObject, type CtyObject, type CtyValue } from '../../protocol/cty/values';
import type { Logger } from '../../protocol/logging';
import type { ClientCapabilities, DynamicValue } from '../../protocol/messages';
import type { DataSource } from '../data-source';
import { Diagnostics, errorDiagnostic } from '../diagnostics';
import type { ProviderDefinition } from '../provider';
import type { Resource } from '../resource';
import type { Violation } from '../consistency/plan-valid';

export interface ServerState<Ctx> {
  readonly definition: ProviderDefinition<Ctx>;
  readonly logger: Logger;
  /**
   * Also raise consistency violations as errors to the test runner (tests set this); in
   * production they become error diagnostics naming the attribute, never Terraform's
   * "Provider produced inconsistent result".
   */
  readonly strict: boolean;
  ctx: Ctx | undefined;
  clientCapabilities: ClientCapabilities;
  stop: AbortController;
}

export function decodeDynamic(dv: DynamicValue | null | undefined, type: CtyType): CtyValue {
  if (dv === null || dv === undefined) return null;
  if (dv.msgpack && dv.msgpack.length > 0) return decodeMsgpack(dv.msgpack, type);
  if (dv.json && dv.json.length > 0) return decodeJson(dv.json, type);
  return null;
}

export function encodeDynamic(value: CtyValue, type: CtyType): DynamicValue {
  return { msgpack: encodeMsgpack(value, type) };
}

export function objectOrEmpty(v: CtyValue): CtyObject {
  return asObject(v) ?? (Object.create(null) as CtyObject);
}

export function findResource<C>(
  state: ServerState<C>,
  typeName: string,
  diags: Diagnostics,
): Resource<C> | undefined {
  const r = state.definition.resources.find((x) => x.typeName === typeName);
  if (r === undefined)
    diags.error('Unknown resource type', `This provider has no resource type "${typeName}".`);
  return r;
}

export function findDataSource<C>(
  state: ServerState<C>,
  typeName: string,
  diags: Diagnostics,
): DataSource<C> | undefined {
  const d = state.definition.dataSources.find((x) => x.typeName === typeName);
  if (d === undefined)
    diags.error('Unknown data source', `This provider has no data source "${typeName}".`);
  return d;
}

/** Runs a handler step; anything thrown becomes an error diagnostic naming the step. */
export async function guarded(
  diags: Diagnostics,
  what: string,
  step: () => Promise<void> | void,
): Promise<void> {
  try {
    await step();
  } catch (e) {
    errorDiagnostic(diags, what, e);
  }
}

/** Reports consistency violations: a diagnostic for users, a thrown error under test. */
export function reportViolations<C>(
  state: ServerState<C>,
  diags: Diagnostics,
  summary: string,
  typeName: string,
  violations: readonly Violation[],
): void {
  if (violations.length === 0) return;
  const detail = `${violations.map((v) => v.message).join('\n')}\n\nThis is a bug in terraform-provider-keyplane's ${typeName}; please report it.`;
  state.logger.error(summary, { resource: typeName, violations: violations.map((v) => v.message) });
  if (state.strict)
    throw new ConsistencyError(
      `${summary} (${typeName}): ${violations.map((v) => v.message).join('; ')}`,
    );
  for (const v of violations) diags.error(summary, detail, v.path);
}

export class ConsistencyError extends Error {}

export function newDiagnostics(): Diagnostics {
  return new Diagnostics();
}
