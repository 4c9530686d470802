/**
 * Per-resource leases: a row (resource, holder, expiry on the database's clock) taken with one
 * atomic upsert that only succeeds when the row is free, expired, or already ours; renewed at a
 * third of its TTL while held; stolen only after it expired, so a `kill -9`ed holder blocks
 * others for at most one TTL. Each statement is its own short transaction: no database lock is
 * ever held across the cloud calls a lease protects.
 *
 * @module
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { ConflictError, InvalidArgumentError } from '../errors';
import type { Lease, LeaseOptions } from './contract';
import type { StoreDialect } from './dialect';

const DEFAULT_TTL_MS = 30_000;
const MIN_TTL_MS = 100;

export function defaultHolder(): string {
  return `${hostname()}:${String(process.pid)}:${randomUUID().slice(0, 8)}`;
}

async function tryAcquire(
  dialect: StoreDialect,
  resource: string,
  holder: string,
  ttlMs: number,
): Promise<boolean> {
  const now = dialect.now();
  const row = await dialect.db
    .insertInto('leases')
    .values((eb) => ({
      resource,
      holder,
      expires_at: eb(now, '+', ttlMs),
      acquired_at: now,
    }))
    .onConflict((oc) =>
      oc
        .column('resource')
        .doUpdateSet((eb) => ({
          holder: eb.ref('excluded.holder'),
          expires_at: eb.ref('excluded.expires_at'),
          acquired_at: eb.ref('excluded.acquired_at'),
        }))
        .where((eb) =>
          eb.or([eb('leases.expires_at', '<', now), eb('leases.holder', '=', holder)]),
        ),
    )
    .returning('holder')
    .executeTakeFirst();
  return row !== undefined;
}

async function currentHolder(
  dialect: StoreDialect,
  resource: string,
): Promise<{ holder: string; expiresAt: number } | undefined> {
  const row = await dialect.db
    .selectFrom('leases')
    .select(['holder', 'expires_at'])
    .where('resource', '=', resource)
    .executeTakeFirst();
  return row === undefined ? undefined : { holder: row.holder, expiresAt: row.expires_at };
}

export async function acquireLease(
  dialect: StoreDialect,
  resource: string,
  options: LeaseOptions = {},
): Promise<Lease> {
  const holder = options.holder ?? defaultHolder();
  const ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
  if (!Number.isInteger(ttlMs) || ttlMs < MIN_TTL_MS) {
    throw new InvalidArgumentError(`lease ttlMs must be an integer ≥ ${String(MIN_TTL_MS)}`, {
      field: 'ttlMs',
    });
  }
  const deadline = Date.now() + (options.waitMs ?? 0);
  for (;;) {
    if (await tryAcquire(dialect, resource, holder, ttlMs)) break;
    if (Date.now() >= deadline) {
      const held = await currentHolder(dialect, resource);
      throw new ConflictError(
        `lease on ${resource} is held by ${held?.holder ?? 'another holder'} until ${held === undefined ? 'it is released' : new Date(held.expiresAt).toISOString()}; retry later`,
        { field: 'lease' },
      );
    }
    await new Promise((r) => setTimeout(r, Math.min(100, Math.max(10, ttlMs / 10))));
  }
  return heldLease(dialect, resource, holder, ttlMs);
}

function heldLease(dialect: StoreDialect, resource: string, holder: string, ttlMs: number): Lease {
  const controller = new AbortController();
  const renew = async (): Promise<void> => {
    const result = await dialect.db
      .updateTable('leases')
      .set((eb) => ({ expires_at: eb(dialect.now(), '+', ttlMs) }))
      .where('resource', '=', resource)
      .where('holder', '=', holder)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) {
      const error = new ConflictError(`lease on ${resource} was lost (it expired and was taken)`, {
        field: 'lease',
      });
      controller.abort(error);
      throw error;
    }
  };
  const timer = setInterval(
    () => {
      renew().catch(() => undefined);
    },
    Math.floor(ttlMs / 3),
  );
  timer.unref();
  return {
    resource,
    holder,
    signal: controller.signal,
    renew,
    release: async () => {
      clearInterval(timer);
      await dialect.db
        .deleteFrom('leases')
        .where('resource', '=', resource)
        .where('holder', '=', holder)
        .execute();
    },
  };
}
