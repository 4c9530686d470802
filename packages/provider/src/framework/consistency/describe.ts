/**
 * Short renderings of values for consistency messages.
 *
 * @module
 */
import { CtyNumber } from '../../protocol/cty/number';
import { DynamicVal, Unknown, asArray, asObject, type CtyValue } from '../../protocol/cty/values';

export function describeValue(v: CtyValue): string {
  if (v === null) return 'null';
  if (v instanceof Unknown) return '(unknown)';
  if (v instanceof CtyNumber) return v.toString();
  if (v instanceof DynamicVal) return describeValue(v.value);
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v);
  if (typeof v === 'boolean') return String(v);
  const arr = asArray(v);
  if (arr !== undefined) return `[${arr.map(describeValue).join(', ')}]`;
  const obj = asObject(v) ?? {};
  return `{${Object.entries(obj)
    .map(([k, e]) => `${k}: ${describeValue(e)}`)
    .join(', ')}}`;
}
