/**
 * Attribute paths: where in a value a diagnostic or a replacement applies
 * (tfplugin6 `AttributePath`: attribute name, string key, integer index steps).
 *
 * @module
 */
import type { AttributePath as WirePath } from '../messages';

export type PathStep =
  { readonly attribute: string } | { readonly key: string } | { readonly index: number };

export type AttributePath = readonly PathStep[];

export const path = {
  root: (name: string): AttributePath => [{ attribute: name }],
  attribute: (p: AttributePath, name: string): AttributePath => [...p, { attribute: name }],
  key: (p: AttributePath, key: string): AttributePath => [...p, { key }],
  index: (p: AttributePath, index: number): AttributePath => [...p, { index }],
};

/** `a.b[0]["k"]`, the way Terraform prints paths. */
export function formatPath(p: AttributePath): string {
  return p
    .map((s, i) => {
      if ('attribute' in s) return i === 0 ? s.attribute : `.${s.attribute}`;
      if ('key' in s) return `[${JSON.stringify(s.key)}]`;
      return `[${String(s.index)}]`;
    })
    .join('');
}

export function pathToWire(p: AttributePath): WirePath {
  return {
    steps: p.map((s) =>
      'attribute' in s
        ? { attributeName: s.attribute }
        : 'key' in s
          ? { elementKeyString: s.key }
          : { elementKeyInt: s.index },
    ),
  };
}

export function pathFromWire(p: WirePath): AttributePath {
  return p.steps.map((s): PathStep => {
    if (s.attributeName !== undefined && s.attributeName !== '')
      return { attribute: s.attributeName };
    if (s.elementKeyString !== undefined && s.elementKeyString !== '')
      return { key: s.elementKeyString };
    const i = s.elementKeyInt;
    return { index: typeof i === 'number' ? i : (i?.toNumber() ?? 0) };
  });
}

export function pathsEqual(a: AttributePath, b: AttributePath): boolean {
  return formatPath(a) === formatPath(b);
}
