/**
 * GetMetadata, GetProviderSchema and GetFunctions: the provider's shape, from its definition.
 *
 * @module
 */
import { typeToBytes } from '../../protocol/cty/types';
import {
  StringKind,
  type FunctionDefinition,
  type GetFunctionsResponse,
  type GetMetadataResponse,
  type GetProviderSchemaResponse,
  type ServerCapabilities,
} from '../../protocol/messages';
import type { FunctionParameter, ProviderFunction } from '../function';
import { schemaToWire } from '../schema';
import type { ServerState } from './context';

const CAPABILITIES: ServerCapabilities = {
  planDestroy: false,
  // Terraform may reuse a cached schema instead of asking every launched process.
  getProviderSchemaOptional: true,
  moveResourceState: false,
};

function parameterToWire(p: FunctionParameter) {
  return {
    name: p.name,
    type: typeToBytes(p.type),
    allowNullValue: p.allowNull === true,
    allowUnknownValues: p.allowUnknown === true,
    description: p.description,
    descriptionKind: StringKind.MARKDOWN,
  };
}

export function functionToWire(f: ProviderFunction): FunctionDefinition {
  return {
    parameters: f.parameters.map(parameterToWire),
    ...(f.variadicParameter === undefined
      ? {}
      : { variadicParameter: parameterToWire(f.variadicParameter) }),
    return: { type: typeToBytes(f.returnType) },
    summary: f.summary,
    description: f.description,
    descriptionKind: StringKind.MARKDOWN,
  };
}

export function getMetadata<C>(state: ServerState<C>): GetMetadataResponse {
  const d = state.definition;
  return {
    serverCapabilities: CAPABILITIES,
    diagnostics: [],
    resources: d.resources.map((r) => ({ typeName: r.typeName })),
    dataSources: d.dataSources.map((r) => ({ typeName: r.typeName })),
    functions: d.functions.map((f) => ({ name: f.name })),
  };
}

export function getProviderSchema<C>(state: ServerState<C>): GetProviderSchemaResponse {
  const d = state.definition;
  return {
    provider: schemaToWire(d.schema),
    resourceSchemas: Object.fromEntries(
      d.resources.map((r) => [r.typeName, schemaToWire(r.schema)]),
    ),
    dataSourceSchemas: Object.fromEntries(
      d.dataSources.map((r) => [r.typeName, schemaToWire(r.schema)]),
    ),
    functions: Object.fromEntries(d.functions.map((f) => [f.name, functionToWire(f)])),
    diagnostics: [],
    serverCapabilities: CAPABILITIES,
  };
}

export function getFunctions<C>(state: ServerState<C>): GetFunctionsResponse {
  return {
    functions: Object.fromEntries(
      state.definition.functions.map((f) => [f.name, functionToWire(f)]),
    ),
    diagnostics: [],
  };
}
