/**
 * The cty msgpack encoding Terraform uses for every DynamicValue (terraform
 * `docs/plugin-protocol/object-wire-format.md`; go-cty `cty/msgpack/`). Decoding is driven by
 * the schema type: objects carry exactly their attributes, numbers arrive as int, float or
 * decimal string, any extension value is an unknown (type 12 carries refinements), and a
 * DynamicPseudoType value is `[bin(type JSON), value]`. @msgpack/msgpack does the byte-level
 * work; this file only maps between its output and cty.
 *
 * @module
 */
import { decode, encode, ExtData } from '@msgpack/msgpack';
import { CtyNumber } from './number';
import { formatPath, path, type AttributePath } from './path';
import {
  elementType,
  isList,
  isMap,
  isObject,
  isSet,
  isTuple,
  typeFromBytes,
  typeName,
  typeToBytes,
  type CtyType,
} from './types';
import {
  DynamicVal,
  Unknown,
  UNKNOWN,
  asArray,
  asObject,
  objectValue,
  type CtyValue,
  type Refinements,
} from './values';

/** go-cty `unknownWithRefinementsExt`. */
const REFINED_EXT = 12;
const REFINEMENT_KEYS = {
  notNull: 1,
  stringPrefix: 2,
  numberLower: 3,
  numberUpper: 4,
  lengthLower: 5,
  lengthUpper: 6,
} as const;
const OPTIONS = { useBigInt64: true } as const;

export class CtyCodecError extends Error {
  constructor(
    message: string,
    readonly path: AttributePath,
  ) {
    super(path.length === 0 ? message : `${formatPath(path)}: ${message}`);
  }
}

export function decodeMsgpack(bytes: Uint8Array, type: CtyType): CtyValue {
  return fromWire(decode(bytes, OPTIONS), type, []);
}

export function encodeMsgpack(value: CtyValue, type: CtyType): Uint8Array {
  return encode(toWire(value, type, []), OPTIONS);
}

// ---- decoding ----

function fromWire(raw: unknown, t: CtyType, at: AttributePath): CtyValue {
  if (raw === null || raw === undefined) return null;
  if (raw instanceof ExtData || raw instanceof Date) {
    return raw instanceof ExtData && raw.type === REFINED_EXT && raw.data instanceof Uint8Array
      ? decodeRefinements(raw.data, t, at)
      : UNKNOWN;
  }
  if (t === 'dynamic') {
    if (!Array.isArray(raw) || raw.length !== 2 || !(raw[0] instanceof Uint8Array)) {
      throw new CtyCodecError('dynamic value must be [type, value]', at);
    }
    const concrete = typeFromBytes(raw[0]);
    return new DynamicVal(concrete, fromWire(raw[1], concrete, at));
  }
  if (t === 'string') {
    if (typeof raw !== 'string') throw mismatch(raw, t, at);
    return raw;
  }
  if (t === 'bool') {
    if (typeof raw !== 'boolean') throw mismatch(raw, t, at);
    return raw;
  }
  if (t === 'number') return numberFromWire(raw, at);
  if (isObject(t)) {
    const obj = plainMap(raw, t, at);
    for (const k of Object.keys(obj)) {
      if (!(k in t.object)) throw new CtyCodecError(`unsupported attribute "${k}"`, at);
    }
    return objectValue(
      Object.entries(t.object).map(([k, at2]) => [k, fromWire(obj[k], at2, path.attribute(at, k))]),
    );
  }
  if (isMap(t)) {
    const obj = plainMap(raw, t, at);
    return objectValue(
      Object.entries(obj).map(([k, v]) => [k, fromWire(v, t.map, path.key(at, k))]),
    );
  }
  if (!Array.isArray(raw)) throw mismatch(raw, t, at);
  if (isTuple(t)) {
    if (raw.length !== t.tuple.length) {
      throw new CtyCodecError(`tuple needs ${t.tuple.length} elements, got ${raw.length}`, at);
    }
    return raw.map((v, i) => fromWire(v, t.tuple[i] ?? 'dynamic', path.index(at, i)));
  }
  const et = elementType(t) ?? 'dynamic';
  return raw.map((v, i) => fromWire(v, et, path.index(at, i)));
}

function plainMap(raw: unknown, t: CtyType, at: AttributePath): Record<string, unknown> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || raw instanceof Uint8Array) {
    throw mismatch(raw, t, at);
  }
  return raw as Record<string, unknown>;
}

function numberFromWire(raw: unknown, at: AttributePath): CtyNumber {
  if (typeof raw === 'number') return CtyNumber.fromDouble(raw);
  if (typeof raw === 'bigint') return CtyNumber.fromBigInt(raw);
  if (typeof raw === 'string') {
    const n = CtyNumber.parse(raw);
    if (n !== undefined) return n;
  }
  throw mismatch(raw, 'number', at);
}

function mismatch(raw: unknown, t: CtyType, at: AttributePath): CtyCodecError {
  const got = raw instanceof Uint8Array ? 'bytes' : Array.isArray(raw) ? 'array' : typeof raw;
  return new CtyCodecError(`${typeName(t)} required, msgpack ${got} given`, at);
}

