/**
 * Import jobs: reuse an ACTIVE job of the key ring with the wanted import method and
 * protection level (a job serves any number of imports until it expires after 3 days), else
 * create `keyplane-<method>-<ms>-<random>` and wait until it is ACTIVE (HSM jobs are generated
 * asynchronously by the service).
 *
 * @module
 */
import type { protos } from '@google-cloud/kms';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { BackendError } from '../../errors';
import { callOptions } from './client';
import type { GcpContext } from './context';
import type { Subject } from './errors';
import {
  importMethodName,
  jobStateName,
  protectionName,
  timestampOf,
  type ImportMethodEnum,
} from './wire';

type ImportJob = protos.google.cloud.kms.v1.IImportJob;

export interface ActiveJob {
  readonly name: string;
  readonly pem: string;
}

/** A job that expires within this margin is not worth starting an import with. */
const EXPIRY_MARGIN_MS = 3600_000;
const ACTIVE_TIMEOUT_MS = 120_000;

function usable(job: ImportJob, method: string, protectionLevel: string, now: number): boolean {
  const expires = timestampOf(job.expireTime)?.getTime() ?? Number.POSITIVE_INFINITY;
  return (
    jobStateName(job.state) === 'ACTIVE' &&
    importMethodName(job.importMethod) === method &&
    protectionName(job.protectionLevel) === protectionLevel &&
    (job.publicKey?.pem ?? '') !== '' &&
    expires > now + EXPIRY_MARGIN_MS
  );
}

const activeJob = (job: ImportJob): ActiveJob => ({
  name: job.name ?? '',
  pem: job.publicKey?.pem ?? '',
});

/** Lookups in flight per backend and job kind: concurrent first imports share one job. */
const inFlight = new WeakMap<GcpContext, Map<string, Promise<ActiveJob>>>();

export async function importJobFor(
  ctx: GcpContext,
  method: string,
  protectionLevel: 'HSM' | 'SOFTWARE',
): Promise<ActiveJob> {
  let running = inFlight.get(ctx);
  if (running === undefined) inFlight.set(ctx, (running = new Map<string, Promise<ActiveJob>>()));
  const kind = `${method}/${protectionLevel}`;
  const pending = running.get(kind);
  if (pending !== undefined) return await pending;
  const lookup = findOrCreateJob(ctx, method, protectionLevel).finally(() => {
    running.delete(kind);
  });
  running.set(kind, lookup);
  return await lookup;
}

async function findOrCreateJob(
  ctx: GcpContext,
  method: string,
  protectionLevel: 'HSM' | 'SOFTWARE',
): Promise<ActiveJob> {
  const parent = ctx.settings.keyRingName;
  const ring: Subject = { field: 'key_ring', name: `key ring ${parent}` };
  const [jobs] = await ctx.call('ListImportJobs', ring, (kms) =>
    kms.listImportJobs({ parent }, callOptions()),
  );
  const now = Date.now();
  const reuse = jobs
    .filter((j) => usable(j, method, protectionLevel, now))
    .sort(
      (a, b) =>
        (timestampOf(b.createTime)?.getTime() ?? 0) - (timestampOf(a.createTime)?.getTime() ?? 0),
    )[0];
  if (reuse !== undefined) return activeJob(reuse);

  // A random suffix: another process creating a job in the same millisecond gets its own id.
  const importJobId = `keyplane-${method.toLowerCase().replace(/_/g, '-')}-${String(now)}-${randomBytes(3).toString('hex')}`;
  const name = `${parent}/importJobs/${importJobId}`;
  const subject: Subject = { field: 'import_job', name: `import job ${name}` };
  let job = await ctx.call('CreateImportJob', subject, async (kms) => {
    try {
      const request = {
        parent,
        importJobId,
        importJob: { importMethod: method as ImportMethodEnum, protectionLevel },
      };
      return (await kms.createImportJob(request, callOptions()))[0];
    } catch (error) {
      // ALREADY_EXISTS (6): a retry (same id) whose first attempt worked, or — should ids ever
      // meet despite the random suffix — another distribution's job. A job serves any number of
      // imports, so either way it is used once its method and protection level are the ones
      // asked for.
      if ((error as { code?: unknown }).code === 6) {
        const [existing] = await kms.getImportJob({ name }, callOptions());
        if (
          importMethodName(existing.importMethod) === method &&
          protectionName(existing.protectionLevel) === protectionLevel
        )
          return existing;
      }
      throw error;
    }
  });
  const deadline = Date.now() + ACTIVE_TIMEOUT_MS;
  for (let delay = 100; jobStateName(job.state) !== 'ACTIVE'; delay = Math.min(delay * 2, 2000)) {
    if (jobStateName(job.state) !== 'PENDING_GENERATION' || Date.now() > deadline) {
      throw new BackendError(`gcpckms: import job ${name} is ${jobStateName(job.state)}`, {
        backendCode: jobStateName(job.state),
      });
    }
    await sleep(delay);
    [job] = await ctx.call('GetImportJob', subject, (kms) =>
      kms.getImportJob({ name }, callOptions()),
    );
  }
  return activeJob(job);
}
