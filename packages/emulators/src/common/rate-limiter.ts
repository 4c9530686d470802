/**
 * Per-operation request quotas, modelled as sliding windows ("N requests per W seconds"), the way
 * AWS (per second), Azure (per 10 s) and GCP (per minute) publish them. Off unless configured.
 *
 * @module
 */

import { ControlTableError, isObject } from './table-error';

export interface QuotaRule {
  /** Requests allowed per window. */
  readonly limit: number;
  /** Window length in seconds. */
  readonly windowSeconds: number;
}

/** Operation (or quota group) name → rule. Operations map to groups with `groupOf`. */
export type QuotaTable = Readonly<Record<string, QuotaRule>>;

export interface QuotaDecision {
  readonly allowed: boolean;
  /** Whole seconds until a request in this group would be admitted (HTTP Retry-After, ≥ 1). */
  readonly retryAfterSeconds: number;
  /** The same wait in milliseconds (gRPC RetryInfo carries a Duration, so sub-second waits). */
  readonly retryAfterMs: number;
}

/**
 * Checks a quota table: group name → `{ limit: integer ≥ 0, windowSeconds: > 0 }`, nothing
 * else. Group names are not checked: each cloud groups operations its own way (AWS per
 * operation, Azure per key type, GCP per metric and per RPC). Throws ControlTableError.
 */
export function validateQuotaTable(value: unknown): QuotaTable {
  if (!isObject(value))
    throw new ControlTableError('quotas', 'expected an object of group name → rule');
  for (const [group, rule] of Object.entries(value)) {
    if (!isObject(rule))
      throw new ControlTableError(group, 'expected a rule object with limit, windowSeconds');
    for (const field of Object.keys(rule))
      if (field !== 'limit' && field !== 'windowSeconds')
        throw new ControlTableError(
          `${group}.${field}`,
          'unknown rule field; allowed: limit, windowSeconds',
        );
    const { limit, windowSeconds } = rule;
    if (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 0)
      throw new ControlTableError(
        `${group}.limit`,
        `${JSON.stringify(limit)} is not allowed; expected an integer ≥ 0`,
      );
    if (typeof windowSeconds !== 'number' || !Number.isFinite(windowSeconds) || windowSeconds <= 0)
      throw new ControlTableError(
        `${group}.windowSeconds`,
        `${JSON.stringify(windowSeconds)} is not allowed; expected seconds > 0`,
      );
  }
  return value as QuotaTable;
}

export class RateLimiter {
  private readonly hits = new Map<string, number[]>();
  /** Requests admitted per quota group since start (benchmarks compute quota-bound limits). */
  private readonly admitted = new Map<string, number>();
  private rules: QuotaTable;

  constructor(
    rules: QuotaTable = {},
    private readonly now: () => number = Date.now,
  ) {
    this.rules = validateQuotaTable(rules);
  }

  /** Replaces the rules (e.g. from the control endpoint); history is kept. Invalid: nothing changes. */
  configure(rules: QuotaTable): void {
    this.rules = validateQuotaTable(rules);
  }

  get table(): QuotaTable {
    return this.rules;
  }

  /** Records a request against `group` and says whether it is within quota. */
  take(group: string): QuotaDecision {
    const rule = this.rules[group];
    if (rule === undefined) return { allowed: true, retryAfterSeconds: 0, retryAfterMs: 0 };
    const t = this.now();
    const windowMs = rule.windowSeconds * 1000;
    const recent = (this.hits.get(group) ?? []).filter((h) => h > t - windowMs);
    if (recent.length >= rule.limit) {
      this.hits.set(group, recent);
      const oldest = recent[0] ?? t;
      // +1: a client timer of N ms can end N-1 ms later by Date.now (millisecond truncation),
      // and a retry that lands just inside the window would be refused again and fall back to
      // random backoff. Advice that is honoured must always be enough.
      const waitMs = Math.max(1, Math.ceil(oldest + windowMs - t)) + 1;
      return {
        allowed: false,
        retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)),
        retryAfterMs: waitMs,
      };
    }
    recent.push(t);
    this.hits.set(group, recent);
    this.admitted.set(group, (this.admitted.get(group) ?? 0) + 1);
    return { allowed: true, retryAfterSeconds: 0, retryAfterMs: 0 };
  }

  /** Requests admitted so far per quota group (groups with a rule only). */
  usage(): Record<string, number> {
    return Object.fromEntries(this.admitted);
  }
}