function decodeRefinements(data: Uint8Array, t: CtyType, at: AttributePath): Unknown {
  if (data.length > 1024) throw new CtyCodecError('oversize unknown value refinement', at);
  const map = decode(data, OPTIONS);
  if (typeof map !== 'object' || map === null) {
    throw new CtyCodecError('unknown value refinements are not a map', at);
  }
  // Refinements of a dynamic value are ignored, as go-cty does.
  if (t === 'dynamic') return UNKNOWN;
  const entries = map as Record<string, unknown>;
  const r: { -readonly [K in keyof Refinements]: Refinements[K] } = {};
  const notNull = entries[REFINEMENT_KEYS.notNull];
  if (typeof notNull === 'boolean') r.notNull = !notNull;
  const prefix = entries[REFINEMENT_KEYS.stringPrefix];
  if (typeof prefix === 'string' && t === 'string') r.stringPrefix = prefix;
  for (const [name, key] of [
    ['numberLower', REFINEMENT_KEYS.numberLower],
    ['numberUpper', REFINEMENT_KEYS.numberUpper],
  ] as const) {
    const bound = entries[key];
    if (Array.isArray(bound) && bound.length === 2 && t === 'number') {
      r[name] = { value: numberFromWire(bound[0], at), inclusive: bound[1] === true };
    }
  }
  for (const [name, key] of [
    ['lengthLower', REFINEMENT_KEYS.lengthLower],
    ['lengthUpper', REFINEMENT_KEYS.lengthUpper],
  ] as const) {
    const n = entries[key];
    if ((typeof n === 'number' || typeof n === 'bigint') && (isList(t) || isSet(t) || isMap(t))) {
      r[name] = Number(n);
    }
  }
  return new Unknown(r);
}

// ---- encoding ----

function toWire(v: CtyValue, t: CtyType, at: AttributePath): unknown {
  if (v === null) return null;
  if (v instanceof Unknown) return unknownToWire(v, t);
  if (t === 'dynamic') {
    if (!(v instanceof DynamicVal)) {
      throw new CtyCodecError('a dynamic attribute needs a DynamicVal (value + type)', at);
    }
    return [typeToBytes(v.type), toWire(v.value, v.type, at)];
  }
  if (t === 'string' || t === 'bool') {
    if (typeof v !== (t === 'string' ? 'string' : 'boolean')) throw encodeMismatch(t, at);
    return t === 'string' ? (v as string).normalize('NFC') : v;
  }
  if (t === 'number') {
    if (!(v instanceof CtyNumber)) throw encodeMismatch(t, at);
    return v.toWire();
  }
  if (isObject(t)) {
    const obj = asObject(v);
    if (obj === undefined) throw encodeMismatch(t, at);
    for (const k of Object.keys(obj)) {
      if (!(k in t.object)) throw new CtyCodecError(`unsupported attribute "${k}"`, at);
    }
    // Sorted, as cty writes objects.
    return wireMap(
      Object.keys(t.object)
        .sort()
        .map((k) => [k, toWire(obj[k] ?? null, t.object[k] as CtyType, path.attribute(at, k))]),
    );
  }
  if (isMap(t)) {
    const obj = asObject(v);
    if (obj === undefined) throw encodeMismatch(t, at);
    return wireMap(
      Object.keys(obj)
        .sort()
        .map((k) => [k, toWire(obj[k] ?? null, t.map, path.key(at, k))]),
    );
  }
  const arr = asArray(v);
  if (arr === undefined) throw encodeMismatch(t, at);
  if (isTuple(t)) {
    if (arr.length !== t.tuple.length) throw encodeMismatch(t, at);
    return arr.map((e, i) => toWire(e, t.tuple[i] ?? 'dynamic', path.index(at, i)));
  }
  const et = elementType(t) ?? 'dynamic';
  return arr.map((e, i) => toWire(e, et, path.index(at, i)));
}

function wireMap(entries: readonly (readonly [string, unknown])[]): Record<string, unknown> {
  const out = Object.create(null) as Record<string, unknown>;
  for (const [k, v] of entries) out[k] = v;
  return out;
}

function encodeMismatch(t: CtyType, at: AttributePath): CtyCodecError {
  return new CtyCodecError(`value does not conform to ${typeName(t)}`, at);
}

/** fixext1 type 0 for a plain unknown; ext 12 with a map payload when refined (go-cty). */
function unknownToWire(u: Unknown, t: CtyType): ExtData {
  const r = u.refinements;
  const parts: Uint8Array[] = [];
  const add = (key: number, value: unknown) => {
    parts.push(Uint8Array.of(key), encode(value, OPTIONS));
  };
  if (t !== 'dynamic') {
    if (r.notNull === true) add(REFINEMENT_KEYS.notNull, false);
    if (t === 'string' && r.stringPrefix !== undefined && r.stringPrefix !== '') {
      add(REFINEMENT_KEYS.stringPrefix, r.stringPrefix);
    }
    if (t === 'number') {
      if (r.numberLower)
        add(REFINEMENT_KEYS.numberLower, [r.numberLower.value.toWire(), r.numberLower.inclusive]);
      if (r.numberUpper)
        add(REFINEMENT_KEYS.numberUpper, [r.numberUpper.value.toWire(), r.numberUpper.inclusive]);
    }
    if (isList(t) || isSet(t) || isMap(t)) {
      if (r.lengthLower !== undefined && r.lengthLower !== 0)
        add(REFINEMENT_KEYS.lengthLower, r.lengthLower);
      if (r.lengthUpper !== undefined) add(REFINEMENT_KEYS.lengthUpper, r.lengthUpper);
    }
  }
  if (parts.length === 0) return new ExtData(0, Uint8Array.of(0));
  // A fixmap header (at most 6 entries) followed by key/value pairs.
  return new ExtData(
    REFINED_EXT,
    Buffer.concat([Uint8Array.of(0x80 | (parts.length / 2)), ...parts]),
  );
}
