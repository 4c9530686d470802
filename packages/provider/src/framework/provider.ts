/**
 * A provider definition: its configuration schema, how a configuration becomes the context
 * resources work with, and what it serves (terraform-plugin-framework `provider.Provider`).
 *
 * @module
 */
import type { ClientCapabilities } from '../protocol/messages';
import type { CtyObject } from '../protocol/cty/values';
import type { DataSource } from './data-source';
import type { Diagnostics } from './diagnostics';
import type { ProviderFunction } from './function';
import type { Resource } from './resource';
import type { Schema } from './schema';

export interface ConfigureRequest {
  readonly config: CtyObject;
  readonly terraformVersion: string;
  readonly clientCapabilities: ClientCapabilities;
}

export interface ProviderDefinition<Ctx> {
  /** The provider's local name, prefix of every resource type (`keyplane`). */
  readonly typeName: string;
  readonly version: string;
  readonly schema: Schema;
  /** Checks a configuration that may still hold unknowns. */
  validateConfig?(config: CtyObject, diags: Diagnostics): void;
  /** Builds the context from a wholly known configuration; report problems in `diags`. */
  configure(req: ConfigureRequest, diags: Diagnostics): Promise<Ctx | undefined>;
  readonly resources: readonly Resource<Ctx>[];
  readonly dataSources: readonly DataSource<Ctx>[];
  readonly functions: readonly ProviderFunction[];
}
