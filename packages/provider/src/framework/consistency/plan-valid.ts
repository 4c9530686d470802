/**
 * Terraform's "Provider produced invalid plan" rules, checked before a plan leaves the provider
 * (a TypeScript reading of hashicorp/terraform `internal/plans/objchange/plan_valid.go`
 * `AssertPlanValid` and docs/resource-instance-change-lifecycle.md):
 * - a non-computed attribute is planned exactly as configured (null config → null plan);
 * - a configured computed attribute is planned as configured, or as its prior value;
 * - a write-only attribute is planned null;
 * - nested blocks keep the configured count and are never unknown.
 *
 * @module
 */
import { formatPath, path as p, type AttributePath } from '../../protocol/cty/path';
import {
  asArray,
  asObject,
  isUnknown,
  valuesEqual,
  type CtyValue,
} from '../../protocol/cty/values';
import type { Block } from '../schema';
import { describeValue } from './describe';

export interface Violation {
  readonly path: AttributePath;
  readonly message: string;
}

export function assertPlanValid(
  block: Block,
  prior: CtyValue | undefined,
  config: CtyValue,
  planned: CtyValue,
  at: AttributePath = [],
): Violation[] {
  const out: Violation[] = [];
  const cfg = asObject(config);
  const pln = asObject(planned);
  const pri = prior === undefined ? undefined : asObject(prior);
  if (pln === undefined) {
    out.push({ path: at, message: 'planned value must be a known object' });
    return out;
  }
  for (const [name, a] of Object.entries(block.attributes)) {
    const here = p.attribute(at, name);
    const c = cfg?.[name] ?? null;
    const v = pln[name] ?? null;
    const s = pri?.[name] ?? null;
    const bad = (message: string) =>
      out.push({ path: here, message: `${formatPath(here)}: ${message}` });
    if (a.writeOnly === true) {
      if (v !== null) bad('planned a value for a write-only attribute');
      continue;
    }
    if (a.computed !== true) {
      if (!valuesEqual(v, c, a.type)) {
        bad(
          c === null
            ? `planned value ${describeValue(v)} for a non-computed attribute`
            : `planned value ${describeValue(v)} does not match config value ${describeValue(c)}`,
        );
      }
      continue;
    }
    if (c === null) continue; // optional+computed left unset: the provider decides
    if (isUnknown(c)) {
      if (!isUnknown(v))
        bad(`planned value ${describeValue(v)} for a value that is unknown in configuration`);
      continue;
    }
    if (!valuesEqual(v, c, a.type) && !(pri !== undefined && valuesEqual(v, s, a.type))) {
      bad(
        `planned value ${describeValue(v)} does not match config value ${describeValue(c)} nor prior value ${describeValue(s)}`,
      );
    }
  }
  for (const [name, nb] of Object.entries(block.blocks ?? {})) {
    const here = p.attribute(at, name);
    const c = cfg?.[name] ?? null;
    const v = pln[name] ?? null;
    const s = pri?.[name] ?? null;
    if (nb.nesting === 'single' || nb.nesting === 'group') {
      if (nb.nesting === 'single' && (c === null) !== (v === null)) {
        out.push({
          path: here,
          message: `${formatPath(here)}: block presence differs from configuration`,
        });
      } else if (v !== null) out.push(...assertPlanValid(nb.block, s ?? undefined, c, v, here));
      continue;
    }
    const items = asArray(v);
    const cItems = asArray(c) ?? [];
    if (items === undefined) {
      out.push({
        path: here,
        message: `${formatPath(here)}: nested blocks must be planned as a known collection, never null or unknown`,
      });
      continue;
    }
    if (items.length !== cItems.length) {
      out.push({
        path: here,
        message: `${formatPath(here)}: planned ${items.length} blocks, config has ${cItems.length}`,
      });
      continue;
    }
    if (nb.nesting === 'list') {
      const sItems = asArray(s);
      items.forEach((e, i) => {
        out.push(
          ...assertPlanValid(
            nb.block,
            sItems?.[i] ?? undefined,
            cItems[i] ?? null,
            e,
            p.index(here, i),
          ),
        );
      });
    } else {
      items.forEach((e, i) => {
        if (asObject(e) === undefined)
          out.push({
            path: p.index(here, i),
            message: `${formatPath(here)}: a set block element must be a known object`,
          });
      });
    }
  }
  return out;
}
