/**
 * The README's command 1 is the product's smoke test: scripts/demo.sh runs as a user runs it
 * (real `keyplane dev`, real terraform, the provider from a temp mirror, each cloud's SDK,
 * openssl) and its summary says what the README promises — the same public key read back from
 * AWS, Azure and GCP for v1 and, after the rotation, v2; a signature openssl verifies; destroy
 * done; the local clouds stopped (their process gone) and the temp dir removed; nothing on
 * stderr. A cloud failing mid-apply ends it with terraform's diagnostic and exit 1, clouds still
 * stopped; without terraform it stops at once, naming what to install.
 */
import { spawn } from 'node:child_process';
import { accessSync, existsSync, readFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { describeWithTerraform } from '../packages/provider/test/support/terraform';

const DEMO = resolve(__dirname, '../scripts/demo.sh');
const CLOUDS = 'AWS KMS, Azure Key Vault, GCP Cloud KMS';

function runDemo(env: NodeJS.ProcessEnv = process.env) {
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((done, fail) => {
    const child = spawn('bash', [DEMO], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (status) => {
      done({ status, stdout, stderr });
    });
  });
}

/** Running: /proc/<pid> exists and is not a zombie (a container's PID 1 may never reap it). */
const running = (pid: number): boolean => {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${String(pid)}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

describeWithTerraform('scripts/demo.sh (README command 1)', () => {
  it('prints the summary: fingerprints equal in 3 clouds, signature verified, rotation everywhere, destroyed, stopped', async () => {
    const r = await runDemo();
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = r.stdout;
    expect(out).not.toContain('✘');
    // v1 after apply and again after the rotation; v2 after the rotation only.
    expect(out.split(`✔ fingerprints equal: version 1 in ${CLOUDS}`)).toHaveLength(3);
    expect(out.split(`✔ fingerprints equal: version 2 in ${CLOUDS}`)).toHaveLength(2);
    const v2 = /v2 \(enabled\) {2}(sha256:[0-9a-f]{64})/.exec(out)?.[1];
    expect(v2).toBeDefined();
    for (const [cloud, call, location] of [
      ['AWS KMS', 'GetPublicKey', 'arn:aws:kms:'],
      ['Azure Key Vault', 'getKey', 'https://127.0.0.1:'],
      ['GCP Cloud KMS', 'getPublicKey', 'projects/keyplane-dev/'],
    ] as const)
      expect(out).toMatch(new RegExp(`${cloud} +${call} +${v2 ?? ''} ✔  ${location}`));
    expect(out).toContain('✔ signature verified by openssl');
    expect(out).toContain('✔ openssl rejects the same signature over a changed message');
    expect(out).toContain('Destroy complete! Resources: 10 destroyed.');
    expect(out).toContain('✔ destroyed: no resources left in the state');
    expect(out).toContain('✔ local clouds stopped');
    expect(out).toMatch(/Demo complete in \d+s/);
    const pid = Number(/keyplane dev stopped \(pid (\d+)\)/.exec(out)?.[1]);
    expect(pid).toBeGreaterThan(0);
    expect(running(pid)).toBe(false);
    const work = /installed into (\S+)\/mirror/.exec(out)?.[1] ?? '';
    expect(work).toMatch(/keyplane-demo\./);
    expect(existsSync(work)).toBe(false);
  }, 240_000);

  it('a cloud failing mid-apply: terraform names it, the demo exits 1 and still stops the clouds', async () => {
    // The AWS emulator refuses every CreateKey (`keyplane dev` reads KEYPLANE_AWS_FAULTS); a
    // short backend deadline keeps the provider's retries brief.
    const r = await runDemo({
      ...process.env,
      KEYPLANE_AWS_FAULTS: '{"CreateKey":{"errorRate":1}}',
      KEYPLANE_BACKEND_TIMEOUT_MS: '3000',
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      'CreateKey alias/acme-signing: AWS KMS answered KMSInternalException',
    );
    expect(r.stderr.endsWith('✘ terraform apply failed (output above)\n')).toBe(true);
    expect(r.stdout).not.toContain('Demo complete');
    const pid = Number(/keyplane dev is up in the background \(pid (\d+)/.exec(r.stdout)?.[1]);
    expect(pid).toBeGreaterThan(0);
    expect(running(pid)).toBe(false);
    const work = /installed into (\S+)\/mirror/.exec(r.stdout)?.[1] ?? '';
    expect(work).toMatch(/keyplane-demo\./);
    expect(existsSync(work)).toBe(false);
  }, 120_000);
});

it('without terraform on PATH, the demo stops at once and names what to install', async () => {
  const hasTerraform = (dir: string) => {
    try {
      accessSync(join(dir, 'terraform'));
      return true;
    } catch {
      return false;
    }
  };
  const path = (process.env.PATH ?? '')
    .split(delimiter)
    .filter((dir) => !hasTerraform(dir))
    .join(delimiter);
  const r = await runDemo({ ...process.env, PATH: path });
  expect(r).toMatchObject({
    status: 1,
    stdout: '',
    stderr:
      '✘ terraform not found: install Terraform ≥ 1.11 (https://developer.hashicorp.com/terraform/install)\n',
  });
});
