/**
 * cty's JSON encoding, which Terraform uses for stored state (`UpgradeResourceState.raw_state`,
 * go-cty `cty/json/`). Numbers are parsed losslessly (lossless-json) so state written by an
 * older provider version keeps every digit; a dynamic value is `{"value": …, "type": …}`.
 * Attributes the schema no longer has are dropped and missing ones become null, so a state
 * upgrader can work from the raw document.
 *
 * @module
 */
import { isLosslessNumber, parse } from 'lossless-json';
import { CtyNumber } from './number';
import { CtyCodecError } from './msgpack';
import { path, type AttributePath } from './path';
import {
  elementType,
  isMap,
  isObject,
  isTuple,
  typeFromJson,
  typeName,
  type CtyType,
} from './types';
import { DynamicVal, objectValue, type CtyValue } from './values';

/** Parses JSON keeping numbers exact (as lossless-json `LosslessNumber`s). */
export function parseJsonLossless(text: string): unknown {
  return parse(text);
}

export function decodeJson(text: string | Uint8Array, type: CtyType): CtyValue {
  const s = typeof text === 'string' ? text : Buffer.from(text).toString('utf8');
  return fromJson(parseJsonLossless(s), type, []);
}

/** Converts an already parsed (lossless) JSON document to a value of `type`. */
export function fromJson(raw: unknown, t: CtyType, at: AttributePath): CtyValue {
  if (raw === null || raw === undefined) return null;
  if (t === 'dynamic') {
    if (typeof raw !== 'object' || !('type' in raw) || !('value' in raw)) {
      throw new CtyCodecError('dynamic value must be {"value", "type"}', at);
    }
    const concrete = typeFromJson(raw.type);
    return new DynamicVal(concrete, fromJson(raw.value, concrete, at));
  }
  if (t === 'string') {
    if (typeof raw === 'string') return raw;
    // cty's JSON decoder converts primitives to the wanted type.
    if (typeof raw === 'boolean') return String(raw);
    if (isLosslessNumber(raw)) return raw.toString();
    throw jsonMismatch(t, at);
  }
  if (t === 'bool') {
    if (typeof raw === 'boolean') return raw;
    if (raw === 'true' || raw === 'false') return raw === 'true';
    throw jsonMismatch(t, at);
  }
  if (t === 'number') {
    const n = isLosslessNumber(raw)
      ? CtyNumber.parse(raw.toString())
      : typeof raw === 'string'
        ? CtyNumber.parse(raw)
        : undefined;
    if (n === undefined) throw jsonMismatch(t, at);
    return n;
  }
  if (isObject(t) || isMap(t)) {
    if (typeof raw !== 'object' || Array.isArray(raw)) throw jsonMismatch(t, at);
    const obj = raw as Record<string, unknown>;
    if (isObject(t)) {
      return objectValue(
        Object.entries(t.object).map(([k, at2]) => [
          k,
          fromJson(obj[k], at2, path.attribute(at, k)),
        ]),
      );
    }
    return objectValue(
      Object.entries(obj).map(([k, v]) => [k, fromJson(v, t.map, path.key(at, k))]),
    );
  }
  if (!Array.isArray(raw)) throw jsonMismatch(t, at);
  if (isTuple(t)) return raw.map((v, i) => fromJson(v, t.tuple[i] ?? 'dynamic', path.index(at, i)));
  const et = elementType(t) ?? 'dynamic';
  return raw.map((v, i) => fromJson(v, et, path.index(at, i)));
}

function jsonMismatch(t: CtyType, at: AttributePath): CtyCodecError {
  return new CtyCodecError(`${typeName(t)} required in stored state`, at);
}
