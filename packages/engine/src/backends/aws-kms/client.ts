/**
 * The KMS connection: one KMSClient (SDK retries off: CallPolicy is the only retry layer) and
 * `send`, which runs every request through the CallPolicy with the operation and ref in `what`.
 *
 * @module
 */
import { KMSClient, type KMSClientConfig } from '@aws-sdk/client-kms';
import { definedOnly } from '../../options';
import { CallPolicy } from '../common/call-policy';
import type { AwsKmsBackendConfig } from '../configs';
import { classifyAwsError, mapAwsError, retryOnlyIfNotExecuted } from './errors';
import { AwsKeyCache } from './key-cache';

/** Cloud backends default to 16 requests in flight (contract.ts BackendCommonOptions). */
const DEFAULT_MAX_PARALLEL = 16;

export interface AwsConnection {
  readonly client: KMSClient;
  readonly policy: CallPolicy;
  /** Key metadata for the operation path (key-cache.ts); lifecycle reads never use it. */
  readonly cache: AwsKeyCache;
}

/** Region as Vault resolves it: config, AWS_REGION, AWS_DEFAULT_REGION, else us-east-1. */
export function awsRegion(config: AwsKmsBackendConfig): string {
  const env = process.env;
  return config.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
}

/** Builds the client and policy; no I/O happens until the first request. */
export function connect(config: AwsKmsBackendConfig): AwsConnection {
  const clientConfig: KMSClientConfig = {
    region: awsRegion(config),
    // CallPolicy retries (with its backoff and max_parallel); stacked SDK retries would multiply.
    maxAttempts: 1,
    ...definedOnly({
      endpoint: config.endpoint,
      credentials: config.credentials && definedOnly({ ...config.credentials }),
    }),
  };
  const policy = new CallPolicy({
    maxParallel: config.maxParallel ?? DEFAULT_MAX_PARALLEL,
    classify: classifyAwsError,
    mapError: mapAwsError,
    retry: config.retry,
    timeout: config.timeout,
    endpoint: config.endpoint ?? `AWS KMS in ${clientConfig.region as string}`,
  });
  return { client: new KMSClient(clientConfig), policy, cache: new AwsKeyCache() };
}

/**
 * Runs one request under the policy. `what` ("Sign alias/x") names the operation and the ref in
 * every error message. The request is a callback so each call site keeps the SDK's own typing.
 */
export async function send<T>(
  conn: AwsConnection,
  what: string,
  request: (client: KMSClient) => Promise<T>,
): Promise<T> {
  return await conn.policy.call(what, () => request(conn.client));
}

/**
 * Like {@link send}, for requests that must not run twice (CreateKey, CreateAlias): retried only
 * when AWS certainly did not execute them (throttled, connection refused).
 */
export async function sendCreate<T>(
  conn: AwsConnection,
  what: string,
  request: (client: KMSClient) => Promise<T>,
): Promise<T> {
  return await send(conn, what, async (client) => {
    try {
      return await request(client);
    } catch (error) {
      throw retryOnlyIfNotExecuted(error);
    }
  });
}
