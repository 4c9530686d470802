/**
 * What the Keyplane resources share: reading typed values out of cty objects, the configured
 * context (or a diagnostic saying the provider is not configured yet), and engine errors as
 * diagnostics on the attribute the engine's `field` names.
 *
 * @module
 */
import type { Diagnostics } from '../framework/diagnostics';
import { requiresReplace } from '../framework/planmodifiers/requires-replace';
import { useStateForUnknown } from '../framework/planmodifiers/use-state-for-unknown';
import type { Attribute, Validator } from '../framework/schema';
import { types } from '../protocol/cty/types';
import { errorDiagnostic } from '../framework/diagnostics';
import { path, type AttributePath } from '../protocol/cty/path';
import { CtyNumber } from '../protocol/cty/number';
import { asArray, isUnknown, type CtyObject, type CtyValue } from '../protocol/cty/values';
import type { ProviderContext } from '../provider/context';
import type {
  DeleteRequest,
  DiagnosticsResponse,
  ImportRequest,
  ImportResponse,
} from '../framework/resource';

export const str = (v: CtyValue | undefined): string | undefined =>
  typeof v === 'string' ? v : undefined;
export const bool = (v: CtyValue | undefined): boolean | undefined =>
  typeof v === 'boolean' ? v : undefined;
export const num = (v: CtyValue | undefined): CtyNumber | undefined =>
  v instanceof CtyNumber ? v : undefined;
export const strings = (v: CtyValue | undefined): string[] | undefined => {
  const arr = v === undefined ? undefined : asArray(v);
  return arr?.filter((e): e is string => typeof e === 'string');
};

/** A known, non-null value. */
export const isSet = (v: CtyValue | undefined): boolean =>
  v !== undefined && v !== null && !isUnknown(v);

/** The context, or an error diagnostic when the provider block is not configured (yet). */
export function contextOf(
  ctx: ProviderContext | undefined,
  diags: Diagnostics,
): ProviderContext | undefined {
  if (ctx === undefined) {
    diags.error(
      'Provider not configured',
      'The keyplane provider block depends on values not known yet; apply those first.',
    );
  }
  return ctx;
}

export const isNotFound = (e: unknown): boolean =>
  (e as { code?: unknown } | null)?.code === 'ERR_NOT_FOUND';

/** An engine failure as a diagnostic; its `field` becomes the attribute path via `attributeOf`. */
export function engineDiagnostic(
  diags: Diagnostics,
  summary: string,
  e: unknown,
  attributeOf: (field: string) => string | undefined,
): void {
  errorDiagnostic(diags, summary, e, (field): AttributePath | undefined => {
    const name = attributeOf(field);
    return name === undefined ? undefined : path.root(name);
  });
}

/** Runs `fn`, reporting an engine failure as {@link engineDiagnostic}; undefined on failure. */
export async function attempt<T>(
  diags: Diagnostics,
  summary: string,
  attributeOf: (field: string) => string | undefined,
  fn: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await fn();
  } catch (e) {
    engineDiagnostic(diags, summary, e, attributeOf);
    return undefined;
  }
}

/** The object with some attributes replaced. */
export function withValues(o: CtyObject, values: Readonly<Record<string, CtyValue>>): CtyObject {
  return Object.assign(Object.create(null) as Record<string, CtyValue>, o, values);
}

/** Unix seconds or ISO text as RFC 3339 (what Terraform users compare with timestamp()). */
export const rfc3339 = (iso: string): string => new Date(iso).toISOString();

/**
 * An import id `NAME[,attribute=value…]`: values Terraform cannot read back (write-only
 * versions, triggers) are given with the id, so the plan after import is empty.
 */
export function parseImportId(
  id: string,
  allowed: Readonly<Record<string, 'number' | 'string'>>,
  diags: Diagnostics,
): { name: string; values: Record<string, CtyValue> } | undefined {
  const [name = '', ...pairs] = id.split(',');
  const values: Record<string, CtyValue> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const key = (eq < 0 ? pair : pair.slice(0, eq)).trim();
    const text = eq < 0 ? '' : pair.slice(eq + 1).trim();
    const kind = Object.prototype.hasOwnProperty.call(allowed, key) ? allowed[key] : undefined;
    const value = kind === 'number' ? CtyNumber.parse(text) : kind === 'string' ? text : undefined;
    if (value === undefined) {
      diags.error(
        'Invalid import id',
        `expected NAME or NAME,<attribute>=<value>,… with attributes among ${Object.keys(allowed).join(', ') || '(none)'}; got "${pair}"`,
      );
      return undefined;
    }
    values[key] = value;
  }
  return { name: name.trim(), values };
}

/** `id`: the name, which is also the import id; stable once created. */
export const ID_ATTRIBUTE: Attribute = {
  type: types.string,
  computed: true,
  description: 'The name (import id).',
  planModifiers: [useStateForUnknown()],
};

/** `name`: unique in the namespace; a change replaces the `what`. */
export function nameAttribute(what: string, validators: readonly Validator[] = []): Attribute {
  return {
    type: types.string,
    required: true,
    description: `Name, unique in the namespace. Changing it replaces the ${what}.`,
    planModifiers: [requiresReplace()],
    ...(validators.length === 0 ? {} : { validators }),
  };
}

/**
 * Refresh: the object as `read` finds it, or null when it is gone (deleted out of band), so
 * the next plan re-creates it. Other failures are errors.
 */
export async function readOrGone(
  resp: { state: CtyObject | null },
  read: () => Promise<CtyObject>,
): Promise<void> {
  try {
    resp.state = await read();
  } catch (e) {
    if (!isNotFound(e)) throw e;
    resp.state = null;
  }
}

/**
 * Delete by the name in state; a record already gone counts as deleted (destroy after an
 * out-of-band delete must converge, not fail).
 */
export async function deleteByName(
  req: DeleteRequest<ProviderContext>,
  resp: DiagnosticsResponse,
  summary: string,
  attributeOf: (field: string) => string | undefined,
  remove: (ctx: ProviderContext, name: string) => Promise<unknown>,
): Promise<void> {
  const ctx = contextOf(req.ctx, resp.diagnostics);
  const name = str(req.state.name);
  if (ctx === undefined || name === undefined) return;
  await attempt(resp.diagnostics, summary, attributeOf, async () => {
    try {
      await remove(ctx, name);
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  });
}

/**
 * `terraform import` of a record addressed by name ({@link parseImportId}): the record must
 * exist in the store before anything reaches state; the read that follows fills the rest.
 */
export async function importByName(
  req: ImportRequest<ProviderContext>,
  resp: ImportResponse,
  allowed: Readonly<Record<string, 'number' | 'string'>>,
  attributeOf: (field: string) => string | undefined,
  read: (ctx: ProviderContext, name: string) => Promise<unknown>,
): Promise<void> {
  const ctx = contextOf(req.ctx, resp.diagnostics);
  if (ctx === undefined) return;
  const parsed = parseImportId(req.id, allowed, resp.diagnostics);
  if (parsed === undefined) return;
  const found = await attempt(resp.diagnostics, 'Cannot import', attributeOf, async () => {
    await read(ctx, parsed.name);
    return true;
  });
  if (found) resp.state = { ...parsed.values, id: parsed.name, name: parsed.name };
}
