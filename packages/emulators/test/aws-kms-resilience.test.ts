/**
 * AWS KMS emulator, reliability features through the real SDK: quotas (the 'real' preset and
 * custom tables via the control endpoint) surfacing as the SDK's retryable ThrottlingException,
 * injected faults (500 KMSInternalException, latency, dropped connections) set with plain
 * `fetch` to `/_keyplane/faults`, and the state file surviving a restart.
 */
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  GetParametersForImportCommand,
  GetPublicKeyCommand,
  ListKeysCommand,
  ListResourceTagsCommand,
  SignCommand,
  VerifyCommand,
  type KMSClient,
} from '@aws-sdk/client-kms';
import { createCipheriv, createPublicKey, randomBytes, randomUUID, verify } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAwsKmsEmulator, type AwsKmsEmulator } from '../src/aws-kms';
import { expectKmsError, FAKE_CREDENTIALS, kmsClient } from './support/aws-kms';

async function control(
  kms: AwsKmsEmulator,
  what: 'faults' | 'quotas',
  table: unknown,
): Promise<unknown> {
  const res = await fetch(`${kms.url}/_keyplane/${what}`, {
    method: 'PUT',
    body: JSON.stringify(table),
  });
  expect(res.status).toBe(200);
  return await res.json();
}

describe("quotas: 'real' preset", () => {
  let kms: AwsKmsEmulator;
  let client: KMSClient;
  beforeAll(async () => {
    kms = await startAwsKmsEmulator({ port: 0, credentials: [FAKE_CREDENTIALS], quotas: 'real' });
    client = kmsClient(kms.url);
  });
  afterAll(async () => {
    client.destroy();
    await kms.close();
  });

  test('GetParametersForImport: one per 4 s → second call is a ThrottlingException (HTTP 400)', async () => {
    const { KeyMetadata } = await client.send(new CreateKeyCommand({ Origin: 'EXTERNAL' }));
    const input = {
      KeyId: KeyMetadata!.KeyId,
      WrappingAlgorithm: 'RSAES_OAEP_SHA_256',
      WrappingKeySpec: 'RSA_2048',
    } as const;
    await client.send(new GetParametersForImportCommand(input));
    const err = await expectKmsError(
      client.send(new GetParametersForImportCommand(input)),
      'ThrottlingException',
    );
    expect(err.$metadata?.httpStatusCode).toBe(400);
  });

  test('CreateKey: 5 per second', async () => {
    await new Promise((r) => setTimeout(r, 1100));
    for (let i = 0; i < 5; i++) await client.send(new CreateKeyCommand({}));
    await expectKmsError(client.send(new CreateKeyCommand({})), 'ThrottlingException');
  });

  test('the control endpoint shows the preset', async () => {
    const res = await fetch(`${kms.url}/_keyplane/quotas`);
    expect(await res.json()).toMatchObject({
      GetParametersForImport: { limit: 1, windowSeconds: 4 },
      CryptographicOperationsRsa: { limit: 500, windowSeconds: 1 },
    });
  });
});

