/**
 * The shapes a policy value can take, each as ONE description that yields both the JSON Schema
 * fragment published with the package and the loader's own validation (with the field path and
 * the allowed values in every message). Schema and loader cannot disagree on what a kind means;
 * the schema test additionally runs an independent validator (ajv) over example documents.
 *
 * @module
 */
import { DURATION_MAX_LENGTH, DURATION_PATTERN, parseDuration } from '../duration';
import { listAllowed, notAllowedMessage } from '../errors';
import { NAME_PATTERN, compilePattern, isValidPattern, type NamePattern } from './patterns';

/** A JSON Schema (draft 2020-12) fragment. */
export type JsonSchema = Readonly<Record<string, unknown>>;

/** One problem found while loading a policy document. */
export interface PolicyProblem {
  /** Path in the document: `rules.allowed_key_types[1]`, `namespaces[0].match`. */
  readonly path: string;
  /** Full sentence, starting with the path. */
  readonly message: string;
  /** Accepted values, when the set is finite. */
  readonly allowed?: readonly string[];
}

export interface ValueKind<T> {
  readonly schema: JsonSchema;
  /** Validates `value` found at `path`; pushes problems and returns undefined when invalid. */
  readonly parse: (value: unknown, path: string, problems: PolicyProblem[]) => T | undefined;
}

/** A duration as written and in seconds. */
export interface ParsedDuration {
  readonly text: string;
  readonly seconds: number;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'array' : typeof value;
}

function problem(path: string, message: string, allowed?: readonly string[]): PolicyProblem {
  return allowed === undefined
    ? { path, message: `${path} ${message}` }
    : { path, message: `${path} ${message}`, allowed };
}

/** Pushes a "must be a …" problem. */
export function wrongType(
  problems: PolicyProblem[],
  path: string,
  expected: string,
  value: unknown,
): void {
  problems.push(problem(path, `must be ${expected}, got ${typeName(value)}`));
}

/** `true` or `false`. */
export const flag: ValueKind<boolean> = {
  schema: { type: 'boolean' },
  parse: (value, path, problems) => {
    if (typeof value === 'boolean') return value;
    wrongType(problems, path, 'true or false', value);
    return undefined;
  },
};

/** A whole number ≥ `minimum`. */
export function integerAtLeast(minimum: number): ValueKind<number> {
  return {
    schema: { type: 'integer', minimum },
    parse: (value, path, problems) => {
      if (typeof value !== 'number' || !Number.isInteger(value)) {
        {
          wrongType(problems, path, 'a whole number', value);
          return undefined;
        }
      }
      if (value < minimum) {
        problems.push(problem(path, `must be at least ${minimum}, got ${value}`));
        return undefined;
      }
      return value;
    },
  };
}

/** A duration greater than zero (`2160h`, `90d`). */
export const positiveDuration: ValueKind<ParsedDuration> = {
  schema: {
    type: 'string',
    // The look-ahead refuses all-zero durations: a maximum of zero would refuse every key.
    pattern: DURATION_PATTERN.replace('^', '^(?=.*[1-9])'),
    maxLength: DURATION_MAX_LENGTH,
  },
  parse: (value, path, problems) => {
    if (typeof value !== 'string') {
      wrongType(problems, path, 'a duration string', value);
      return undefined;
    }
    let seconds: number;
    try {
      seconds = parseDuration(value, path);
    } catch (e) {
      problems.push({ path, message: e instanceof Error ? e.message : String(e) });
      return undefined;
    }
    if (seconds === 0) {
      problems.push(problem(path, `must be longer than zero, got '${value}'`));
      return undefined;
    }
    return { text: value, seconds };
  },
};

function uniqueList<T>(
  item: JsonSchema,
  parseItem: (value: unknown, path: string, problems: PolicyProblem[]) => T | undefined,
): ValueKind<readonly T[]> {
  return {
    schema: { type: 'array', items: item, uniqueItems: true },
    parse: (value, path, problems) => {
      if (!Array.isArray(value)) {
        wrongType(problems, path, 'an array', value);
        return undefined;
      }
      const before = problems.length;
      const out: T[] = [];
      const seen = new Set<string>();
      value.forEach((v: unknown, i) => {
        const at = `${path}[${i}]`;
        const key = JSON.stringify(v);
        if (seen.has(key)) problems.push(problem(at, `repeats an earlier entry (${key})`));
        seen.add(key);
        const parsed = parseItem(v, at, problems);
        if (parsed !== undefined) out.push(parsed);
      });
      return problems.length === before ? out : undefined;
    },
  };
}

/** A list of distinct values, each one of `allowed` (an empty list allows nothing). */
export function listOf<T extends string>(allowed: readonly T[]): ValueKind<readonly T[]> {
  return uniqueList<T>({ enum: allowed }, (v, path, problems) => {
    if (typeof v === 'string' && (allowed as readonly string[]).includes(v)) return v as T;
    problems.push(
      typeof v === 'string'
        ? { path, message: notAllowedMessage(path, v, '', allowed), allowed }
        : problem(path, `must be one of: ${listAllowed(allowed)}; got ${typeName(v)}`, allowed),
    );
    return undefined;
  });
}

/** A name pattern (see patterns.ts). */
export const namePattern: ValueKind<NamePattern> = {
  schema: { type: 'string', pattern: NAME_PATTERN },
  parse: (v, path, problems) => {
    if (typeof v !== 'string') {
      wrongType(problems, path, 'a name pattern string', v);
      return undefined;
    }
    if (!isValidPattern(v)) {
      problems.push(
        problem(
          path,
          `'${v}' is not a name pattern: '/'-separated non-empty segments, '*' inside a segment, '**' only as a whole segment`,
        ),
      );
      return undefined;
    }
    return compilePattern(v);
  },
};

/** A list of distinct name patterns. */
export const patternList: ValueKind<readonly NamePattern[]> = uniqueList(
  namePattern.schema,
  namePattern.parse,
);

/** An object keyed by some of `keys` (e.g. provider names), each value of `inner`. */
export function mapOf<K extends string, T>(
  keyName: string,
  keys: readonly K[],
  inner: ValueKind<T>,
): ValueKind<Readonly<Partial<Record<K, T>>>> {
  return {
    schema: {
      type: 'object',
      propertyNames: { enum: keys },
      additionalProperties: inner.schema,
    },
    parse: (value, path, problems) => {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        {
          wrongType(problems, path, `an object keyed by ${listAllowed(keys)}`, value);
          return undefined;
        }
      }
      const before = problems.length;
      const out: Partial<Record<K, T>> = Object.create(null) as Partial<Record<K, T>>;
      for (const [key, v] of Object.entries(value)) {
        const at = `${path}.${key}`;
        if (!(keys as readonly string[]).includes(key)) {
          problems.push(
            problem(at, `is not a known ${keyName}; allowed: ${listAllowed(keys)}`, keys),
          );
          continue;
        }
        const parsed = inner.parse(v, at, problems);
        if (parsed !== undefined) out[key as K] = parsed;
      }
      return problems.length === before ? out : undefined;
    },
  };
}
