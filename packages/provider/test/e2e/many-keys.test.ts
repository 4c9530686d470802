/**
 * Many keys at once through real terraform and the provider executable: 30 ECDSA keys, each
 * distributed to the GCP Cloud KMS emulator, applied with `-parallelism=10` against one SQLite store
 * and against a real PostgreSQL (one terraform workspace each, one `terraform init`) — every key
 * has exactly version 1 in state, in the store and in GCP (one live version per crypto key,
 * nothing orphaned), the re-plan is empty, destroy removes it all. The GCP endpoint is the
 * provider block's `endpoint` override (the connection names none). Then SIGINT to
 * terraform's process group in the middle of an apply (as Ctrl-C in a terminal): terraform
 * stops gracefully, the provider does not die on the signal, the state is saved, and the next
 * apply converges with no lost or duplicated version. Every audit entry names the actor
 * (`terraform:<user>@<host>`, or KEYPLANE_ACTOR). The secret scanner runs over every state,
 * plan and the TF_LOG.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { KeyManagementServiceClient } from '@google-cloud/kms';
import {
  startGcpKmsEmulator,
  startPostgres,
  type GcpKmsEmulator,
  type PostgresServer,
} from '@keyplane/emulators';
import { scanForSecrets } from '../support/secret-scan';
import {
  REQUIRED_PROVIDERS,
  TerraformWorkdir,
  describeWithTerraform,
  resourcesOf,
} from '../support/terraform';
import { gcpLiveVersions, storeCensus } from '../support/version-census';
import { kmsClient } from '../../../emulators/test/support/gcp-client';

const KEYS = 30;
/** Who the audit log names: KEYPLANE_ACTOR when set, else terraform:<user>@<host>. */
const PG_ACTOR = 'ci:runner-7';
const actorOf = (prefix: string) =>
  prefix === 'pg' ? PG_ACTOR : `terraform:${userInfo().username}@${hostname()}`;
const PASSPHRASE = 'many keys e2e passphrase 71b3';
const RING_PARENT = 'projects/kp-many/locations/us-east1';
const RING = `${RING_PARENT}/keyRings/many`;

const config = (gcpPort: number) => `${REQUIRED_PROVIDERS}
# The GCP endpoint comes from the provider block's override (keyplane_kms names none).
provider "keyplane" {
  endpoint {
    gcpckms = "127.0.0.1:${String(gcpPort)}"
  }
}

variable "prefix" {
  type = string
}

resource "keyplane_kms" "gcp" {
  name           = "gcp-\${var.prefix}"
  type           = "gcpckms"
  key_collection = "${RING}"
}

resource "keyplane_key" "k" {
  count            = ${String(KEYS)}
  name             = "\${var.prefix}-\${count.index}"
  type             = "ecdsa-p256"
  deletion_allowed = true
}

resource "keyplane_key_distribution" "k" {
  count   = ${String(KEYS)}
  key     = keyplane_key.k[count.index].name
  kms     = keyplane_kms.gcp.name
  purpose = ["sign", "verify"]
}
`;

