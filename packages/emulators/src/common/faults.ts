/**
 * Fault injection for reliability tests: per operation, a probability of answering with the
 * cloud's own server error, an added latency, and a probability of dropping the connection
 * without an answer. Settable at start (options / env) and at run time (control endpoint).
 *
 * @module
 */

import { ControlTableError, isObject } from './table-error';

export interface FaultRule {
  /** 0..1: answer with a retryable server error (AWS 500 KMSInternalException, Azure 503, GCP UNAVAILABLE). */
  readonly errorRate?: number;
  /** Added latency before answering, in milliseconds. */
  readonly latencyMs?: number;
  /** 0..1: destroy the socket without answering. */
  readonly dropRate?: number;
  /** Apply to at most this many requests, then stop (deterministic tests: `errorRate: 1, times: 2`). */
  readonly times?: number;
}

/** Operation name (or `*` for all) → rule. */
export type FaultTable = Readonly<Record<string, FaultRule>>;

export type FaultAction = 'none' | 'error' | 'drop';

export interface FaultDecision {
  readonly action: FaultAction;
  readonly latencyMs: number;
}

/** Every rule field with what it accepts: the one place values are checked (start and run time). */
const RULE_FIELDS: Readonly<
  Record<keyof FaultRule, { readonly ok: (v: number) => boolean; readonly allowed: string }>
> = {
  errorRate: { ok: (v) => v >= 0 && v <= 1, allowed: 'a number from 0 to 1' },
  dropRate: { ok: (v) => v >= 0 && v <= 1, allowed: 'a number from 0 to 1' },
  latencyMs: { ok: (v) => v >= 0 && v <= 600_000, allowed: 'milliseconds from 0 to 600000' },
  times: { ok: (v) => Number.isInteger(v) && v >= 0, allowed: 'an integer ≥ 0' },
};

/**
 * Checks a fault table: an object of operation name (one of `operations`, or `*`) → rule whose
 * fields are the known ones with values in range. Throws ControlTableError naming the field and
 * the allowed values; a typo must not silently inject nothing.
 */
export function validateFaultTable(value: unknown, operations: readonly string[]): FaultTable {
  if (!isObject(value))
    throw new ControlTableError('faults', 'expected an object of operation name → rule');
  for (const [operation, rule] of Object.entries(value)) {
    if (operation !== '*' && !operations.includes(operation))
      throw new ControlTableError(
        operation,
        `unknown operation; allowed: *, ${[...operations].sort().join(', ')}`,
      );
    if (!isObject(rule))
      throw new ControlTableError(operation, `expected a rule object with ${ruleFieldList()}`);
    for (const [field, v] of Object.entries(rule)) {
      const spec = Object.hasOwn(RULE_FIELDS, field)
        ? RULE_FIELDS[field as keyof FaultRule]
        : undefined;
      if (spec === undefined)
        throw new ControlTableError(
          `${operation}.${field}`,
          `unknown rule field; allowed: ${ruleFieldList()}`,
        );
      if (typeof v !== 'number' || !Number.isFinite(v) || !spec.ok(v))
        throw new ControlTableError(
          `${operation}.${field}`,
          `${JSON.stringify(v)} is not allowed; expected ${spec.allowed}`,
        );
    }
  }
  return value as FaultTable;
}

const ruleFieldList = (): string => Object.keys(RULE_FIELDS).join(', ');

export class FaultInjector {
  private rules: Record<string, FaultRule>;
  private readonly used = new Map<string, number>();

  /** `operations`: the emulator's operation names, the only keys (besides `*`) a table may use. */
  constructor(
    rules: FaultTable,
    private readonly operations: readonly string[],
    private readonly random: () => number = Math.random,
  ) {
    this.rules = { ...validateFaultTable(rules, operations) };
  }

  /** Replaces the rules; an invalid table throws ControlTableError and changes nothing. */
  configure(rules: FaultTable): void {
    this.rules = { ...validateFaultTable(rules, this.operations) };
    this.used.clear();
  }

  get table(): FaultTable {
    return this.rules;
  }

  /** Decides what happens to one request for `operation`. */
  decide(operation: string): FaultDecision {
    const key = operation in this.rules ? operation : '*';
    const rule = this.rules[key];
    if (rule === undefined) return { action: 'none', latencyMs: 0 };
    const count = this.used.get(key) ?? 0;
    if (rule.times !== undefined && count >= rule.times) return { action: 'none', latencyMs: 0 };
    const latencyMs = rule.latencyMs ?? 0;
    let action: FaultAction = 'none';
    if ((rule.dropRate ?? 0) > 0 && this.random() < (rule.dropRate ?? 0)) action = 'drop';
    else if ((rule.errorRate ?? 0) > 0 && this.random() < (rule.errorRate ?? 0)) action = 'error';
    if (action !== 'none' || latencyMs > 0) this.used.set(key, count + 1);
    return { action, latencyMs };
  }
}

/**
 * Parses `KEYPLANE_FAULTS`-style JSON (`{"Sign":{"errorRate":0.5}}`) and checks it against the
 * emulator's `operations`, naming `source` (the flag or variable) on error.
 */
export function parseFaultTable(
  json: string | undefined,
  source: string,
  operations: readonly string[],
): FaultTable {
  if (json === undefined || json.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (e) {
    throw new Error(
      `${source}: expected JSON like {"Sign":{"errorRate":0.5,"latencyMs":100}}: ${(e as Error).message}`,
    );
  }
  try {
    return validateFaultTable(parsed, operations);
  } catch (e) {
    throw new Error(`${source}: ${(e as Error).message}`);
  }
}
