/**
 * Fleet distribution: N central RSA-2048 keys × AWS KMS, Azure Key Vault and GCP Cloud KMS
 * (the dev-stack emulators, quotas off), 8 keys in flight, each key to the three clouds at once.
 * Keyplane (`KeyClient.distributions.distribute`: store records, per-key lease, compatibility
 * table, adoption tags) vs a hand-written baseline making the same SDK calls through the same
 * backends' importKeyVersion with the same parallelism and no lifecycle. Budget ≤ 1.20×.
 *
 * @module
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  KeyClient,
  KmsConnectionClient,
  LifecycleContext,
  generateKeyMaterial,
  openStore,
  PassphraseSeal,
  type KeyStore,
  type KmsBackend,
} from '@keyplane/engine';
import { startDevStack, type DevStack, type DevStackOptions } from '@keyplane/emulators';
import type { PairResult } from './harness';

export const IN_FLIGHT = 8;

type KmsAttributesLike = Parameters<LifecycleContext['backendFor']>[0]['attributes'];
export const CLOUDS = ['aws', 'azure', 'gcp'] as const;

export async function pool(count: number, fn: (i: number) => Promise<unknown>): Promise<number> {
  const start = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < count) await fn(next++);
    }),
  );
  return performance.now() - start;
}

export interface Fleet {
  readonly stack: DevStack;
  readonly store: KeyStore;
  readonly ctx: LifecycleContext;
  readonly client: KeyClient;
  close(): Promise<void>;
}

/** The dev stack (with `options`), a store, and KMS connections aws / azure / gcp to it. */
export async function startFleet(options: Omit<DevStackOptions, 'stateDir'> = {}): Promise<Fleet> {
  const dir = mkdtempSync(join(tmpdir(), 'kp-bench-distribute-'));
  mkdirSync(join(dir, 'dev'));
  const stack = await startDevStack({ stateDir: join(dir, 'dev'), ...options });
  const store = await openStore(join(dir, 'keyplane.db'), {
    seal: new PassphraseSeal('keyplane bench passphrase'),
  });
  const ctx = new LifecycleContext({ store });
  const env = stack.env;
  const kms = new KmsConnectionClient(ctx);
  await kms.create('aws', {
    provider: 'awskms',
    key_collection: 'us-east-1',
    credentials: {
      access_key: env.AWS_ACCESS_KEY_ID ?? '',
      secret_key: env.AWS_SECRET_ACCESS_KEY ?? '',
    },
    options: { endpoint: env.KEYPLANE_AWS_KMS_ENDPOINT ?? '' },
  });
  await kms.create('azure', {
    provider: 'azurekeyvault',
    key_collection: 'bench-vault',
    options: {
      endpoint: env.KEYPLANE_AZURE_KEYVAULT_URL ?? '',
      ca_file: env.KEYPLANE_AZURE_CA_FILE ?? '',
    },
  });
  await kms.create('gcp', {
    provider: 'gcpckms',
    key_collection: env.KEYPLANE_GCP_KEY_RING ?? '',
    options: { endpoint: env.KEYPLANE_GCP_KMS_ENDPOINT ?? '' },
  });
  return {
    stack,
    store,
    ctx,
    client: new KeyClient(ctx),
    close: async () => {
      await ctx.close();
      await store.close();
      await stack.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function benchDistribute(quick: boolean): Promise<PairResult> {
  const keys = quick ? 6 : 50;
  const fleet = await startFleet();
  const { store, ctx, client } = fleet;
  const baselineBackends: KmsBackend[] = [];
  try {
    // The baseline: the same backend configs, opened once, called directly.
    for (const name of CLOUDS) {
      const record = await store.get<KmsAttributesLike>('kms', 'root', name);
      if (record === undefined) throw new Error(`no kms ${name}`);
      baselineBackends.push(await ctx.backendFor(record));
    }
    const materials = Array.from({ length: keys }, () => generateKeyMaterial('rsa-2048'));
    for (let i = 0; i < keys; i++) await client.create(`fleet-${String(i)}`, { type: 'rsa-2048' });

    // Warm-up, one key per cloud sequentially: connections open and the GCP import job exists
    // (concurrent first imports into one key ring race on creating it: ERR_ALREADY_EXISTS).
    for (const b of baselineBackends) {
      await b.importKeyVersion(
        { name: b.type === 'awskms' ? 'alias/warm-up' : 'warm-up' },
        generateKeyMaterial('rsa-2048'),
        { keyplaneKey: 'warm-up', keyplaneVersion: 1, usages: ['sign', 'verify'] },
      );
    }
    const baselineMs = await pool(keys, async (i) => {
      const material = materials[i];
      if (material === undefined) return;
      await Promise.all(
        baselineBackends.map((b) =>
          b.importKeyVersion(
            { name: b.type === 'awskms' ? `alias/raw-${String(i)}` : `raw-${String(i)}` },
            material,
            {
              keyplaneKey: `raw-${String(i)}`,
              keyplaneVersion: 1,
              usages: ['sign', 'verify'],
            },
          ),
        ),
      );
    });
    const subjectMs = await pool(keys, async (i) => {
      await Promise.all(
        CLOUDS.map((c) =>
          client.distributions.distribute(c, `fleet-${String(i)}`, { purpose: 'sign,verify' }),
        ),
      );
    });
    const ops = keys * CLOUDS.length;
    return {
      name: `distribute ${String(keys)} rsa-2048 keys × 3 clouds, ${String(IN_FLIGHT)} in flight (Keyplane vs direct importKeyVersion)`,
      baselineOpsPerSec: (ops / baselineMs) * 1000,
      subjectOpsPerSec: (ops / subjectMs) * 1000,
      ratio: subjectMs / baselineMs,
      throughputRatio: subjectMs / baselineMs,
      rounds: 1,
      budget: 1.2,
    };
  } finally {
    await fleet.close();
  }
}
