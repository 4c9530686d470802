/**
 * The control API of all three emulators checks what it is given: in a fault table a value out
 * of range or of the wrong type, an unknown rule field or an unknown operation name, in a quota
 * table a bad limit or window, is a 400 naming the field and the allowed values, and the rules
 * in force stay as they were (a typo must not silently inject nothing). The same checks refuse
 * a bad table at start.
 */
import { KMSClient, ListKeysCommand } from '@aws-sdk/client-kms';
import { startAwsKmsEmulator, DEV_AWS_CREDENTIALS, type AwsKmsEmulator } from '../src/aws-kms';
import { startAzureKeyVaultEmulator, type AzureKeyVaultEmulator } from '../src/azure-key-vault';
import { startGcpKmsEmulator, type GcpKmsEmulator } from '../src/gcp-kms';
import { rawRequest } from './support/azure-sdk';

let aws: AwsKmsEmulator;
let azure: AzureKeyVaultEmulator;
let gcp: GcpKmsEmulator;

beforeAll(async () => {
  [aws, azure, gcp] = await Promise.all([
    startAwsKmsEmulator({ credentials: [DEV_AWS_CREDENTIALS] }),
    startAzureKeyVaultEmulator(),
    startGcpKmsEmulator(),
  ]);
});
afterAll(async () => {
  await Promise.all([aws.close(), azure.close(), gcp.close()]);
});

interface Answer {
  readonly status: number;
  readonly json: unknown;
}

/** PUT a table on one emulator's control endpoint (Azure's is HTTPS with its own CA). */
const CONTROL: Record<string, (body: unknown, what?: string) => Promise<Answer>> = {
  aws: async (body, what = 'faults') => {
    const res = await fetch(`${aws.url}/_keyplane/${what}`, {
      method: 'PUT',
      body: JSON.stringify(body),
    });
    return { status: res.status, json: await res.json() };
  },
  azure: async (body, what = 'faults') => {
    const res = await rawRequest(azure, 'PUT', `/_keyplane/${what}`, { body, token: null });
    return { status: res.status, json: res.json };
  },
  gcp: async (body, what = 'faults') => {
    const res = await fetch(`${gcp.controlUrl}/_keyplane/${what}`, {
      method: 'PUT',
      body: JSON.stringify(body),
    });
    return { status: res.status, json: await res.json() };
  },
};

/** An operation each emulator knows, to keep in force while bad tables are refused. */
const KNOWN: Record<string, string> = { aws: 'Sign', azure: 'Sign', gcp: 'AsymmetricSign' };

describe.each(['aws', 'azure', 'gcp'])('%s fault control', (cloud) => {
  const put = (body: unknown) => (CONTROL[cloud] ?? CONTROL.aws!)(body);
  const op = KNOWN[cloud] ?? '';

  it.each([
    [
      'errorRate "lots"',
      { errorRate: 'lots' },
      'errorRate',
      '"lots" is not allowed; expected a number from 0 to 1',
    ],
    [
      'errorRate 1.5',
      { errorRate: 1.5 },
      'errorRate',
      '1.5 is not allowed; expected a number from 0 to 1',
    ],
    [
      'dropRate -0.1',
      { dropRate: -0.1 },
      'dropRate',
      '-0.1 is not allowed; expected a number from 0 to 1',
    ],
    [
      'latencyMs null',
      { latencyMs: null },
      'latencyMs',
      'null is not allowed; expected milliseconds from 0 to 600000',
    ],
    ['times 1.5', { times: 1.5 }, 'times', '1.5 is not allowed; expected an integer ≥ 0'],
    [
      'an unknown field',
      { errorRat: 1 },
      'errorRat',
      'unknown rule field; allowed: errorRate, dropRate, latencyMs, times',
    ],
  ])(
    'refuses %s with 400 naming the field; the rules in force stay',
    async (_, rule, field, message) => {
      expect(await put({ [op]: { latencyMs: 1 } })).toMatchObject({ status: 200 });
      const refused = await put({ [op]: rule });
      expect(refused).toEqual({
        status: 400,
        json: { error: `${op}.${field}: ${message}`, field: `${op}.${field}` },
      });
      expect(await put({ [op]: { latencyMs: 1 } })).toMatchObject({
        status: 200,
        json: { [op]: { latencyMs: 1 } },
      });
      await put({});
    },
  );

  it('refuses an unknown operation name, listing the allowed ones', async () => {
    const refused = await put({ Sing: { errorRate: 1 } });
    expect(refused.status).toBe(400);
    expect(refused.json).toMatchObject({ field: 'Sing' });
    const error = (refused.json as { error: string }).error;
    expect(error).toMatch(/^Sing: unknown operation; allowed: \*, /);
    expect(error).toContain(` ${op}`);
    expect(await put({ '*': { errorRate: 0 } })).toMatchObject({ status: 200 });
    await put({});
  });

  it('refuses a table that is not an object of rules', async () => {
    expect(await put([1])).toEqual({
      status: 400,
      json: { error: 'faults: expected an object of operation name → rule', field: 'faults' },
    });
    expect((await put({ [op]: 0.5 })).json).toMatchObject({ field: op });
  });
});

