/**
 * Managed-key parameters through the real executable: `managed-key create <type> --help` lists
 * each backend's parameters from the engine's table (with required / sensitive / allowed facts),
 * and a create with several problems reports all of them at once — one `error:` line, or with
 * `--json` one object whose diagnostics name each parameter — exit 2, nothing stored.
 */
import { BACKEND_TYPES, managedKeyParameters } from '@keyplane/engine';
import { cliSandbox, type CliSandbox } from './support/cli';

let sandbox: CliSandbox;
let env: Record<string, string>;
beforeAll(async () => {
  sandbox = cliSandbox();
  env = {
    KEYPLANE_STORE: sandbox.path('keyplane.db'),
    KEYPLANE_SEAL_PASSPHRASE: 'parameter test passphrase',
  };
  // The development-seal warning is printed once, here, not by the commands under test.
  expect(await sandbox.runAsync(['store', 'init'], { env })).toMatchObject({ status: 0 });
});
afterAll(() => {
  sandbox.dispose();
});

describe('managed-key create <type> --help', () => {
  it.each(BACKEND_TYPES)('%s: every parameter of its table, with its facts', async (type) => {
    const r = await sandbox.runAsync(['managed-key', 'create', type, '--help'], { env });
    expect(r).toMatchObject({ status: 0, stderr: '' });
    expect(r.stdout).toContain(`Parameters for ${type} (Vault's /sys/managed-keys parameters):`);
    const listed = [...r.stdout.matchAll(/^ {2}([a-z_]+) {4,}/gm)].map((m) => m[1]);
    expect(listed).toEqual(
      expect.arrayContaining(managedKeyParameters(type).map((row) => row.name)),
    );
    expect(r.stdout).not.toMatch(/seed 00/i);
  });

  it('pkcs11 help says which parameters are required, sensitive and bounded', async () => {
    const r = await sandbox.runAsync(['managed-key', 'create', 'pkcs11', '--help'], { env });
    expect(r.stdout).toMatch(
      /^ {2}pin +The PIN for login\. \(required; sensitive: use @file or -\)$/m,
    );
    expect(r.stdout).toMatch(/^ {2}key_id +.*\(required: one of key_label, key_id\)$/m);
    expect(r.stdout).toMatch(/^ {2}max_parallel +.*\(default 1; 1-1024\)$/m);
  });

  it('without a type: the generic parameters and how to see a backend’s', async () => {
    const r = await sandbox.runAsync(['managed-key', 'create', '--help'], { env });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Generic parameters');
    expect(r.stdout).toContain('keyplane managed-key create <type> --help');
    expect(r.stdout).not.toContain('  library ');
  });
});

describe('several problems at once', () => {
  const args = [
    'managed-key',
    'create',
    'pkcs11',
    'k1',
    'library=libsofthsm2.so',
    'pin=13572468',
    'mechanism=0x9999',
    'max_parallel=1e20',
  ];

  it('one error line naming every parameter, exit 2, no PIN', async () => {
    const r = await sandbox.runAsync(args, { env });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^error: 5 problems with pkcs11 managed key parameters: library /);
    for (const field of [
      'library',
      'mechanism',
      'max_parallel',
      'key_label or key_id',
      'slot or token_label',
    ])
      expect(r.stderr).toContain(field);
    expect(r.stderr).not.toContain('13572468');
  });

  it('--json: one object with a diagnostic per problem', async () => {
    const r = await sandbox.runAsync([...args, '--json'], { env });
    expect(r.status).toBe(2);
    const { error } = JSON.parse(r.stderr) as {
      error: { code: string; field: string; diagnostics: { code: string; field: string }[] };
    };
    expect(error).toMatchObject({ code: 'ERR_INVALID_ARGUMENT', field: 'library' });
    expect(error.diagnostics.map((d) => [d.code, d.field])).toEqual([
      ['ERR_INVALID_ARGUMENT', 'library'],
      ['ERR_INVALID_ARGUMENT', 'mechanism'],
      ['ERR_INVALID_ARGUMENT', 'max_parallel'],
      ['ERR_MISSING_PARAMETER', 'key_label'],
      ['ERR_MISSING_PARAMETER', 'slot'],
    ]);
    const list = await sandbox.runAsync(['managed-key', 'list', '--json'], { env });
    expect(JSON.parse(list.stdout)).toEqual({ keys: [] });
  });
});
