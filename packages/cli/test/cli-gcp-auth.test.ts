/**
 * Issue 8, item 5: GCP credentials that cannot be loaded (a missing credentials file, no
 * Application Default Credentials) end in one `error:` line naming where they were looked
 * for, with the stable code — never an unhandled-rejection stack; KEYPLANE_DEBUG=1 adds it.
 */
import { mkdirSync } from 'node:fs';
import { cliSandbox, type CliSandbox } from './support/cli';

describe('GCP credential failures', () => {
  let sandbox: CliSandbox;
  let env: Record<string, string>;
  const ring = ['project=p', 'region=global', 'key_ring=r', 'algorithm=EC_SIGN_P256_SHA256'];

  beforeAll(async () => {
    sandbox = cliSandbox();
    mkdirSync(sandbox.path('home'));
    // No ADC anywhere: an empty HOME, no GOOGLE_* variables, no metadata server lookups.
    env = {
      HOME: sandbox.path('home'),
      KEYPLANE_STORE: sandbox.path('keyplane.db'),
      KEYPLANE_SEAL_PASSPHRASE: 'gcp auth test passphrase',
      METADATA_SERVER_DETECTION: 'none',
      GOOGLE_APPLICATION_CREDENTIALS: '',
      GOOGLE_CREDENTIALS: '',
      CLOUDSDK_CONFIG: sandbox.path('home'),
    };
    for (const [name, extra] of [
      ['missing-file', ['credentials=/missing.json', 'crypto_key=c1']],
      ['no-adc', ['crypto_key=c2']],
    ] as const) {
      const r = await sandbox.runAsync(
        ['managed-key', 'create', 'gcpckms', name, ...ring, ...extra],
        {
          env,
        },
      );
      expect(r.status).toBe(0);
    }
  });
  afterAll(() => {
    sandbox.dispose();
  });

  it.each([
    ['missing-file', "credentials file '/missing.json': ENOENT"],
    ['no-adc', 'Application Default Credentials'],
  ])('%s: one error line with the code, no stack', async (name, where) => {
    const r = await sandbox.runAsync(['managed-key', 'test-sign', name], { env });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      new RegExp(
        `^error: GCP credentials could not be loaded from ${where}[^\\n]*\\[ERR_AUTHENTICATION_FAILED\\]\\n$`,
      ),
    );
  });

  it('KEYPLANE_DEBUG=1 shows the stack as well', async () => {
    const r = await sandbox.runAsync(['managed-key', 'test-sign', 'missing-file'], {
      env: { ...env, KEYPLANE_DEBUG: '1' },
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^AuthenticationFailedError: GCP credentials[^\n]*\n\s+at /);
    expect(r.stderr).toMatch(/\nerror: GCP credentials[^\n]*\[ERR_AUTHENTICATION_FAILED\]\n$/);
  });
});
