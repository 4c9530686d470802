/**
 * TypeScript shapes of the tfplugin6 messages in proto/tfplugin6.proto, as protobufjs decodes
 * and encodes them (camelCase fields; unset messages decode as `null`, unset bytes as empty,
 * int64 as `number | Long`). Requests are what Terraform sends; responses are plain objects
 * the service layer encodes.
 *
 * @module
 */

/** A protobuf int64 as protobufjs hands it over (a Long when past 2^53). */
export type Int64 = number | { toNumber(): number };

export interface DynamicValue {
  readonly msgpack?: Uint8Array | null;
  readonly json?: Uint8Array | null;
}

export enum Severity {
  INVALID = 0,
  ERROR = 1,
  WARNING = 2,
}

export interface AttributePathStep {
  readonly attributeName?: string;
  readonly elementKeyString?: string;
  readonly elementKeyInt?: Int64;
}

export interface AttributePath {
  readonly steps: readonly AttributePathStep[];
}

export interface Diagnostic {
  readonly severity: Severity;
  readonly summary: string;
  readonly detail?: string;
  readonly attribute?: AttributePath;
}

export enum StringKind {
  PLAIN = 0,
  MARKDOWN = 1,
}

export interface SchemaAttribute {
  readonly name: string;
  readonly type?: Uint8Array;
  readonly nestedType?: SchemaObject;
  readonly description: string;
  readonly descriptionKind: StringKind;
  readonly required: boolean;
  readonly optional: boolean;
  readonly computed: boolean;
  readonly sensitive: boolean;
  readonly deprecated: boolean;
  readonly writeOnly: boolean;
}

export enum BlockNesting {
  INVALID = 0,
  SINGLE = 1,
  LIST = 2,
  SET = 3,
  MAP = 4,
  GROUP = 5,
}

export enum ObjectNesting {
  INVALID = 0,
  SINGLE = 1,
  LIST = 2,
  SET = 3,
  MAP = 4,
}

export interface SchemaObject {
  readonly attributes: readonly SchemaAttribute[];
  readonly nesting: ObjectNesting;
}

export interface SchemaNestedBlock {
  readonly typeName: string;
  readonly block: SchemaBlock;
  readonly nesting: BlockNesting;
  readonly minItems: number;
  readonly maxItems: number;
}

export interface SchemaBlock {
  readonly version: number;
  readonly attributes: readonly SchemaAttribute[];
  readonly blockTypes: readonly SchemaNestedBlock[];
  readonly description: string;
  readonly descriptionKind: StringKind;
  readonly deprecated: boolean;
}

export interface Schema {
  readonly version: number;
  readonly block: SchemaBlock;
}

export interface FunctionParameter {
  readonly name: string;
  readonly type: Uint8Array;
  readonly allowNullValue: boolean;
  readonly allowUnknownValues: boolean;
  readonly description: string;
  readonly descriptionKind: StringKind;
}

export interface FunctionDefinition {
  readonly parameters: readonly FunctionParameter[];
  readonly variadicParameter?: FunctionParameter;
  readonly return: { readonly type: Uint8Array };
  readonly summary: string;
  readonly description: string;
  readonly descriptionKind: StringKind;
  readonly deprecationMessage?: string;
}

export interface ServerCapabilities {
  readonly planDestroy: boolean;
  readonly getProviderSchemaOptional: boolean;
  readonly moveResourceState: boolean;
}

export interface ClientCapabilities {
  readonly deferralAllowed?: boolean;
  readonly writeOnlyAttributesAllowed?: boolean;
}

export interface FunctionError {
  readonly text: string;
  readonly functionArgument?: number;
}

// ---- requests (as decoded) and responses (as encoded) ----

export type Empty = Record<string, never>;

export interface GetMetadataResponse {
  readonly serverCapabilities: ServerCapabilities;
  readonly diagnostics: readonly Diagnostic[];
  readonly dataSources: readonly { readonly typeName: string }[];
  readonly resources: readonly { readonly typeName: string }[];
  readonly functions: readonly { readonly name: string }[];
}

export interface GetProviderSchemaResponse {
  readonly provider: Schema;
  readonly resourceSchemas: Readonly<Record<string, Schema>>;
  readonly dataSourceSchemas: Readonly<Record<string, Schema>>;
  readonly functions: Readonly<Record<string, FunctionDefinition>>;
  readonly diagnostics: readonly Diagnostic[];
  readonly serverCapabilities: ServerCapabilities;
}

export interface ConfigRequest {
  readonly typeName?: string;
  readonly config: DynamicValue | null;
}

export interface DiagnosticsResponse {
  readonly diagnostics: readonly Diagnostic[];
}