describe.each(['aws', 'azure', 'gcp'])('%s quota control', (cloud) => {
  const put = (body: unknown) => (CONTROL[cloud] ?? CONTROL.aws!)(body, 'quotas');

  it.each([
    [
      'limit "many"',
      { limit: 'many', windowSeconds: 1 },
      'limit',
      '"many" is not allowed; expected an integer ≥ 0',
    ],
    [
      'limit 1.5',
      { limit: 1.5, windowSeconds: 1 },
      'limit',
      '1.5 is not allowed; expected an integer ≥ 0',
    ],
    [
      'windowSeconds 0',
      { limit: 1, windowSeconds: 0 },
      'windowSeconds',
      '0 is not allowed; expected seconds > 0',
    ],
    [
      'no windowSeconds',
      { limit: 1 },
      'windowSeconds',
      'undefined is not allowed; expected seconds > 0',
    ],
    [
      'an unknown field',
      { limit: 1, windowSeconds: 1, burst: 2 },
      'burst',
      'unknown rule field; allowed: limit, windowSeconds',
    ],
  ])(
    'refuses %s with 400 naming the field; the quotas in force stay',
    async (_, rule, field, message) => {
      expect(await put({ Sign: { limit: 100, windowSeconds: 1 } })).toMatchObject({ status: 200 });
      expect(await put({ Sign: rule })).toEqual({
        status: 400,
        json: { error: `Sign.${field}: ${message}`, field: `Sign.${field}` },
      });
      expect(await put({})).toMatchObject({ status: 200, json: {} });
    },
  );
});

it('a valid table still takes effect through the real SDK (AWS ListKeys fails once)', async () => {
  expect(await CONTROL.aws!({ ListKeys: { errorRate: 1, times: 1 } })).toMatchObject({
    status: 200,
  });
  const client = new KMSClient({
    endpoint: aws.url,
    region: 'us-east-1',
    credentials: DEV_AWS_CREDENTIALS,
    maxAttempts: 1,
  });
  await expect(client.send(new ListKeysCommand({}))).rejects.toMatchObject({
    name: 'KMSInternalException',
  });
  await expect(client.send(new ListKeysCommand({}))).resolves.toMatchObject({ Keys: [] });
  client.destroy();
});

it('GET /_keyplane/usage counts the requests each quota group admitted (throttled ones not)', async () => {
  expect(await CONTROL.aws!({ ListKeys: { limit: 2, windowSeconds: 60 } }, 'quotas')).toMatchObject(
    {
      status: 200,
    },
  );
  const usage = async () => (await (await fetch(`${aws.url}/_keyplane/usage`)).json()) as object;
  const before = ((await usage()) as Record<string, number>).ListKeys ?? 0;
  const client = new KMSClient({
    endpoint: aws.url,
    region: 'us-east-1',
    credentials: DEV_AWS_CREDENTIALS,
    maxAttempts: 1,
  });
  const answers = await Promise.allSettled(
    [1, 2, 3].map(() => client.send(new ListKeysCommand({}))),
  );
  client.destroy();
  expect(answers.map((a) => a.status).sort()).toEqual(['fulfilled', 'fulfilled', 'rejected']);
  expect(await usage()).toMatchObject({ ListKeys: before + 2 });
  expect(await CONTROL.aws!({}, 'quotas')).toMatchObject({ status: 200 });
});

it('the same check refuses a bad table at start, before listening', async () => {
  await expect(
    startAwsKmsEmulator({ faults: { Sign: { errorRate: 'lots' as never } } }),
  ).rejects.toThrow('Sign.errorRate: "lots" is not allowed; expected a number from 0 to 1');
  await expect(startGcpKmsEmulator({ faults: { Sign: { errorRate: 1 } } })).rejects.toThrow(
    /^Sign: unknown operation; allowed: \*, .*AsymmetricSign/,
  );
  await expect(
    startAzureKeyVaultEmulator({ quotas: { Sign: { limit: -1, windowSeconds: 1 } } }),
  ).rejects.toThrow('Sign.limit: -1 is not allowed; expected an integer ≥ 0');
});
