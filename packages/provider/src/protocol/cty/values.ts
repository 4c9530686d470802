/**
 * cty values as plain data. Known values are JS primitives/arrays/objects; `null` is cty null;
 * {@link Unknown} is an unknown value (possibly refined); numbers are exact {@link CtyNumber}s;
 * a value of DynamicPseudoType carries its concrete type in {@link DynamicVal}. Which cty type
 * a value has always comes from the schema alongside it, never from the value itself.
 *
 * @module
 */
import { CtyNumber } from './number';
import type { CtyType } from './types';
import { elementType, isList, isMap, isObject, isSet, isTuple, typeEquals } from './types';

/** What is known about an unknown value (go-cty refinements, `cty/unknown_refinement.go`). */
export interface Refinements {
  readonly notNull?: boolean;
  readonly stringPrefix?: string;
  readonly numberLower?: { readonly value: CtyNumber; readonly inclusive: boolean };
  readonly numberUpper?: { readonly value: CtyNumber; readonly inclusive: boolean };
  readonly lengthLower?: number;
  readonly lengthUpper?: number;
}

export class Unknown {
  constructor(readonly refinements: Refinements = {}) {}
  get refined(): boolean {
    return Object.keys(this.refinements).length > 0;
  }
}

/** The unknown value with no refinements. */
export const UNKNOWN = new Unknown();

export class DynamicVal {
  constructor(
    readonly type: CtyType,
    readonly value: CtyValue,
  ) {}
}

export interface CtyObject {
  readonly [name: string]: CtyValue;
}

export type CtyValue =
  null | Unknown | string | boolean | CtyNumber | DynamicVal | readonly CtyValue[] | CtyObject;

export const isUnknown = (v: CtyValue): v is Unknown => v instanceof Unknown;
export const isKnown = (v: CtyValue): boolean => !(v instanceof Unknown);

/** A map/object value with a null prototype, so no key can reach Object.prototype. */
export function objectValue(entries: Iterable<readonly [string, CtyValue]>): CtyObject {
  const out = Object.create(null) as Record<string, CtyValue>;
  for (const [k, v] of entries) out[k] = v;
  return out;
}

export function asObject(v: CtyValue): CtyObject | undefined {
  return v !== null &&
    typeof v === 'object' &&
    !Array.isArray(v) &&
    !(v instanceof Unknown) &&
    !(v instanceof CtyNumber) &&
    !(v instanceof DynamicVal)
    ? (v as CtyObject)
    : undefined;
}

export function asArray(v: CtyValue): readonly CtyValue[] | undefined {
  return Array.isArray(v) ? (v as readonly CtyValue[]) : undefined;
}

/** True when the value and everything inside it is known. */
export function isWhollyKnown(v: CtyValue): boolean {
  if (v instanceof Unknown) return false;
  if (v instanceof DynamicVal) return isWhollyKnown(v.value);
  const arr = asArray(v);
  if (arr !== undefined) return arr.every(isWhollyKnown);
  const obj = asObject(v);
  return obj === undefined || Object.values(obj).every(isWhollyKnown);
}

/**
 * Exact equality of two values of type `t` (cty `RawEquals`): unknowns equal only unknowns,
 * sets compare without order, numbers by exact value.
 */
export function valuesEqual(a: CtyValue, b: CtyValue, t: CtyType): boolean {
  if (a === null || b === null) return a === b;
  if (a instanceof Unknown || b instanceof Unknown) {
    return a instanceof Unknown && b instanceof Unknown;
  }
  if (t === 'dynamic') {
    if (!(a instanceof DynamicVal) || !(b instanceof DynamicVal)) return false;
    return typeEquals(a.type, b.type) && valuesEqual(a.value, b.value, a.type);
  }
  if (t === 'number') return a instanceof CtyNumber && b instanceof CtyNumber && a.equals(b);
  if (typeof t === 'string') return a === b;
  if (isObject(t)) {
    const oa = asObject(a);
    const ob = asObject(b);
    if (oa === undefined || ob === undefined) return false;
    return Object.entries(t.object).every(([k, at]) =>
      valuesEqual(oa[k] ?? null, ob[k] ?? null, at),
    );
  }
  if (isMap(t)) {
    const oa = asObject(a);
    const ob = asObject(b);
    if (oa === undefined || ob === undefined) return false;
    const ka = Object.keys(oa);
    return (
      ka.length === Object.keys(ob).length &&
      ka.every((k) => k in ob && valuesEqual(oa[k] ?? null, ob[k] ?? null, t.map))
    );
  }
  const la = asArray(a);
  const lb = asArray(b);
  if (la === undefined || lb === undefined || la.length !== lb.length) return false;
  if (isTuple(t)) return la.every((v, i) => valuesEqual(v, lb[i] ?? null, t.tuple[i] ?? 'dynamic'));
  const et = elementType(t) ?? 'dynamic';
  if (isList(t)) return la.every((v, i) => valuesEqual(v, lb[i] ?? null, et));
  if (isSet(t)) {
    const used = new Set<number>();
    return la.every((v) => {
      const j = lb.findIndex((w, idx) => !used.has(idx) && valuesEqual(v, w, et));
      if (j < 0) return false;
      used.add(j);
      return true;
    });
  }
  return false;
}

/** The null value of every attribute of an object type. */
export function nullObject(t: CtyType): CtyObject {
  return isObject(t) ? objectValue(Object.keys(t.object).map((k) => [k, null])) : objectValue([]);
}
