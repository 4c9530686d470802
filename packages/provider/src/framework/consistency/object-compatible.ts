/**
 * Terraform's "Provider produced inconsistent result after apply" / "inconsistent final plan"
 * rules (a TypeScript reading of hashicorp/terraform `internal/plans/objchange/compatible.go`
 * `AssertObjectCompatible`): every known planned value comes back identical, every unknown
 * becomes known and honours its refinements (not-null, string prefix), write-only values stay
 * null, nested block counts hold.
 *
 * @module
 */
import { CtyNumber } from '../../protocol/cty/number';
import { formatPath, path as p, type AttributePath } from '../../protocol/cty/path';
import {
  elementType,
  isList,
  isMap,
  isObject,
  isTuple,
  type CtyType,
} from '../../protocol/cty/types';
import {
  Unknown,
  asArray,
  asObject,
  isWhollyKnown,
  valuesEqual,
  type CtyValue,
} from '../../protocol/cty/values';
import type { Block } from '../schema';
import { describeValue } from './describe';
import type { Violation } from './plan-valid';

/**
 * `planned` vs `actual`; with `allowUnknown` (a second plan compared with the first) unknowns
 * may stay unknown, otherwise `actual` must be wholly known (an apply result).
 */
export function assertObjectCompatible(
  block: Block,
  planned: CtyValue,
  actual: CtyValue,
  options: { readonly allowUnknown?: boolean } = {},
  at: AttributePath = [],
): Violation[] {
  const out: Violation[] = [];
  const pln = asObject(planned);
  const act = asObject(actual);
  if (pln === undefined || act === undefined) {
    if ((planned === null) !== (actual === null)) {
      out.push({
        path: at,
        message: `${formatPath(at) || 'object'}: was ${describeValue(planned)}, but now ${describeValue(actual)}`,
      });
    }
    return out;
  }
  for (const [name, a] of Object.entries(block.attributes)) {
    const here = p.attribute(at, name);
    const v = act[name] ?? null;
    if (a.writeOnly === true) {
      if (v !== null)
        out.push({
          path: here,
          message: `${formatPath(here)}: returned a value for a write-only attribute`,
        });
      continue;
    }
    out.push(...valueCompatible(a.type, pln[name] ?? null, v, options.allowUnknown === true, here));
  }
  for (const [name, nb] of Object.entries(block.blocks ?? {})) {
    const here = p.attribute(at, name);
    const pv = pln[name] ?? null;
    const av = act[name] ?? null;
    if (nb.nesting === 'single' || nb.nesting === 'group') {
      out.push(...assertObjectCompatible(nb.block, pv, av, options, here));
      continue;
    }
    const pItems = asArray(pv) ?? [];
    const aItems = asArray(av) ?? [];
    if (pItems.length !== aItems.length) {
      out.push({
        path: here,
        message: `${formatPath(here)}: block count changed from ${pItems.length} to ${aItems.length}`,
      });
    } else if (nb.nesting === 'list') {
      pItems.forEach((e, i) =>
        out.push(
          ...assertObjectCompatible(nb.block, e, aItems[i] ?? null, options, p.index(here, i)),
        ),
      );
    }
  }
  return out;
}

function valueCompatible(
  t: CtyType,
  planned: CtyValue,
  actual: CtyValue,
  allowUnknown: boolean,
  at: AttributePath,
): Violation[] {
  const bad = (message: string): Violation[] => [
    { path: at, message: `${formatPath(at)}: ${message}` },
  ];
  if (planned instanceof Unknown) {
    if (actual instanceof Unknown) return allowUnknown ? [] : bad('unknown value after apply');
    if (!allowUnknown && !isWhollyKnown(actual))
      return bad('value is still partly unknown after apply');
    const r = planned.refinements;
    if (r.notNull === true && actual === null) return bad('was planned as not null, but now null');
    if (
      r.stringPrefix !== undefined &&
      typeof actual === 'string' &&
      !actual.startsWith(r.stringPrefix)
    ) {
      return bad(
        `was planned with prefix ${JSON.stringify(r.stringPrefix)}, but now ${describeValue(actual)}`,
      );
    }
    if (r.numberLower && actual instanceof CtyNumber) {
      const c = actual.compare(r.numberLower.value);
      if (c < 0 || (c === 0 && !r.numberLower.inclusive))
        return bad(`is below the planned lower bound`);
    }
    if (r.numberUpper && actual instanceof CtyNumber) {
      const c = actual.compare(r.numberUpper.value);
      if (c > 0 || (c === 0 && !r.numberUpper.inclusive))
        return bad(`is above the planned upper bound`);
    }
    return [];
  }
  if (isWhollyKnown(planned)) {
    return valuesEqual(planned, actual, t)
      ? []
      : bad(`was ${describeValue(planned)}, but now ${describeValue(actual)}`);
  }
  // Partly known collections: compare what was known.
  if (isObject(t) || isMap(t)) {
    const po = asObject(planned) ?? {};
    const ao = asObject(actual);
    if (ao === undefined)
      return bad(`was ${describeValue(planned)}, but now ${describeValue(actual)}`);
    if (isMap(t) && Object.keys(po).length !== Object.keys(ao).length)
      return bad('map keys changed');
    return Object.keys(po).flatMap((k) =>
      valueCompatible(
        isObject(t) ? (t.object[k] ?? 'dynamic') : t.map,
        po[k] ?? null,
        ao[k] ?? null,
        allowUnknown,
        isObject(t) ? p.attribute(at, k) : p.key(at, k),
      ),
    );
  }
  const pa = asArray(planned) ?? [];
  const aa = asArray(actual);
  if (aa === undefined || aa.length !== pa.length)
    return bad(`was ${describeValue(planned)}, but now ${describeValue(actual)}`);
  if (isList(t) || isTuple(t)) {
    return pa.flatMap((e, i) =>
      valueCompatible(
        isTuple(t) ? (t.tuple[i] ?? 'dynamic') : (elementType(t) ?? 'dynamic'),
        e,
        aa[i] ?? null,
        allowUnknown,
        p.index(at, i),
      ),
    );
  }
  return []; // sets with unknown elements cannot be correlated
}
