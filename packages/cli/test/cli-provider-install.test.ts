/**
 * `keyplane provider install` (the real executable): the filesystem-mirror layout Terraform
 * reads, a launcher that starts the real provider, and the CLI-config snippet — which real
 * terraform then uses to `init` offline.
 */
import { spawnSync } from 'node:child_process';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliSandbox, type CliSandbox } from './support/cli';

let sandbox: CliSandbox;
beforeAll(() => {
  sandbox = cliSandbox();
});
afterAll(() => {
  sandbox.dispose();
});

const platform = `${process.platform}_${process.arch === 'x64' ? 'amd64' : process.arch}`;

it('writes registry.terraform.io/keyplane/keyplane/<version>/<os_arch>/terraform-provider-keyplane_v<version>', () => {
  const mirror = sandbox.path('mirror');
  const r = sandbox.run('provider', 'install', '--dir', mirror, '--json');
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const result = JSON.parse(r.stdout) as { executable: string; version: string; cliConfig: string };
  expect(result.executable).toBe(
    join(
      mirror,
      'registry.terraform.io/keyplane/keyplane',
      result.version,
      platform,
      `terraform-provider-keyplane_v${result.version}`,
    ),
  );
  expect(statSync(result.executable).mode & 0o777).toBe(0o755);
  expect(result.cliConfig).toContain(`path    = ${JSON.stringify(mirror)}`);
  // The launcher starts the real provider: run by a human, it says what it is.
  const run = spawnSync(result.executable, [], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH },
  });
  expect(run.status).toBe(1);
  expect(run.stderr).toContain('This binary is a plugin.');
});

it('prints the CLI configuration snippet for the mirror', () => {
  const r = sandbox.run('provider', 'install', '--dir', sandbox.path('m2'));
  expect(r.status).toBe(0);
  expect(r.stdout).toContain('provider_installation {');
  expect(r.stdout).toContain('include = ["registry.terraform.io/keyplane/*"]');
  expect(r.stdout).toContain('exclude = ["registry.terraform.io/keyplane/*"]');
});

const terraform = spawnSync('terraform', ['version'], { encoding: 'utf8' }).status === 0;
(terraform ? it : it.skip)(
  'lets terraform init offline from the mirror with the printed configuration',
  () => {
    const mirror = sandbox.path('m3');
    const r = sandbox.run('provider', 'install', '--dir', mirror, '--json');
    const { cliConfig } = JSON.parse(r.stdout) as { cliConfig: string };
    const work = sandbox.path('');
    writeFileSync(join(work, 'tf.rc'), cliConfig);
    writeFileSync(
      join(work, 'main.tf'),
      'terraform {\n  required_providers {\n    keyplane = { source = "keyplane/keyplane" }\n  }\n}\n',
    );
    const init = spawnSync('terraform', ['init', '-no-color', '-input=false'], {
      cwd: work,
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH,
        HOME: work,
        CHECKPOINT_DISABLE: '1',
        TF_CLI_CONFIG_FILE: join(work, 'tf.rc'),
      },
    });
    expect(init.stderr).toBe('');
    expect(init.stdout).toContain('Installing keyplane/keyplane v0.1.0');
    expect(init.status).toBe(0);
  },
);
