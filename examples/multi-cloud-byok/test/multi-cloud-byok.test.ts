/**
 * The example app as its users run it: synthesized (secrets only as sensitive variables), then
 * real terraform and the real provider executable against the local clouds of `keyplane dev up`
 * (emulators + SoftHSM2 token, own state dir, fresh ports): apply → every cloud's own SDK serves
 * the key's public key for v1 → plan empty → rotate trigger → v2 in all three clouds → destroy
 * → nothing left in state, and no secret or private key in synth output, state, plan, TF_LOG
 * or the store.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import { cliSandbox, type CliSandbox } from '../../../packages/cli/test/support/cli';
import { parseExports } from '../../../packages/cli/test/support/dev';
import { e2eArtifacts, scanForSecrets } from '../../../packages/provider/test/support/secret-scan';
import {
  TerraformWorkdir,
  describeWithTerraform,
} from '../../../packages/provider/test/support/terraform';
import {
  CLOUDS,
  closeCloudSdks,
  devCloudSdks,
  readBackAll,
  type CloudSdks,
} from '../src/read-back';
import { settingsFromEnv } from '../src/settings';
import { MultiCloudByokStack } from '../src/stack';

const PASSPHRASE = 'multi-cloud-byok example passphrase 7c1e';

type Outputs = Record<string, { value: unknown }>;
type Versions = Record<string, { cloud_id: string; cloud_version: string; state: string }>;

describeWithTerraform('examples/multi-cloud-byok against keyplane dev', () => {
  let sandbox: CliSandbox;
  let env: Record<string, string>;
  let tf: TerraformWorkdir;
  let sdks: CloudSdks;
  let files: string;
  let store: string;
  let log: string;
  const plans: string[] = [];
  const synthesized: string[] = [];
  const dev = (...args: string[]) =>
    sandbox.run('dev', ...args, '--state-dir', sandbox.path('dev'));

  function synth(rotateTrigger?: string): string {
    const stack = new MultiCloudByokStack(Testing.app(), 'multi-cloud-byok', {
      clouds: settingsFromEnv(env),
      ...(rotateTrigger === undefined ? {} : { rotateTrigger }),
    });
    const json = Testing.synth(stack);
    synthesized.push(json);
    return json;
  }

  /** Each cloud's SDK fingerprints per version, and the key's own per version. */
  async function served(): Promise<{ key: Record<string, string>; clouds: string[] }> {
    const out = await tf.outputs();
    const versions = Object.fromEntries(
      CLOUDS.map((c) => [c, (out[`${c}_versions`] as Outputs[string]).value as Versions]),
    ) as Record<(typeof CLOUDS)[number], Versions>;
    const reads = await readBackAll(sdks, String(out.key_name?.value), versions);
    const keyVersions = out.key_versions?.value as Record<string, { fingerprint: string }>;
    return {
      key: Object.fromEntries(Object.entries(keyVersions).map(([v, k]) => [v, k.fingerprint])),
      clouds: reads.map((r) => `${r.cloud} v${r.version} ${r.state} ${r.fingerprint}`).sort(),
    };
  }
  const expected = (key: Record<string, string>) =>
    CLOUDS.flatMap((c) => Object.entries(key).map(([v, f]) => `${c} v${v} enabled ${f}`)).sort();

  beforeAll(() => {
    sandbox = cliSandbox();
    const up = dev('up', '--detach', '--aws-port', '0', '--azure-port', '0', '--gcp-port', '0');
    expect(up).toMatchObject({ status: 0, stderr: '' });
    env = parseExports(dev('env').stdout);
    sdks = devCloudSdks(env);
    files = mkdtempSync(join(tmpdir(), 'kp-example-mcb-'));
    store = join(files, 'keyplane.db');
    log = join(files, 'tf-debug.log');
    tf = new TerraformWorkdir({
      env: {
        ...env,
        KEYPLANE_STORE: store,
        KEYPLANE_SEAL_PASSPHRASE: PASSPHRASE,
        TF_VAR_aws_access_key: env.AWS_ACCESS_KEY_ID,
        TF_VAR_aws_secret_key: env.AWS_SECRET_ACCESS_KEY,
        TF_VAR_hsm_pin: env.KEYPLANE_PKCS11_PIN,
        TF_LOG: 'debug',
        TF_LOG_PATH: log,
      },
    });
  }, 60_000);

  afterAll(async () => {
    await closeCloudSdks(sdks);
    tf.cleanup();
    rmSync(files, { recursive: true, force: true });
    dev('down');
    sandbox.dispose();
  });

  it('synthesizes secrets as sensitive variables without defaults, sent write-only', () => {
    const doc = JSON.parse(synth()) as {
      variable: Record<string, { sensitive?: boolean; default?: unknown }>;
      resource: { keyplane_kms: Record<string, { credentials_wo?: Record<string, string> }> };
    };
    for (const name of ['aws_access_key', 'aws_secret_key', 'hsm_pin'])
      expect(doc.variable[name]).toEqual(expect.objectContaining({ sensitive: true }));
    expect(Object.values(doc.variable).filter((v) => 'default' in v)).toEqual([]);
    const aws = Object.values(doc.resource.keyplane_kms).find((k) => k.credentials_wo);
    expect(aws?.credentials_wo).toEqual({
      access_key: '${var.aws_access_key}',
      secret_key: '${var.aws_secret_key}',
    });
  });

  it('applies: AWS, Azure and GCP each serve the key’s v1 public key; the next plan is empty', async () => {
    tf.write({ 'cdk.tf.json': synth() });
    await tf.init();
    await tf.apply();
    const { key, clouds } = await served();
    expect(Object.keys(key)).toEqual(['1']);
    expect(clouds).toEqual(expected(key));
    await tf.ok(['plan', '-out=plan.tfplan', '-input=false', '-no-color']);
    plans.push((await tf.ok(['show', '-json', 'plan.tfplan'])).stdout);
    expect((await tf.planIsEmpty()).empty).toBe(true);
  }, 180_000);

  it('a new rotate trigger makes v2, imported into all three clouds', async () => {
    tf.write({ 'cdk.tf.json': synth('2026-12 rotation') });
    await tf.apply();
    // The distributions learn of the key's new version at the next refresh.
    await tf.ok(['apply', '-refresh-only', '-auto-approve', '-input=false', '-no-color']);
    const { key, clouds } = await served();
    expect(Object.keys(key)).toEqual(['1', '2']);
    expect(key['2']).not.toBe(key['1']);
    expect(clouds).toEqual(expected(key));
    expect((await tf.planIsEmpty()).empty).toBe(true);
  }, 180_000);

  it('destroys everything; no secret or private key in synth output, state, plan, log or store', async () => {
    await tf.destroy();
    expect((await tf.ok(['state', 'list'])).stdout.trim()).toBe('');
    // `keyplane dev`'s AWS secret and PIN are fixed public values ('keyplane-dev' is also the
    // token label and key ring name, '1234' is in every id): the passphrase is this run's own
    // secret; write-only credentials are asserted above as variable references.
    const secrets = [PASSPHRASE];
    const targets = [
      ...e2eArtifacts({ dir: tf.dir, plans, log, store }),
      ...synthesized.map((text, i) => ({ name: `synth ${String(i)}`, text })),
    ];
    expect(scanForSecrets(targets, secrets)).toEqual([]);
  }, 120_000);
});
