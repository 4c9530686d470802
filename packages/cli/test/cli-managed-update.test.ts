/**
 * `managed-key update` with no name=value parameter is a usage error (exit 2) that writes
 * nothing — a forgotten argument must not look like a successful update.
 */
import { cliSandbox, type CliSandbox } from './support/cli';

describe('managed-key update without parameters', () => {
  let sandbox: CliSandbox;
  beforeAll(() => {
    sandbox = cliSandbox();
  });
  afterAll(() => {
    sandbox.dispose();
  });

  it('is refused with exit 2 and the record is unchanged', async () => {
    const env = {
      KEYPLANE_STORE: sandbox.path('keyplane.db'),
      KEYPLANE_SEAL_PASSPHRASE: 'update test passphrase',
    };
    const run = (...args: string[]) => sandbox.runAsync(args, { env });
    const created = await run(
      'managed-key',
      'create',
      'awskms',
      'k1',
      'kms_key=alias/k1',
      'key_type=RSA',
    );
    expect(created.status).toBe(0);
    const before = await run('managed-key', 'read', 'k1', '--json');

    const r = await run('managed-key', 'update', 'k1');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error: managed-key update needs at least one name=value parameter/);
    expect(r.stdout).toBe('');
    const after = await run('managed-key', 'read', 'k1', '--json');
    expect(JSON.parse(after.stdout)).toEqual(JSON.parse(before.stdout));
  }, 60_000);
});
