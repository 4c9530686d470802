/**
 * Name patterns for namespaces (`team-a/*`, `prod/**`) and key collections
 * (`eu-*`, `projects/acme-prod/**`). Two wildcards, nothing else:
 * - `*` matches any run of characters inside one `/`-separated segment (possibly empty);
 * - `**` as a whole segment matches zero or more segments, so `prod/**` matches `prod`,
 *   `prod/payments` and `prod/payments/eu`.
 * Matching is case-sensitive and there is no escape: a literal `*` cannot be matched.
 *
 * Hand-written rather than a glob library on purpose: the pattern language is part of the policy
 * format (the JSON Schema describes it with {@link NAME_PATTERN}), evaluated identically at CDKTF
 * synth, Terraform plan and engine apply; a glob library's dialect (braces, negation, extglobs,
 * dot-file rules) would silently widen that contract and could change with an upgrade.
 *
 * @module
 */

/** One segment: `**`, or characters where a `*` is never next to another `*`. */
const SEGMENT = String.raw`(?:\*\*|(?:[^/*]|\*(?!\*))+)`;

/** ECMA-262 regular expression source of a valid pattern (anchored), shared with the schema. */
export const NAME_PATTERN = `^${SEGMENT}(?:/${SEGMENT})*$`;

const VALID = new RegExp(NAME_PATTERN);

/** A compiled pattern; build with {@link compilePattern}. */
export interface NamePattern {
  readonly source: string;
  /** Exact name (no wildcard): beats any wildcard pattern in precedence. */
  readonly exact: boolean;
  /** Characters that are not wildcards: the more, the more specific. */
  readonly literalLength: number;
  matches(name: string): boolean;
}

/** Whether `source` is a well-formed pattern (see the module comment). */
export function isValidPattern(source: string): boolean {
  return VALID.test(source);
}

function segmentRegExp(segment: string): RegExp {
  const body = segment
    .split('*')
    .map((literal) => literal.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&'))
    .join('[^/]*');
  return new RegExp(`^${body}$`);
}

/**
 * Compiles a pattern the caller has checked with {@link isValidPattern}. Segment matching with
 * memoization keeps `**` linear in (pattern segments × name segments).
 */
export function compilePattern(source: string): NamePattern {
  const segments = source.split('/').map((s) => (s === '**' ? null : segmentRegExp(s)));
  const exact = !source.includes('*');
  const literalLength = source.replace(/\*/g, '').length;
  const matches = (name: string): boolean => {
    if (exact) return name === source;
    const parts = name.split('/');
    const seen = new Map<number, boolean>();
    const at = (i: number, j: number): boolean => {
      const key = i * (parts.length + 1) + j;
      const known = seen.get(key);
      if (known !== undefined) return known;
      let result: boolean;
      if (i === segments.length) result = j === parts.length;
      else {
        const segment = segments[i];
        if (segment === null) {
          result = at(i + 1, j) || (j < parts.length && at(i, j + 1));
        } else {
          result = j < parts.length && segment?.test(parts[j] ?? '') === true && at(i + 1, j + 1);
        }
      }
      seen.set(key, result);
      return result;
    };
    return at(0, 0);
  };
  return { source, exact, literalLength, matches };
}

/**
 * Orders two matching patterns by precedence: negative when `a` yields to `b`. An exact name
 * beats every wildcard pattern; otherwise more literal characters win.
 */
export function comparePrecedence(a: NamePattern, b: NamePattern): number {
  if (a.exact !== b.exact) return a.exact ? 1 : -1;
  return a.literalLength - b.literalLength;
}
