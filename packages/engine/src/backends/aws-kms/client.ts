/**
 * The KMS connection: one KMSClient (SDK retries off: CallPolicy is the only retry layer) and
 * `send`, which runs every request through the CallPolicy with the operation and ref in `what`.
 *
 * @module
 */
import { KMSClient, type KMSClientConfig } from '@aws-sdk/client-kms';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { definedOnly } from '../../options';
import { CallPolicy } from '../common/call-policy';
import { currentAttemptSignal } from '../common/timeouts';
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

/**
 * Smithy's Node handler with each request tied to the CallPolicy attempt's signal (smithy
 * honours `abortSignal` by destroying the request), so a timed-out attempt's socket is closed
 * instead of left waiting on a KMS that never answers.
 */
class AttemptDeadlineHandler extends NodeHttpHandler {
  override handle(...[request, options = {}]: Parameters<NodeHttpHandler['handle']>) {
    const abortSignal = options.abortSignal ?? currentAttemptSignal();
    return super.handle(request, abortSignal === undefined ? options : { ...options, abortSignal });
  }
}

/**
 * A KMSClient for `clientConfig`, without the SDK's Node.js version-support notice: its
 * documented switch (https://github.com/aws/aws-sdk-js-v3/issues/7983), set only if the user
 * set nothing, before the first client is built (the SDK checks once, at construction). Keyplane
 * prints its own output only; every other process warning stays visible.
 */
export function newKmsClient(clientConfig: KMSClientConfig): KMSClient {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  return new KMSClient({ requestHandler: new AttemptDeadlineHandler(), ...clientConfig });
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
    // The request handler aborts the attempt's socket on its deadline (timeouts.ts).
    attemptSignal: true,
  });
  return { client: newKmsClient(clientConfig), policy, cache: new AwsKeyCache() };
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
