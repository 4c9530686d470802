/**
 * Fault injection for reliability tests: per operation, a probability of answering with the
 * cloud's own server error, an added latency, and a probability of dropping the connection
 * without an answer. Settable at start (options / env) and at run time (control endpoint).
 *
 * @module
 */

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

export class FaultInjector {
  private rules: Record<string, FaultRule>;
  private readonly used = new Map<string, number>();

  constructor(
    rules: FaultTable = {},
    private readonly random: () => number = Math.random,
  ) {
    this.rules = { ...rules };
  }

  configure(rules: FaultTable): void {
    this.rules = { ...rules };
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

/** Parses `KEYPLANE_FAULTS`-style JSON (`{"Sign":{"errorRate":0.5}}`), naming the variable on error. */
export function parseFaultTable(json: string | undefined, source: string): FaultTable {
  if (json === undefined || json.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(json);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new Error('not an object');
    return parsed as FaultTable;
  } catch (e) {
    throw new Error(
      `${source}: expected JSON like {"Sign":{"errorRate":0.5,"latencyMs":100}}: ${(e as Error).message}`,
    );
  }
}
