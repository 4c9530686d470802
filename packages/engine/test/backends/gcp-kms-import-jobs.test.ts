/**
 * A fleet's first imports into a fresh GCP key ring, all at once through one backend (the
 * emulator, the real gax client): each succeeds, and they share one import job instead of
 * racing to create the same job id (which answered ALREADY_EXISTS to all but one).
 */
import { generateKeyMaterial, type KeyUsage } from '@keyplane/engine';
import { startGcpKmsTestEnv, type GcpKmsTestEnv } from './support/gcp-kms';

let env: GcpKmsTestEnv;
beforeAll(async () => {
  env = await startGcpKmsTestEnv();
});
afterAll(async () => {
  await env.close();
});

it('concurrent first imports share one new import job', async () => {
  const refs = Array.from({ length: 6 }, (_, i) => env.newKeyRef(`fleet-${String(i)}`));
  const versions = await Promise.all(
    refs.map((ref, i) =>
      env.backend.importKeyVersion(ref, generateKeyMaterial('rsa-2048'), {
        keyplaneKey: `fleet-${String(i)}`,
        keyplaneVersion: 1,
        usages: ['sign', 'verify'] as KeyUsage[],
      }),
    ),
  );
  expect(versions.map((v) => v.state)).toEqual(Array(6).fill('enabled'));
  const [jobs] = await env.raw.listImportJobs({ parent: env.keyRingName });
  expect(jobs).toHaveLength(1);
});
