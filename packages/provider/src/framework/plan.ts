/**
 * Planning, the way terraform-plugin-framework does it (`internal/fwserver/
 * server_planresourcechange.go`): start from Terraform's proposed new state, drop write-only
 * values, apply defaults, mark computed attributes the configuration leaves null as unknown
 * when the resource is created or changes, then run each attribute's plan modifiers and collect
 * requires-replace paths where the planned value differs from state.
 *
 * @module
 */
import { path as p, type AttributePath } from '../protocol/cty/path';
import {
  UNKNOWN,
  asArray,
  asObject,
  objectValue,
  valuesEqual,
  type CtyValue,
} from '../protocol/cty/values';
import type { Diagnostics } from './diagnostics';
import { impliedType, type Block, type PlanModifierResponse } from './schema';
import { withoutWriteOnly } from './walk';

export interface BlockPlan {
  readonly planned: CtyValue;
  readonly requiresReplace: AttributePath[];
}

export function planBlock(
  block: Block,
  config: CtyValue,
  prior: CtyValue | undefined,
  proposed: CtyValue,
  diags: Diagnostics,
): BlockPlan {
  const requiresReplace: AttributePath[] = [];
  const start = withoutWriteOnly(block, proposed);
  const changed =
    prior === undefined || !valuesEqual(start, withoutWriteOnly(block, prior), impliedType(block));
  const planned = planObject(block, config, prior, start, changed, [], requiresReplace, diags);
  return { planned, requiresReplace };
}

function planObject(
  block: Block,
  config: CtyValue,
  prior: CtyValue | undefined,
  proposed: CtyValue,
  changed: boolean,
  at: AttributePath,
  replace: AttributePath[],
  diags: Diagnostics,
): CtyValue {
  const cfg = asObject(config);
  const pri = prior === undefined ? undefined : asObject(prior);
  const prop = asObject(proposed);
  if (prop === undefined) return proposed;
  const out: [string, CtyValue][] = [];
  for (const [name, a] of Object.entries(block.attributes)) {
    const here = p.attribute(at, name);
    const c = cfg?.[name] ?? null;
    const s = pri === undefined ? undefined : (pri[name] ?? null);
    let v: CtyValue = prop[name] ?? null;
    if (a.writeOnly === true) v = null;
    else if (a.computed === true && c === null) {
      if (a.default !== undefined) v = a.default;
      else if (s === undefined || changed) v = UNKNOWN;
    }
    let requires = false;
    for (const modifier of a.planModifiers ?? []) {
      const resp: PlanModifierResponse = { plan: v, requiresReplace: requires, diagnostics: diags };
      modifier.modify({ path: here, config: c, state: s, plan: v }, resp);
      v = resp.plan;
      requires = resp.requiresReplace;
    }
    if (requires && s !== undefined && !valuesEqual(s, v, a.type)) replace.push(here);
    out.push([name, v]);
  }
  for (const [name, nb] of Object.entries(block.blocks ?? {})) {
    const here = p.attribute(at, name);
    const v = prop[name] ?? null;
    const c = cfg?.[name] ?? null;
    const s = pri === undefined ? undefined : (pri[name] ?? null);
    if (nb.nesting === 'single' || nb.nesting === 'group') {
      out.push([
        name,
        v === null
          ? null
          : planObject(nb.block, c, s ?? undefined, v, changed, here, replace, diags),
      ]);
    } else if (nb.nesting === 'list') {
      const items = asArray(v) ?? [];
      const cItems = asArray(c) ?? [];
      const sItems = s === undefined ? undefined : asArray(s);
      out.push([
        name,
        items.map((e, i) =>
          planObject(
            nb.block,
            cItems[i] ?? null,
            sItems?.[i] ?? undefined,
            e,
            changed,
            p.index(here, i),
            replace,
            diags,
          ),
        ),
      ]);
    } else {
      // Set elements cannot be correlated with prior elements by position; planned as proposed.
      out.push([name, asArray(v)?.map((e) => withoutWriteOnly(nb.block, e)) ?? v]);
    }
  }
  return objectValue(out);
}
