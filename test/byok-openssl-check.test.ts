/**
 * The CLI docs' BYOK cross-check must keep working: run scripts/byok-openssl-check.sh as a user would and check
 * that openssl recovered every wrapped key and the refusal was reported.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

it('scripts/byok-openssl-check.sh wraps for AWS, Azure and GCP and openssl recovers each key', () => {
  const r = spawnSync('bash', [resolve(__dirname, '../scripts/byok-openssl-check.sh')], {
    encoding: 'utf8',
  });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  expect(r.stdout.match(/✔ .*openssl recovered the exact key bytes/g)).toHaveLength(3);
  expect(r.stdout).toContain('[ERR_UNSUPPORTED_KEY_TYPE]');
  expect(r.stdout).toContain('BYOK check complete');
});
