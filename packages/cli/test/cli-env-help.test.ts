/**
 * The CLI's help lists the environment variables from the engine's table (`@keyplane/engine/env`),
 * not from its own copy: every row the CLI uses appears in `keyplane --help` with its default,
 * and the store commands' help names the same variables.
 */
import {
  DEFAULT_STORE_PATH,
  ENV_VARIABLES,
  envVariablesUsedBy,
  formatEnvHelp,
} from '@keyplane/engine/env';
import { cliSandbox, type CliSandbox } from './support/cli';

let sandbox: CliSandbox;
beforeAll(() => {
  sandbox = cliSandbox();
});
afterAll(() => {
  sandbox.dispose();
});

it('keyplane --help has an Environment section rendered from the table', async () => {
  const r = await sandbox.runAsync(['--help']);
  expect(r.status).toBe(0);
  expect(r.stdout).toContain(`Environment:\n${formatEnvHelp(envVariablesUsedBy('cli'))}\n`);
  for (const v of envVariablesUsedBy('cli')) expect(r.stdout).toContain(v.name);
  expect(r.stdout).toContain(`(default: ${DEFAULT_STORE_PATH})`);
});

it('store help names the store, seal and namespace variables of the table', async () => {
  const r = await sandbox.runAsync(['store', 'init', '--help']);
  expect(r.status).toBe(0);
  for (const v of [ENV_VARIABLES.store, ENV_VARIABLES.seal, ENV_VARIABLES.namespace])
    expect(r.stdout).toContain(v.name);
  expect(r.stdout).toContain(`default ${DEFAULT_STORE_PATH}`);
});
