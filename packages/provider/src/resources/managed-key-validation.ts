/**
 * keyplane_managed_key's configuration check at validate/plan time, with attribute paths: a
 * parameter the `type` does not take, a value outside the allowed set, a missing required
 * parameter, a broken cross-parameter rule — every problem at once. The rules are the engine's
 * own (`validateParameters`), run on the known part of the configuration (required and
 * cross-parameter rules only once nothing is unknown), so plan and apply never disagree.
 *
 * @module
 */
import { validateParameters as engineValidate } from '@keyplane/engine/managed-parameters';
import type { Diagnostics } from '../framework/diagnostics';
import { CtyNumber } from '../protocol/cty/number';
import { path } from '../protocol/cty/path';
import { isUnknown, type CtyObject } from '../protocol/cty/values';
import { strings } from './common';
import {
  MANAGED_KEY_TYPES,
  PARAMETERS,
  attributeForField,
  type ManagedKeyType,
} from './managed-key-parameters';

export function validateParameters(config: CtyObject, diags: Diagnostics): void {
  const type = config.type;
  if (typeof type !== 'string' || !(MANAGED_KEY_TYPES as readonly string[]).includes(type)) return;
  const t = type as ManagedKeyType;
  const accepted = PARAMETERS.filter((p) => p.types.includes(t)).map((p) => p.attribute);
  const known: Record<string, unknown> = {};
  const pending: Record<string, string> = {};
  for (const p of PARAMETERS) {
    const v = config[p.attribute] ?? null;
    const version = p.secret ? (config[`${p.parameter}_wo_version`] ?? null) : null;
    if (v === null && version === null) continue;
    if (!p.types.includes(t)) {
      const at = v === null ? `${p.parameter}_wo_version` : p.attribute;
      diags.error(
        'Parameter not accepted for this type',
        `${at} is not a parameter of ${t} managed keys; ${t} accepts: ${accepted.join(', ')}`,
        path.root(at),
      );
      continue;
    }
    if (v === null) continue;
    const allowed = p.specs[t]?.allowed;
    if (typeof v === 'string' && allowed !== undefined && !allowed.includes(v)) {
      // The engine accepts any case (Vault compatibility) but stores the canonical spelling;
      // Terraform compares exactly, so only that spelling keeps plans (and imports) empty.
      const canonical = allowed.find((a) => a.toUpperCase() === v.toUpperCase());
      diags.error(
        'Invalid attribute value',
        `${p.attribute} must be one of: ${allowed.join(', ')}; got "${v}"${canonical === undefined ? '' : ` (write "${canonical}")`}`,
        path.root(p.attribute),
      );
      continue;
    }
    if (isUnknown(v)) pending[p.parameter] = 'unknown';
    else
      known[p.parameter] =
        v instanceof CtyNumber ? v.toString() : Array.isArray(v) ? strings(v) : v;
  }
  if (diags.hasErrors()) return;
  const complete = Object.keys(pending).length === 0;
  for (const d of engineValidate(t, known, { defaults: true, complete }).diagnostics) {
    const at = d.field === undefined ? undefined : attributeForField(d.field);
    diags.error(
      'Invalid managed key parameters',
      `${withAttributeNames(d.message, d.allowed)} [${d.code}]`,
      at === undefined ? undefined : path.root(at),
    );
  }
}

/** The engine names parameters (`pin`); the user wrote attributes (`pin_wo`). */
function withAttributeNames(message: string, allowed: readonly string[] | undefined): string {
  const renamed = (allowed ?? [])
    .map((a) => attributeForField(a))
    .filter((a): a is string => a !== undefined && !(allowed ?? []).includes(a));
  return renamed.length === 0 ? message : `${message} (attribute ${renamed.join(' or ')})`;
}
