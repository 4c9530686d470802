/**
 * A managed resource: schema + create/read/update/delete in one definition, plus opt-in
 * capabilities (import, plan modification, config validation, state upgrades), as in
 * terraform-plugin-framework's `resource.Resource` and its `ResourceWith*` interfaces. Each
 * method gets a request and a response to fill; failures go into `resp.diagnostics`, never
 * thrown at the user (anything thrown still becomes a diagnostic, naming the operation).
 *
 * Every request carries the provider context (`ctx`, from ConfigureProvider) and an AbortSignal
 * that fires when Terraform calls StopProvider (Ctrl-C): long engine work must honour it.
 *
 * @module
 */
import type { CtyObject, CtyValue } from '../protocol/cty/values';
import type { Diagnostics } from './diagnostics';
import type { Schema } from './schema';

interface Base<Ctx> {
  /** undefined when the provider configuration is not known yet (plan of a new stack). */
  readonly ctx: Ctx | undefined;
  readonly signal: AbortSignal;
}

export interface CreateRequest<Ctx> extends Base<Ctx> {
  /** The configuration, write-only values included. */
  readonly config: CtyObject;
  readonly plan: CtyObject;
}
export interface UpdateRequest<Ctx> extends CreateRequest<Ctx> {
  readonly state: CtyObject;
  readonly private: Uint8Array;
}
export interface ReadRequest<Ctx> extends Base<Ctx> {
  readonly state: CtyObject;
  readonly private: Uint8Array;
}
export interface DeleteRequest<Ctx> extends Base<Ctx> {
  readonly state: CtyObject;
  readonly private: Uint8Array;
}
export interface ImportRequest<Ctx> extends Base<Ctx> {
  readonly id: string;
}
export interface ModifyPlanRequest<Ctx> extends Base<Ctx> {
  readonly config: CtyObject;
  /** undefined on create. */
  readonly state: CtyObject | undefined;
  readonly private: Uint8Array;
}
export interface ValidateConfigRequest {
  /** May hold unknown values (references to resources not created yet). */
  readonly config: CtyObject;
}

export interface StateResponse {
  /** Starts as the planned (create/update) or prior (read) state; set what the resource knows. */
  state: CtyObject | null;
  private?: Uint8Array;
  readonly diagnostics: Diagnostics;
}
export interface DiagnosticsResponse {
  readonly diagnostics: Diagnostics;
}
export interface ImportResponse {
  /** Attributes known from the id; the rest are filled with null and then read. */
  state: Readonly<Record<string, CtyValue>> | null;
  private?: Uint8Array;
  readonly diagnostics: Diagnostics;
}
export interface ModifyPlanResponse {
  plan: CtyObject;
  readonly requiresReplace: import('../protocol/cty/path').AttributePath[];
  private?: Uint8Array;
  readonly diagnostics: Diagnostics;
}

export interface Resource<Ctx = unknown> {
  /** e.g. `keyplane_key`. */
  readonly typeName: string;
  readonly schema: Schema;
  create(req: CreateRequest<Ctx>, resp: StateResponse): Promise<void>;
  /** Set `resp.state = null` when the object is gone (Terraform plans to re-create it). */
  read(req: ReadRequest<Ctx>, resp: StateResponse): Promise<void>;
  update(req: UpdateRequest<Ctx>, resp: StateResponse): Promise<void>;
  delete(req: DeleteRequest<Ctx>, resp: DiagnosticsResponse): Promise<void>;
}

export interface ResourceWithImport<Ctx = unknown> extends Resource<Ctx> {
  importState(req: ImportRequest<Ctx>, resp: ImportResponse): Promise<void>;
}
export interface ResourceWithModifyPlan<Ctx = unknown> extends Resource<Ctx> {
  modifyPlan(req: ModifyPlanRequest<Ctx>, resp: ModifyPlanResponse): Promise<void>;
}
export interface ResourceWithValidateConfig<Ctx = unknown> extends Resource<Ctx> {
  validateConfig(req: ValidateConfigRequest, resp: DiagnosticsResponse): void;
}

/** Upgrades stored state written at an older schema version straight to the current one. */
export interface StateUpgrader {
  /** Schema of the stored state; when given, `priorState` is decoded with it. */
  readonly priorSchema?: Schema;
  upgrade(
    req: { readonly rawJson: unknown; readonly priorState: CtyObject | undefined },
    resp: { state: CtyObject | null; readonly diagnostics: Diagnostics },
  ): void;
}
export interface ResourceWithUpgradeState<Ctx = unknown> extends Resource<Ctx> {
  /** Keyed by the stored version. */
  readonly stateUpgraders: Readonly<Record<number, StateUpgrader>>;
}

export const canImport = <C>(r: Resource<C>): r is ResourceWithImport<C> =>
  typeof (r as Partial<ResourceWithImport<C>>).importState === 'function';
export const canModifyPlan = <C>(r: Resource<C>): r is ResourceWithModifyPlan<C> =>
  typeof (r as Partial<ResourceWithModifyPlan<C>>).modifyPlan === 'function';
export const canValidateConfig = <C>(r: Resource<C>): r is ResourceWithValidateConfig<C> =>
  typeof (r as Partial<ResourceWithValidateConfig<C>>).validateConfig === 'function';
export const canUpgradeState = <C>(r: Resource<C>): r is ResourceWithUpgradeState<C> =>
  typeof (r as Partial<ResourceWithUpgradeState<C>>).stateUpgraders === 'object';