describeWithTerraform('30 keys with distributions: -parallelism=10, SIGINT mid-apply', () => {
  let emulator: GcpKmsEmulator;
  let gcp: KeyManagementServiceClient;
  let postgres: PostgresServer;
  let tf: TerraformWorkdir;
  let files: string;
  let log: string;
  const plans: string[] = [];
  const stateFiles: string[] = [];

  /** The env of one scenario: its store, its name prefix (and, for pg, who acts). */
  const scenario = (store: string, prefix: string) => ({
    env: {
      KEYPLANE_STORE: store,
      TF_VAR_prefix: prefix,
      ...(prefix === 'pg' ? { KEYPLANE_ACTOR: PG_ACTOR } : {}),
    },
  });

  async function workspace(name: string): Promise<void> {
    await tf.ok(['workspace', 'new', '-no-color', name]);
    stateFiles.push(join(tf.dir, 'terraform.tfstate.d', name, 'terraform.tfstate'));
  }

  /** State, store and AWS all hold exactly version 1 of every key; the re-plan is empty. */
  async function expectConverged(store: string, prefix: string): Promise<void> {
    const env = scenario(store, prefix);
    const names = Array.from({ length: KEYS }, (_, i) => `${prefix}-${String(i)}`);
    const r = await tf.ok(['show', '-json', '-no-color'], [0], env);
    const resources = resourcesOf(JSON.parse(r.stdout) as Parameters<typeof resourcesOf>[0]);
    const keys = resources.filter((x) => x.type === 'keyplane_key');
    const dists = resources.filter((x) => x.type === 'keyplane_key_distribution');
    expect(keys.map((k) => k.values.name).sort()).toEqual([...names].sort());
    for (const k of keys) expect(Object.keys(k.values.versions as object)).toEqual(['1']);
    expect(dists).toHaveLength(KEYS);
    for (const d of dists) expect(Object.keys(d.values.versions as object)).toEqual(['1']);

    const census = await storeCensus(store, PASSPHRASE);
    expect(census.keys).toEqual(Object.fromEntries(names.map((n) => [n, [1]])));
    expect(census.distributions).toEqual(
      Object.fromEntries(names.map((n) => [`gcp-${prefix}/${n}`, [1]])),
    );
    expect(census.actors).toEqual([actorOf(prefix)]);
    const live = await gcpLiveVersions(gcp, RING);
    expect(Object.fromEntries(names.map((n) => [n, live[n]]))).toEqual(
      Object.fromEntries(names.map((n) => [n, 1])),
    );

    const plan = await tf.ok(
      ['plan', '-detailed-exitcode', '-input=false', '-no-color'],
      [0, 2],
      env,
    );
    expect(plan.code).toBe(0);
  }

  async function destroyAll(store: string, prefix: string): Promise<void> {
    await tf.ok(
      ['destroy', '-auto-approve', '-input=false', '-no-color', '-parallelism=10'],
      [0],
      scenario(store, prefix),
    );
    const live = await gcpLiveVersions(gcp, RING);
    expect(
      Object.entries(live).filter(([n, count]) => n.startsWith(`${prefix}-`) && count > 0),
    ).toEqual([]);
    expect((await storeCensus(store, PASSPHRASE)).keys).toEqual({});
  }

  beforeAll(async () => {
    emulator = await startGcpKmsEmulator({ port: 0, keyRings: [RING] });
    gcp = kmsClient(emulator.port);
    postgres = await startPostgres();
    files = mkdtempSync(join(tmpdir(), 'kp-tf-many-'));
    log = join(files, 'tf-debug.log');
    tf = new TerraformWorkdir({
      env: {
        KEYPLANE_SEAL_PASSPHRASE: PASSPHRASE,
        METADATA_SERVER_DETECTION: 'none',
        TF_LOG: 'debug',
        TF_LOG_PATH: log,
      },
    });
    tf.write({ 'main.tf': config(emulator.port) });
    await tf.init();
  }, 120_000);

  afterAll(async () => {
    tf.cleanup();
    rmSync(files, { recursive: true, force: true });
    await gcp.close();
    postgres.stop();
    await emulator.close();
  });

  it.each([
    ['SQLite', 'sq', () => `sqlite://${join(files, 'parallel.db')}`],
    ['PostgreSQL', 'pg', () => postgres.url],
  ])(
    'apply -parallelism=10 on one %s store: no lost or duplicated version, re-plan empty',
    async (_name, prefix, storeUrl) => {
      const store = storeUrl();
      await workspace(prefix);
      await tf.ok(
        ['plan', '-out=tfplan', '-input=false', '-no-color'],
        [0],
        scenario(store, prefix),
      );
      plans.push((await tf.ok(['show', '-json', '-no-color', 'tfplan'])).stdout);
      const started = Date.now();
      await tf.ok(
        ['apply', '-input=false', '-no-color', '-parallelism=10', 'tfplan'],
        [0],
        scenario(store, prefix),
      );
      process.stderr.write(
        `${_name}: apply of ${String(KEYS * 2 + 1)} resources took ${String(Date.now() - started)} ms\n`,
      );
      await expectConverged(store, prefix);
      await destroyAll(store, prefix);
    },
    240_000,
  );

  it('SIGINT to the process group mid-apply: state saved, the next apply converges', async () => {
    const store = `sqlite://${join(files, 'interrupt.db')}`;
    const env = scenario(store, 'int').env;
    await workspace('int');
    const run = tf.start(
      ['apply', '-auto-approve', '-input=false', '-no-color', '-parallelism=10'],
      {
        env,
        detached: true,
      },
    );
    // Interrupt once some distributions are done, with others in flight.
    let out = '';
    await new Promise<void>((resolve) => {
      run.child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (
          (out.match(/keyplane_key_distribution\.k\[\d+\]: Creation complete/g) ?? []).length >= 5
        )
          resolve();
      });
      void run.done.then(() => {
        resolve();
      });
    });
    if (run.child.exitCode === null) process.kill(-(run.child.pid ?? 0), 'SIGINT');
    const interrupted = await run.done;
    expect(interrupted.stdout).toContain('Interrupt received');
    expect(interrupted.code).toBe(1);
    // The provider survived the signal: no plugin crash, no lost connection.
    expect(interrupted.stderr).not.toMatch(
      /plugin (crashed|did not respond)|connection is shut down/i,
    );
    const saved = resourcesOf(
      JSON.parse((await tf.ok(['show', '-json', '-no-color'], [0], { env })).stdout) as Parameters<
        typeof resourcesOf
      >[0],
    );
    const done = saved.filter((r) => r.type === 'keyplane_key_distribution').length;
    expect(done).toBeGreaterThanOrEqual(5);
    expect(done).toBeLessThan(KEYS);

    await tf.ok(['apply', '-auto-approve', '-input=false', '-no-color', '-parallelism=10'], [0], {
      env,
    });
    await expectConverged(store, 'int');
    await destroyAll(store, 'int');

    const found = scanForSecrets(
      [
        ...stateFiles.map((file, i) => ({ name: `state ${String(i)}`, file })),
        ...plans.map((text, i) => ({ name: `plan ${String(i)}`, text })),
        { name: 'TF_LOG=debug', file: log },
        { name: 'store', file: join(files, 'interrupt.db') },
      ],
      [PASSPHRASE],
    );
    expect(found).toEqual([]);
  }, 300_000);
});