export interface UpgradeResourceStateRequest {
  readonly typeName: string;
  readonly version: Int64;
  readonly rawState: {
    readonly json?: Uint8Array | null;
    readonly flatmap?: Readonly<Record<string, string>>;
  } | null;
}

export interface UpgradeResourceStateResponse {
  readonly upgradedState?: DynamicValue;
  readonly diagnostics: readonly Diagnostic[];
}

export interface ConfigureProviderRequest {
  readonly terraformVersion: string;
  readonly config: DynamicValue | null;
  readonly clientCapabilities: ClientCapabilities | null;
}

export interface ReadResourceRequest {
  readonly typeName: string;
  readonly currentState: DynamicValue | null;
  readonly private: Uint8Array;
  readonly clientCapabilities: ClientCapabilities | null;
}

export interface ReadResourceResponse {
  readonly newState?: DynamicValue;
  readonly diagnostics: readonly Diagnostic[];
  readonly private?: Uint8Array;
}

export interface PlanResourceChangeRequest {
  readonly typeName: string;
  readonly priorState: DynamicValue | null;
  readonly proposedNewState: DynamicValue | null;
  readonly config: DynamicValue | null;
  readonly priorPrivate: Uint8Array;
  readonly clientCapabilities: ClientCapabilities | null;
}

export interface PlanResourceChangeResponse {
  readonly plannedState?: DynamicValue;
  readonly requiresReplace: readonly AttributePath[];
  readonly plannedPrivate?: Uint8Array;
  readonly diagnostics: readonly Diagnostic[];
}

export interface ApplyResourceChangeRequest {
  readonly typeName: string;
  readonly priorState: DynamicValue | null;
  readonly plannedState: DynamicValue | null;
  readonly config: DynamicValue | null;
  readonly plannedPrivate: Uint8Array;
}

export interface ApplyResourceChangeResponse {
  readonly newState?: DynamicValue;
  readonly private?: Uint8Array;
  readonly diagnostics: readonly Diagnostic[];
}

export interface ImportResourceStateRequest {
  readonly typeName: string;
  readonly id: string;
  readonly clientCapabilities: ClientCapabilities | null;
}

export interface ImportResourceStateResponse {
  readonly importedResources: readonly {
    readonly typeName: string;
    readonly state: DynamicValue;
    readonly private?: Uint8Array;
  }[];
  readonly diagnostics: readonly Diagnostic[];
}

export interface ReadDataSourceRequest {
  readonly typeName: string;
  readonly config: DynamicValue | null;
  readonly clientCapabilities: ClientCapabilities | null;
}

export interface ReadDataSourceResponse {
  readonly state?: DynamicValue;
  readonly diagnostics: readonly Diagnostic[];
}

export interface GetFunctionsResponse {
  readonly functions: Readonly<Record<string, FunctionDefinition>>;
  readonly diagnostics: readonly Diagnostic[];
}

export interface CallFunctionRequest {
  readonly name: string;
  readonly arguments: readonly DynamicValue[];
}

export interface CallFunctionResponse {
  readonly result?: DynamicValue;
  readonly error?: FunctionError;
}

export interface StopProviderResponse {
  readonly Error: string;
}

/** Every tfplugin6.Provider RPC this provider serves: method name → handler. */
export interface ProviderService {
  GetMetadata(req: Empty): Promise<GetMetadataResponse>;
  GetProviderSchema(req: Empty): Promise<GetProviderSchemaResponse>;
  ValidateProviderConfig(req: ConfigRequest): Promise<DiagnosticsResponse>;
  ValidateResourceConfig(req: ConfigRequest): Promise<DiagnosticsResponse>;
  ValidateDataResourceConfig(req: ConfigRequest): Promise<DiagnosticsResponse>;
  UpgradeResourceState(req: UpgradeResourceStateRequest): Promise<UpgradeResourceStateResponse>;
  ConfigureProvider(req: ConfigureProviderRequest): Promise<DiagnosticsResponse>;
  ReadResource(req: ReadResourceRequest): Promise<ReadResourceResponse>;
  PlanResourceChange(req: PlanResourceChangeRequest): Promise<PlanResourceChangeResponse>;
  ApplyResourceChange(req: ApplyResourceChangeRequest): Promise<ApplyResourceChangeResponse>;
  ImportResourceState(req: ImportResourceStateRequest): Promise<ImportResourceStateResponse>;
  ReadDataSource(req: ReadDataSourceRequest): Promise<ReadDataSourceResponse>;
  GetFunctions(req: Empty): Promise<GetFunctionsResponse>;
  CallFunction(req: CallFunctionRequest): Promise<CallFunctionResponse>;
  StopProvider(req: Empty): Promise<StopProviderResponse>;
}
