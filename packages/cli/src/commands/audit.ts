/**
 * `keyplane audit verify|tail` — the store's hash-chained audit log. `verify` checks the whole
 * chain and names the first broken entry (exit 1); `tail` prints the last entries, `--follow`
 * keeps printing new ones until interrupted.
 *
 * @module
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { AuditEntry } from '@keyplane/engine';
import { QuietFailure, UsageError, type CommandContext, type CommandSpec } from '../command';
import { JSON_OPTION, REGISTRY_HELP, withStore } from '../managed-context';
import { printResult, printText } from '../output';

const FOLLOW_POLL_MS = 500;

function line(e: AuditEntry): string {
  const code = e.errorCode === null ? '' : ` ${e.errorCode}`;
  return `${e.time} #${String(e.seq)} ${e.actor} ${e.namespace} ${e.operation} ${e.target} ${e.outcome}${code}`;
}

async function print(ctx: CommandContext, entries: readonly AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const json = ctx.values.json === true;
  await printText(ctx, entries.map((e) => (json ? JSON.stringify(e) : line(e))).join('\n'));
}

export const auditVerify: CommandSpec = {
  path: ['audit', 'verify'],
  options: [JSON_OPTION],
  details: REGISTRY_HELP,
  run: async (ctx) => {
    const result = await withStore((store) => store.verifyAudit());
    if (result.ok) {
      await printResult(
        ctx,
        result,
        `Audit log intact: ${String(result.entries)} entries, head ${result.head}.`,
      );
      return;
    }
    await printResult(
      ctx,
      result,
      `Audit log BROKEN at entry ${String(result.brokenAt)}: ${result.reason}.`,
    );
    throw new QuietFailure(result.reason);
  },
};

export const auditTail: CommandSpec = {
  path: ['audit', 'tail'],
  options: [
    {
      name: 'lines',
      type: 'string',
      valueName: 'n',
      description: 'How many entries (default 20).',
    },
    {
      name: 'follow',
      type: 'boolean',
      description: 'Keep printing new entries until interrupted.',
    },
    { ...JSON_OPTION, description: 'Print each entry as one JSON line.' },
  ],
  details: REGISTRY_HELP,
  run: async (ctx) => {
    const n = Number(ctx.values.lines ?? 20);
    if (!Number.isInteger(n) || n < 0) {
      throw new UsageError('--lines must be a non-negative integer', '--lines');
    }
    await withStore(async (store) => {
      const head = (await store.status()).auditEntries;
      let last = Math.max(0, head - n);
      const first = await store.auditEntries({ after: last });
      await print(ctx, first);
      last = first.at(-1)?.seq ?? last;
      const stop = new AbortController();
      const onSignal = () => {
        stop.abort();
      };
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        while (ctx.values.follow === true && !stop.signal.aborted) {
          await sleep(FOLLOW_POLL_MS, undefined, { signal: stop.signal }).catch(() => undefined);
          const next = await store.auditEntries({ after: last });
          await print(ctx, next);
          last = next.at(-1)?.seq ?? last;
        }
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
  },
};

export const AUDIT_COMMANDS: readonly CommandSpec[] = [auditVerify, auditTail];
