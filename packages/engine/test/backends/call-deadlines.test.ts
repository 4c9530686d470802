/**
 * KEYPLANE_BACKEND_CALL_TIMEOUT_MS (the CallPolicy attempt deadline) ends the request itself, not
 * only the wait for it, against emulators whose latency fault holds every request for 10
 * minutes: AWS requests are aborted through the SDK's abortSignal (the socket is destroyed), GCP
 * calls carry the deadline as their gRPC deadline (the call ends, and its idle connection is
 * released). Open sockets are counted through Node's active resources: a request
 * left hanging keeps its client and server sockets open.
 */
import { startAwsKmsTestEnv, type AwsKmsTestEnv } from './support/aws-kms';
import { startGcpKmsTestEnv, type GcpKmsTestEnv } from './support/gcp-kms';

jest.setTimeout(60_000);

const HANG = { '*': { latencyMs: 600_000 } };
const ATTEMPT_MS = 300;

const openSockets = (): number =>
  process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap').length;

/** Waits until the open-socket count is at most `limit` (sockets close asynchronously). */
async function socketsSettle(limit: number): Promise<number> {
  for (let i = 0; i < 50 && openSockets() > limit; i++) await new Promise((r) => setTimeout(r, 50));
  return openSockets();
}

describe('AWS KMS: a timed-out attempt aborts its request', () => {
  let env: AwsKmsTestEnv;
  beforeAll(async () => {
    env = await startAwsKmsTestEnv();
  });
  afterAll(async () => {
    await env.close();
  });

  it('fails after the attempt deadline naming it, and leaves no socket open', async () => {
    const before = openSockets();
    env.emulator.faults.configure(HANG);
    const backend = env.backendWith({ timeout: { attemptMs: ATTEMPT_MS } });
    const started = Date.now();
    await expect(backend.listVersions({ name: 'alias/stalled' })).rejects.toMatchObject({
      code: 'ERR_BACKEND_UNAVAILABLE',
      backendCode: 'TIMEOUT',
      message: expect.stringContaining('KEYPLANE_BACKEND_CALL_TIMEOUT_MS') as unknown,
    });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await socketsSettle(before)).toBe(before);
    env.emulator.faults.configure({});
  });
});

describe('GCP Cloud KMS: a timed-out attempt ends its gRPC call', () => {
  let env: GcpKmsTestEnv;
  beforeAll(async () => {
    env = await startGcpKmsTestEnv();
  });
  afterAll(async () => {
    await env.setFaults({});
    await env.close();
  });

  it('fails after the attempt deadline naming it, and the stalled call ends (its connection is released)', async () => {
    await env.setFaults(HANG);
    const backend = env.backendWith({ timeout: { attemptMs: ATTEMPT_MS } });
    try {
      await expect(backend.listVersions({ name: 'stalled' })).rejects.toMatchObject({
        code: 'ERR_BACKEND_UNAVAILABLE',
        backendCode: 'TIMEOUT',
        message: expect.stringContaining('KEYPLANE_BACKEND_CALL_TIMEOUT_MS') as unknown,
      });
      // A call still waiting keeps the backend's fresh connection open (both ends, in this
      // process); once the gRPC deadline has ended it, grpc-js releases the idle connection.
      const during = openSockets();
      expect(await socketsSettle(during - 1)).toBeLessThan(during);
    } finally {
      await backend.close();
    }
  });
});
