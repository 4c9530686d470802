/**
 * Schemas: attributes and nested blocks, as in terraform-plugin-framework's `resource/schema`.
 * A schema is both the wire schema (GetProviderSchema) and the type that drives the codec.
 *
 * @module
 */
import type { AttributePath } from '../protocol/cty/path';
import { types, typeToBytes, type CtyType, type ObjectType } from '../protocol/cty/types';
import type { CtyValue } from '../protocol/cty/values';
import {
  BlockNesting,
  StringKind,
  type Schema as WireSchema,
  type SchemaBlock,
} from '../protocol/messages';
import type { Diagnostics } from './diagnostics';

export interface PlanModifierRequest {
  readonly path: AttributePath;
  readonly config: CtyValue;
  /** Prior state value; `undefined` when the resource is being created. */
  readonly state: CtyValue | undefined;
  readonly plan: CtyValue;
}

export interface PlanModifierResponse {
  plan: CtyValue;
  requiresReplace: boolean;
  readonly diagnostics: Diagnostics;
}

/** Adjusts one attribute's planned value (terraform-plugin-framework `planmodifier`). */
export interface PlanModifier {
  readonly description: string;
  modify(req: PlanModifierRequest, resp: PlanModifierResponse): void;
}

/** Checks one known, non-null configured value; reports with the given path. */
export interface Validator {
  readonly description: string;
  validate(value: CtyValue, path: AttributePath, diags: Diagnostics): void;
}

export interface Attribute {
  readonly type: CtyType;
  readonly description: string;
  readonly required?: boolean;
  readonly optional?: boolean;
  readonly computed?: boolean;
  readonly sensitive?: boolean;
  /**
   * Write-only (protocol 6.8, Terraform >= 1.11): readable from config during plan and apply,
   * never stored in plan or state. Pair it with a `*_version` attribute to trigger updates.
   */
  readonly writeOnly?: boolean;
  readonly deprecated?: string;
  /** Value planned when the configuration leaves an optional+computed attribute null. */
  readonly default?: CtyValue;
  readonly planModifiers?: readonly PlanModifier[];
  readonly validators?: readonly Validator[];
}

export type BlockNestingMode = 'single' | 'list' | 'set' | 'group';

export interface NestedBlock {
  readonly nesting: BlockNestingMode;
  readonly block: Block;
  readonly minItems?: number;
  readonly maxItems?: number;
}

export interface Block {
  readonly description?: string;
  readonly attributes: Readonly<Record<string, Attribute>>;
  readonly blocks?: Readonly<Record<string, NestedBlock>>;
  readonly deprecated?: boolean;
}

export interface Schema extends Block {
  /** State schema version; bump it and add a state upgrader when stored state changes shape. */
  readonly version?: number;
  /** Markdown documentation for the registry page (defaults to `description`). */
  readonly markdownDescription?: string;
}

/** The object type values of this block have (attributes + nested blocks). */
export function impliedType(block: Block): ObjectType {
  const attrs: Record<string, CtyType> = {};
  for (const [name, a] of Object.entries(block.attributes)) attrs[name] = a.type;
  for (const [name, nb] of Object.entries(block.blocks ?? {})) attrs[name] = nestedBlockType(nb);
  return types.object(attrs);
}

export function nestedBlockType(nb: NestedBlock): CtyType {
  const inner = impliedType(nb.block);
  if (nb.nesting === 'list') return types.list(inner);
  if (nb.nesting === 'set') return types.set(inner);
  return inner;
}

const NESTING: Readonly<Record<BlockNestingMode, BlockNesting>> = {
  single: BlockNesting.SINGLE,
  list: BlockNesting.LIST,
  set: BlockNesting.SET,
  group: BlockNesting.GROUP,
};

function blockToWire(block: Block, version = 0): SchemaBlock {
  return {
    version,
    description: block.description ?? '',
    descriptionKind: StringKind.MARKDOWN,
    deprecated: block.deprecated === true,
    attributes: Object.entries(block.attributes)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, a]) => ({
        name,
        type: typeToBytes(a.type),
        description:
          a.description + (a.deprecated === undefined ? '' : ` Deprecated: ${a.deprecated}`),
        descriptionKind: StringKind.MARKDOWN,
        required: a.required === true,
        optional: a.optional === true,
        computed: a.computed === true,
        sensitive: a.sensitive === true || a.writeOnly === true,
        deprecated: a.deprecated !== undefined,
        writeOnly: a.writeOnly === true,
      })),
    blockTypes: Object.entries(block.blocks ?? {})
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([typeName, nb]) => ({
        typeName,
        block: blockToWire(nb.block),
        nesting: NESTING[nb.nesting],
        minItems: nb.minItems ?? 0,
        maxItems: nb.maxItems ?? (nb.nesting === 'single' || nb.nesting === 'group' ? 0 : 0),
      })),
  };
}

export function schemaToWire(schema: Schema): WireSchema {
  const version = schema.version ?? 0;
  return { version, block: blockToWire(schema, version) };
}

/** Every write-only attribute path of a block (top level and inside nested blocks). */
export function hasWriteOnly(block: Block): boolean {
  return (
    Object.values(block.attributes).some((a) => a.writeOnly === true) ||
    Object.values(block.blocks ?? {}).some((nb) => hasWriteOnly(nb.block))
  );
}