describe('quotas and faults set at run time', () => {
  let kms: AwsKmsEmulator;
  let client: KMSClient;
  /** Default SDK retry strategy (standard mode, backoff with jitter) with a few more attempts. */
  let retrying: KMSClient;
  beforeAll(async () => {
    kms = await startAwsKmsEmulator({ port: 0, credentials: [FAKE_CREDENTIALS] });
    client = kmsClient(kms.url);
    retrying = kmsClient(kms.url, { maxAttempts: 6 });
  });
  afterAll(async () => {
    client.destroy();
    retrying.destroy();
    await kms.close();
  });

  test('throttled requests succeed once the SDK retries after the window', async () => {
    await control(kms, 'quotas', { DescribeKey: { limit: 1, windowSeconds: 0.25 } });
    const { KeyMetadata } = await client.send(new CreateKeyCommand({}));
    const describe = () => retrying.send(new DescribeKeyCommand({ KeyId: KeyMetadata!.KeyId }));
    const results = await Promise.all([describe(), describe(), describe()]);
    expect(results.map((r) => r.KeyMetadata?.KeyId)).toEqual(Array(3).fill(KeyMetadata!.KeyId));
    expect(Math.max(...results.map((r) => r.$metadata.attempts ?? 0))).toBeGreaterThan(1);
    await control(kms, 'quotas', {});
  });

  test('shared cryptographic quota per key type (RSA throttled, ECC not)', async () => {
    const rsa = (
      await client.send(new CreateKeyCommand({ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' }))
    ).KeyMetadata!.KeyId;
    const ec = (
      await client.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }))
    ).KeyMetadata!.KeyId;
    await control(kms, 'quotas', { CryptographicOperationsRsa: { limit: 2, windowSeconds: 60 } });
    const Message = Buffer.from('m');
    const { Signature } = await client.send(
      new SignCommand({ KeyId: rsa, Message, SigningAlgorithm: 'RSASSA_PSS_SHA_256' }),
    );
    await client.send(
      new VerifyCommand({ KeyId: rsa, Message, Signature, SigningAlgorithm: 'RSASSA_PSS_SHA_256' }),
    );
    await expectKmsError(
      client.send(new SignCommand({ KeyId: rsa, Message, SigningAlgorithm: 'RSASSA_PSS_SHA_256' })),
      'ThrottlingException',
    );
    await client.send(new SignCommand({ KeyId: ec, Message, SigningAlgorithm: 'ECDSA_SHA_256' }));
    await control(kms, 'quotas', {});
  });

  test('errorRate 1 → 500 KMSInternalException; with times: 2 the SDK retries and succeeds', async () => {
    expect(await control(kms, 'faults', { ListKeys: { errorRate: 1, times: 1 } })).toEqual({
      ListKeys: { errorRate: 1, times: 1 },
    });
    const err = await expectKmsError(client.send(new ListKeysCommand({})), 'KMSInternalException');
    expect(err.$metadata?.httpStatusCode).toBe(500);
    expect(err.$fault).toBe('server');
    await client.send(new ListKeysCommand({}));

    await control(kms, 'faults', { ListKeys: { errorRate: 1, times: 2 } });
    const ok = await kmsClient(kms.url, { maxAttempts: 3 }).send(new ListKeysCommand({}));
    expect(ok.$metadata.attempts).toBe(3);
  });

  test('latency is added to the answer', async () => {
    await control(kms, 'faults', { '*': { latencyMs: 300, times: 1 } });
    const start = Date.now();
    await client.send(new ListKeysCommand({}));
    expect(Date.now() - start).toBeGreaterThanOrEqual(290);
    const fast = Date.now();
    await client.send(new ListKeysCommand({}));
    expect(Date.now() - fast).toBeLessThan(250);
  });

  test('dropped connection → SDK error without retries, success with retries', async () => {
    await control(kms, 'faults', { ListKeys: { dropRate: 1, times: 1 } });
    // The SDK wraps the reset as "AWS SDK error wrapper for TimeoutError: socket hang up".
    const err = await expectKmsError(client.send(new ListKeysCommand({})), 'Error');
    expect(err.message).toMatch(/socket hang up|ECONNRESET/);
    await control(kms, 'faults', { ListKeys: { dropRate: 1, times: 1 } });
    const ok = await retrying.send(new ListKeysCommand({}));
    expect(ok.$metadata.attempts).toBe(2);
    await control(kms, 'faults', {});
  });
});

