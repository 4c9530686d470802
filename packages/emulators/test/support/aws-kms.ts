/**
 * Shared setup for the AWS KMS emulator tests: the real `@aws-sdk/client-kms` pointed at the
 * emulator with explicit fake credentials (no credential chain, no IMDS), and a helper that
 * asserts the SDK surfaced an error with the real AWS name.
 */
import {
  CreateKeyCommand,
  KMSClient,
  type KeySpec,
  type KeyUsageType,
  type KMSClientConfig,
} from '@aws-sdk/client-kms';
import { SignatureV4 } from '@smithy/signature-v4';
import type { SourceData } from '@smithy/types';
import { createHash, createHmac } from 'node:crypto';

const bytes = (data: SourceData): Uint8Array =>
  typeof data === 'string'
    ? Buffer.from(data, 'utf8')
    : ArrayBuffer.isView(data)
      ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
      : new Uint8Array(data);
import {
  startAwsKmsEmulator,
  type AwsKmsEmulator,
  type AwsKmsEmulatorOptions,
} from '../../src/aws-kms';

// Network hygiene (kms-wire-protocols.md §1): never let the SDK look for instance metadata.
process.env.AWS_EC2_METADATA_DISABLED = 'true';

export const FAKE_CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' } as const;
export const REGION = 'us-east-1';
export const ACCOUNT = '111122223333';

/** A client for the emulator at `url`; `maxAttempts: 1` unless a test wants retries. */
export function kmsClient(url: string, extra: Partial<KMSClientConfig> = {}): KMSClient {
  return new KMSClient({
    endpoint: url,
    region: REGION,
    credentials: FAKE_CREDENTIALS,
    maxAttempts: 1,
    ...extra,
  });
}

export interface SdkError extends Error {
  readonly $fault?: string;
  readonly $metadata?: { readonly httpStatusCode?: number; readonly attempts?: number };
}

/** Awaits a call that must fail and checks the error's `name` (the AWS `__type`). */
export async function expectKmsError(call: Promise<unknown>, name: string): Promise<SdkError> {
  let caught: unknown;
  try {
    await call;
  } catch (e) {
    caught = e;
  }
  if (!(caught instanceof Error)) throw new Error(`expected ${name}, but the call succeeded`);
  const error: SdkError = caught;
  expect(error.name).toBe(name);
  return error;
}

/** SHA-256 / HMAC-SHA-256 from node:crypto in the shape @smithy/signature-v4 takes. */
class NodeSha256 {
  private readonly hash: { update(data: Uint8Array): unknown; digest(): Buffer };
  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: SourceData): void {
    this.hash.update(bytes(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
}

export interface RawCallOptions {
  /** Sent as is instead of JSON.stringify(body) (malformed-JSON tests). */
  readonly rawBody?: string;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** Leave the request unsigned. */
  readonly unsigned?: boolean;
  /** Send this body instead of the one that was signed (tampering tests). */
  readonly sendBody?: string;
}

/**
 * Raw JSON 1.1 call for what the SDK cannot send (an unknown operation, bad JSON), signed with
 * SigV4 by @smithy/signature-v4 — the SDK's own signer, independent of the emulator's verifier.
 */
export async function rawKmsCall(
  url: string,
  target: string,
  body: unknown,
  options: RawCallOptions = {},
): Promise<{ status: number; json: Record<string, unknown> }> {
  const endpoint = new URL(url);
  const text = options.rawBody ?? JSON.stringify(body);
  const request = {
    method: 'POST',
    protocol: endpoint.protocol,
    hostname: endpoint.hostname,
    port: Number(endpoint.port),
    path: '/',
    headers: {
      host: endpoint.host,
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': target,
    },
    body: text,
  };
  const signer = new SignatureV4({
    service: 'kms',
    region: REGION,
    credentials: options.credentials ?? FAKE_CREDENTIALS,
    sha256: NodeSha256,
  });
  const signed = options.unsigned === true ? request : await signer.sign(request);
  const res = await fetch(url, {
    method: 'POST',
    headers: signed.headers,
    body: options.sendBody ?? text,
  });
  const answer = await res.text();
  return {
    status: res.status,
    json: (answer === '' ? {} : JSON.parse(answer)) as Record<string, unknown>,
  };
}

export interface AwsKmsFixture {
  readonly emulator: AwsKmsEmulator;
  readonly client: KMSClient;
}

/**
 * Starts one emulator (port 0) and one client for the test file in `beforeAll` and stops both in
 * `afterAll`. Read the fields inside tests/hooks, once `beforeAll` has run.
 */
export function useAwsKms(options: AwsKmsEmulatorOptions = {}): AwsKmsFixture {
  let emulator: AwsKmsEmulator | undefined;
  let client: KMSClient | undefined;
  beforeAll(async () => {
    emulator = await startAwsKmsEmulator({ port: 0, credentials: [FAKE_CREDENTIALS], ...options });
    client = kmsClient(emulator.url);
  });
  afterAll(async () => {
    client?.destroy();
    await emulator?.close();
  });
  const started = <T>(v: T | undefined): T => {
    if (v === undefined) throw new Error('useAwsKms: used before beforeAll ran');
    return v;
  };
  return {
    get emulator() {
      return started(emulator);
    },
    get client() {
      return started(client);
    },
  };
}

/** Creates an `EXTERNAL` (BYOK) key and returns its id. */
export async function createExternalKey(
  client: KMSClient,
  keySpec: KeySpec,
  keyUsage: KeyUsageType,
): Promise<{ keyId: string; state: string | undefined; enabled: boolean | undefined }> {
  const { KeyMetadata } = await client.send(
    new CreateKeyCommand({ KeySpec: keySpec, KeyUsage: keyUsage, Origin: 'EXTERNAL' }),
  );
  return {
    keyId: KeyMetadata!.KeyId!,
    state: KeyMetadata?.KeyState,
    enabled: KeyMetadata?.Enabled,
  };
}
