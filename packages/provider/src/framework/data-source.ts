/**
 * A data source: schema + read (terraform-plugin-framework `datasource.DataSource`).
 *
 * @module
 */
import type { CtyObject } from '../protocol/cty/values';
import type { Diagnostics } from './diagnostics';
import type { Schema } from './schema';

export interface DataSourceReadRequest<Ctx> {
  readonly config: CtyObject;
  readonly ctx: Ctx | undefined;
  readonly signal: AbortSignal;
}

export interface DataSourceReadResponse {
  /** Starts as the config; fill in the computed attributes. Must end wholly known. */
  state: CtyObject;
  readonly diagnostics: Diagnostics;
}

export interface DataSource<Ctx = unknown> {
  readonly typeName: string;
  readonly schema: Schema;
  read(req: DataSourceReadRequest<Ctx>, resp: DataSourceReadResponse): Promise<void>;
  validateConfig?(config: CtyObject, diags: Diagnostics): void;
}