test('state file: keys, aliases, tags and material survive a restart (mode 0600)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'keyplane-aws-kms-state-'));
  const stateFile = join(dir, 'not-yet-created', 'aws-kms.json');
  try {
    let kms = await startAwsKmsEmulator({ port: 0, credentials: [FAKE_CREDENTIALS], stateFile });
    let client = kmsClient(kms.url);
    const sym = (
      await client.send(new CreateKeyCommand({ Tags: [{ TagKey: 'env', TagValue: 'dev' }] }))
    ).KeyMetadata!.KeyId!;
    const ec = (
      await client.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }))
    ).KeyMetadata!.KeyId!;
    await client.send(new CreateAliasCommand({ AliasName: 'alias/persisted', TargetKeyId: sym }));
    const enc = await client.send(
      new EncryptCommand({ KeyId: 'alias/persisted', Plaintext: Buffer.from('kept') }),
    );
    const { PublicKey } = await client.send(new GetPublicKeyCommand({ KeyId: ec }));
    client.destroy();
    await kms.close();
    expect(statSync(stateFile).mode & 0o777).toBe(0o600);

    kms = await startAwsKmsEmulator({ port: 0, credentials: [FAKE_CREDENTIALS], stateFile });
    client = kmsClient(kms.url);
    const { KeyMetadata } = await client.send(new DescribeKeyCommand({ KeyId: 'alias/persisted' }));
    expect(KeyMetadata?.KeyId).toBe(sym);
    const dec = await client.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob }));
    expect(Buffer.from(dec.Plaintext!).toString()).toBe('kept');
    expect((await client.send(new ListResourceTagsCommand({ KeyId: sym }))).Tags).toEqual([
      { TagKey: 'env', TagValue: 'dev' },
    ]);
    const message = Buffer.from('after restart');
    const { Signature } = await client.send(
      new SignCommand({ KeyId: ec, Message: message, SigningAlgorithm: 'ECDSA_SHA_256' }),
    );
    const publicKey = createPublicKey({
      key: Buffer.from(PublicKey!),
      format: 'der',
      type: 'spki',
    });
    expect(
      verify('sha256', message, { key: publicKey, dsaEncoding: 'der' }, Buffer.from(Signature!)),
    ).toBe(true);
    client.destroy();
    await kms.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a v1 state file (one material per key) still loads, and its v1 ciphertexts decrypt', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'keyplane-aws-kms-v1-'));
  const stateFile = join(dir, 'aws-kms.json');
  const id = randomUUID();
  const material = randomBytes(32);
  const materialId = 'ab'.repeat(32);
  // The v1 blob layout: 'K' 'P' 0x01 | key id | IV | tag | AES-256-GCM(AAD = header ‖ "[]").
  const header = Buffer.concat([Buffer.from([0x4b, 0x50, 0x01]), Buffer.from(id, 'ascii')]);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', material, iv);
  cipher.setAAD(Buffer.concat([header, Buffer.from('[]')]));
  const body = Buffer.concat([cipher.update('written by v1'), cipher.final()]);
  const blob = Buffer.concat([header, iv, cipher.getAuthTag(), body]);
  const key = { id, creationDate: Date.now(), description: '', keySpec: 'SYMMETRIC_DEFAULT' };
  writeFileSync(
    stateFile,
    JSON.stringify({
      format: 'keyplane-aws-kms-state',
      version: 1,
      region: 'us-east-1',
      accountId: '111122223333',
      keys: [
        {
          ...key,
          keyUsage: 'ENCRYPT_DECRYPT',
          origin: 'AWS_KMS',
          enabled: true,
          material: material.toString('base64'),
          materialId,
          tags: [],
        },
      ],
      aliases: [],
      importTokens: [],
    }),
  );
  const kms = await startAwsKmsEmulator({ port: 0, credentials: [FAKE_CREDENTIALS], stateFile });
  const client = kmsClient(kms.url);
  try {
    const { KeyMetadata } = await client.send(new DescribeKeyCommand({ KeyId: id }));
    expect(KeyMetadata).toMatchObject({ KeyState: 'Enabled', CurrentKeyMaterialId: materialId });
    const dec = await client.send(new DecryptCommand({ CiphertextBlob: blob }));
    expect(Buffer.from(dec.Plaintext!).toString()).toBe('written by v1');
    expect(dec.KeyMaterialId).toBe(materialId);
  } finally {
    client.destroy();
    await kms.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
