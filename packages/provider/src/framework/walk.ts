/**
 * Schema-driven walks over an object value of a block: nulling write-only attributes,
 * running validators, and visiting attribute/nested-block pairs with their paths.
 *
 * @module
 */
import { path as p, type AttributePath } from '../protocol/cty/path';
import {
  asArray,
  asObject,
  isKnown,
  objectValue,
  type CtyObject,
  type CtyValue,
} from '../protocol/cty/values';
import type { Diagnostics } from './diagnostics';
import type { Block } from './schema';

/** Maps each element of a nested block value (object, list or set of objects). */
function mapBlockValue(
  value: CtyValue,
  fn: (element: CtyObject, index: number | undefined) => CtyValue,
): CtyValue {
  const arr = asArray(value);
  if (arr !== undefined) {
    return arr.map((e, i) => {
      const o = asObject(e);
      return o === undefined ? e : fn(o, i);
    });
  }
  const o = asObject(value);
  return o === undefined ? value : fn(o, undefined);
}

/** The value with every write-only attribute set to null (plan, state and import results). */
export function withoutWriteOnly(block: Block, value: CtyValue): CtyValue {
  const obj = asObject(value);
  if (obj === undefined) return value;
  return objectValue(
    Object.entries(obj).map(([name, v]) => {
      if (block.attributes[name]?.writeOnly === true) return [name, null];
      const nb = block.blocks?.[name];
      return [name, nb === undefined ? v : mapBlockValue(v, (e) => withoutWriteOnly(nb.block, e))];
    }),
  );
}

/** Paths of write-only attributes holding a non-null value. */
export function writeOnlyViolations(
  block: Block,
  value: CtyValue,
  at: AttributePath = [],
): AttributePath[] {
  const obj = asObject(value);
  if (obj === undefined) return [];
  const out: AttributePath[] = [];
  for (const [name, a] of Object.entries(block.attributes)) {
    if (a.writeOnly === true && (obj[name] ?? null) !== null) out.push(p.attribute(at, name));
  }
  for (const [name, nb] of Object.entries(block.blocks ?? {})) {
    const v = obj[name] ?? null;
    const arr = asArray(v);
    if (arr !== undefined) {
      arr.forEach((e, i) =>
        out.push(...writeOnlyViolations(nb.block, e, p.index(p.attribute(at, name), i))),
      );
    } else out.push(...writeOnlyViolations(nb.block, v, p.attribute(at, name)));
  }
  return out;
}

/**
 * Runs attribute validators on known, non-null values (Validate* RPCs see unknowns while other
 * resources are still to be created; those are checked again at apply) and nested block counts.
 */
export function validateBlock(
  block: Block,
  value: CtyValue,
  diags: Diagnostics,
  at: AttributePath = [],
): void {
  const obj = asObject(value);
  if (obj === undefined) return;
  for (const [name, a] of Object.entries(block.attributes)) {
    const v = obj[name] ?? null;
    const here = p.attribute(at, name);
    if (v === null || !isKnown(v)) continue;
    if (a.deprecated !== undefined)
      diags.warning(`Deprecated attribute "${name}"`, a.deprecated, here);
    for (const validator of a.validators ?? []) validator.validate(v, here, diags);
  }
  for (const [name, nb] of Object.entries(block.blocks ?? {})) {
    const v = obj[name] ?? null;
    const here = p.attribute(at, name);
    const arr = asArray(v);
    if (arr !== undefined) {
      if (nb.minItems !== undefined && arr.length < nb.minItems) {
        diags.error(
          `Not enough "${name}" blocks`,
          `At least ${nb.minItems} "${name}" block(s) are required.`,
          here,
        );
      }
      if (nb.maxItems !== undefined && nb.maxItems > 0 && arr.length > nb.maxItems) {
        diags.error(
          `Too many "${name}" blocks`,
          `No more than ${nb.maxItems} "${name}" block(s) are allowed.`,
          here,
        );
      }
      arr.forEach((e, i) => {
        validateBlock(nb.block, e, diags, p.index(here, i));
      });
    } else if (v !== null && isKnown(v)) {
      validateBlock(nb.block, v, diags, here);
    } else if (v === null && nb.nesting === 'single' && (nb.minItems ?? 0) > 0) {
      diags.error(`Missing "${name}" block`, `A "${name}" block is required.`, here);
    }
  }
}
