/**
 * cty types and their JSON form, which is how Terraform names types on the wire
 * (`Schema.Attribute.type`, function parameters, the type half of a dynamic value):
 * `"string"`, `["list","string"]`, `["object",{"a":"number"}]` (optional attributes as a third
 * element), `["tuple",["string","bool"]]`, `"dynamic"` (go-cty `cty/json/type.go`).
 *
 * @module
 */

export type PrimitiveType = 'string' | 'number' | 'bool';
/** DynamicPseudoType: any type, decided per value. */
export type DynamicType = 'dynamic';

export interface ListType {
  readonly list: CtyType;
}
export interface SetType {
  readonly set: CtyType;
}
export interface MapType {
  readonly map: CtyType;
}
export interface ObjectType {
  readonly object: Readonly<Record<string, CtyType>>;
  /** Attributes that may be omitted in a type constraint (type constraints only). */
  readonly optional?: readonly string[];
}
export interface TupleType {
  readonly tuple: readonly CtyType[];
}

export type CtyType =
  PrimitiveType | DynamicType | ListType | SetType | MapType | ObjectType | TupleType;

export const types = {
  string: 'string',
  number: 'number',
  bool: 'bool',
  dynamic: 'dynamic',
  list: (element: CtyType): ListType => ({ list: element }),
  set: (element: CtyType): SetType => ({ set: element }),
  map: (element: CtyType): MapType => ({ map: element }),
  object: (attributes: Readonly<Record<string, CtyType>>): ObjectType => ({ object: attributes }),
  tuple: (elements: readonly CtyType[]): TupleType => ({ tuple: elements }),
} as const;

export const isList = (t: CtyType): t is ListType => typeof t === 'object' && 'list' in t;
export const isSet = (t: CtyType): t is SetType => typeof t === 'object' && 'set' in t;
export const isMap = (t: CtyType): t is MapType => typeof t === 'object' && 'map' in t;
export const isObject = (t: CtyType): t is ObjectType => typeof t === 'object' && 'object' in t;
export const isTuple = (t: CtyType): t is TupleType => typeof t === 'object' && 'tuple' in t;

/** The element type of a list, set or map; `undefined` for other types. */
export function elementType(t: CtyType): CtyType | undefined {
  if (isList(t)) return t.list;
  if (isSet(t)) return t.set;
  if (isMap(t)) return t.map;
  return undefined;
}

export type TypeJson = string | readonly unknown[];

export function typeToJson(t: CtyType): TypeJson {
  if (typeof t === 'string') return t;
  if (isList(t)) return ['list', typeToJson(t.list)];
  if (isSet(t)) return ['set', typeToJson(t.set)];
  if (isMap(t)) return ['map', typeToJson(t.map)];
  if (isTuple(t)) return ['tuple', t.tuple.map(typeToJson)];
  const attrs = Object.fromEntries(
    Object.keys(t.object)
      .sort()
      .map((k) => [k, typeToJson(t.object[k] as CtyType)]),
  );
  return t.optional !== undefined && t.optional.length > 0
    ? ['object', attrs, [...t.optional].sort()]
    : ['object', attrs];
}

export function typeToBytes(t: CtyType): Uint8Array {
  return Buffer.from(JSON.stringify(typeToJson(t)));
}

export class TypeJsonError extends Error {}

export function typeFromJson(json: unknown): CtyType {
  if (json === 'string' || json === 'number' || json === 'bool' || json === 'dynamic') return json;
  if (!Array.isArray(json) || typeof json[0] !== 'string') {
    throw new TypeJsonError(`invalid cty type ${JSON.stringify(json)}`);
  }
  const [kind, arg, optional] = json as [string, unknown, unknown];
  switch (kind) {
    case 'list':
      return types.list(typeFromJson(arg));
    case 'set':
      return types.set(typeFromJson(arg));
    case 'map':
      return types.map(typeFromJson(arg));
    case 'tuple':
      if (!Array.isArray(arg)) throw new TypeJsonError('tuple type needs an element list');
      return types.tuple(arg.map(typeFromJson));
    case 'object': {
      if (typeof arg !== 'object' || arg === null || Array.isArray(arg)) {
        throw new TypeJsonError('object type needs an attribute map');
      }
      const attrs: Record<string, CtyType> = Object.create(null) as Record<string, CtyType>;
      for (const [k, v] of Object.entries(arg)) attrs[k] = typeFromJson(v);
      return Array.isArray(optional) && optional.length > 0
        ? { object: attrs, optional: optional.map(String) }
        : { object: attrs };
    }
    default:
      throw new TypeJsonError(`unknown cty type kind '${kind}'`);
  }
}

export function typeFromBytes(bytes: Uint8Array): CtyType {
  return typeFromJson(JSON.parse(Buffer.from(bytes).toString('utf8')) as unknown);
}

export function typeEquals(a: CtyType, b: CtyType): boolean {
  return JSON.stringify(typeToJson(a)) === JSON.stringify(typeToJson(b));
}

/** Terraform's friendly type name, for messages (`list of string`, `object`). */
export function typeName(t: CtyType): string {
  if (typeof t === 'string') return t;
  if (isList(t)) return `list of ${typeName(t.list)}`;
  if (isSet(t)) return `set of ${typeName(t.set)}`;
  if (isMap(t)) return `map of ${typeName(t.map)}`;
  return isTuple(t) ? 'tuple' : 'object';
}
