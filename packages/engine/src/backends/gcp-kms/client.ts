/**
 * Connection settings and the `KeyManagementServiceClient` over gRPC. Resolution is pure (the
 * constructor does no I/O); the client itself is created on first use.
 *
 * gax's own retry layer is switched off per call with `{ retry: null }` (gax.js
 * `CallSettings.merge` → `mergeRetryOptions(…, null)` returns null, so `createApiCall` never
 * wraps the call in `retryable`): CallPolicy is the only retry layer.
 *
 * @module
 */
import { KeyManagementServiceClient } from '@google-cloud/kms';
import { credentials } from '@grpc/grpc-js';
import type { CallOptions } from 'google-gax';
import {
  AuthenticationFailedError,
  InvalidArgumentError,
  MissingParameterError,
} from '../../errors';
import { isLoopbackHost } from '../common/loopback';
import { remainingAttemptMs } from '../common/timeouts';
import type { GcpKmsBackendConfig } from '../configs';

export const DEFAULT_ENDPOINT = 'cloudkms.googleapis.com:443';

const NO_RETRY: CallOptions = { retry: null };
/** After the CallPolicy's own attempt deadline, so its timeout (not a retryable DEADLINE_EXCEEDED) ends the call. */
const DEADLINE_GRACE_MS = 100;

/**
 * Per-call options for every request: no gax retries, and the CallPolicy attempt's deadline as
 * the gRPC deadline (gax `timeout`), so a KMS that never answers has its stream ended and the
 * server learns the deadline too (https://grpc.io/docs/guides/deadlines/).
 */
export function callOptions(): CallOptions {
  const ms = remainingAttemptMs();
  return ms === undefined ? NO_RETRY : { ...NO_RETRY, timeout: ms + DEADLINE_GRACE_MS };
}

export interface GcpSettings {
  readonly project: string;
  readonly location: string;
  readonly keyRing: string;
  /** `projects/<p>/locations/<l>` */
  readonly locationName: string;
  /** `projects/<p>/locations/<l>/keyRings/<r>` */
  readonly keyRingName: string;
  readonly host: string;
  readonly port: number;
}

const RESOURCE_ID = /^[a-zA-Z0-9_-]{1,63}$/;
const PATH_SEGMENT = /^[a-z0-9][a-z0-9-]{0,62}$/i;

function required(value: string | undefined, field: string, env: string): string {
  if (value === undefined || value.trim() === '') {
    throw new MissingParameterError(`${field} is required (config or ${env})`, { field });
  }
  return value.trim();
}

/** `host[:port]`, with IPv6 in brackets. */
function parseEndpoint(endpoint: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+))(?::(\d{1,5}))?$/.exec(endpoint.trim());
  const host = match?.[1] ?? match?.[2];
  const port = match?.[3] === undefined ? 443 : Number(match[3]);
  if (host === undefined || port < 1 || port > 65535) {
    throw new InvalidArgumentError(`endpoint '${endpoint}' is not host:port`, {
      field: 'endpoint',
    });
  }
  return { host, port };
}

export function resolveSettings(
  config: GcpKmsBackendConfig,
  env: NodeJS.ProcessEnv = process.env,
): GcpSettings {
  const project = required(config.project ?? env.GOOGLE_PROJECT, 'project', 'GOOGLE_PROJECT');
  const location = required(config.location ?? env.GOOGLE_REGION, 'region', 'GOOGLE_REGION');
  const keyRing = required(config.keyRing, 'key_ring', 'key_ring');
  for (const [field, value] of [
    ['project', project],
    ['region', location],
  ] as const) {
    if (!PATH_SEGMENT.test(value)) {
      throw new InvalidArgumentError(`${field} '${value}' is not a valid GCP ${field}`, { field });
    }
  }
  if (!RESOURCE_ID.test(keyRing)) {
    throw new InvalidArgumentError(
      `key_ring '${keyRing}' must be 1-63 letters, digits, '_' or '-'`,
      { field: 'key_ring' },
    );
  }
  const { host, port } = parseEndpoint(config.endpoint ?? DEFAULT_ENDPOINT);
  // Plaintext gRPC would send the bearer token in clear: only for an emulator on this machine.
  if (config.insecure === true && !isLoopbackHost(host)) {
    throw new InvalidArgumentError(
      `endpoint '${host}' is not a loopback address; insecure (plaintext) gRPC is only allowed for loopback hosts`,
      { field: 'endpoint' },
    );
  }
  const locationName = `projects/${project}/locations/${location}`;
  return {
    project,
    location,
    keyRing,
    locationName,
    keyRingName: `${locationName}/keyRings/${keyRing}`,
    host,
    port,
  };
}

/** Credentials: auth client, else a file / JSON from config or env, else ADC. */
function authOptions(config: GcpKmsBackendConfig, env: NodeJS.ProcessEnv): Record<string, unknown> {
  if (config.authClient !== undefined) return { authClient: config.authClient };
  const source =
    config.credentialsFile ?? env.GOOGLE_CREDENTIALS ?? env.GOOGLE_APPLICATION_CREDENTIALS;
  if (source === undefined || source.trim() === '') return {};
  // GOOGLE_CREDENTIALS may hold the JSON itself (as Vault and Terraform accept).
  if (source.trim().startsWith('{')) {
    try {
      return { credentials: JSON.parse(source) as unknown };
    } catch {
      throw new InvalidArgumentError('GOOGLE_CREDENTIALS is not valid JSON', {
        field: 'credentials',
      });
    }
  }
  return { keyFilename: source };
}

export function createClient(
  config: GcpKmsBackendConfig,
  settings: GcpSettings,
  env: NodeJS.ProcessEnv = process.env,
): KeyManagementServiceClient {
  return new KeyManagementServiceClient({
    apiEndpoint: settings.host,
    port: settings.port,
    ...(config.insecure === true ? { sslCreds: credentials.createInsecure() } : {}),
    ...authOptions(config, env),
  });
}

/** Where the credentials come from, for messages (a path or a variable name, never contents). */
function credentialSource(config: GcpKmsBackendConfig, env: NodeJS.ProcessEnv): string {
  const given = (v: string | undefined): v is string => v !== undefined && v.trim() !== '';
  if (given(config.credentialsFile)) return `credentials file '${config.credentialsFile}'`;
  if (given(env.GOOGLE_CREDENTIALS)) return 'GOOGLE_CREDENTIALS';
  if (given(env.GOOGLE_APPLICATION_CREDENTIALS))
    return `GOOGLE_APPLICATION_CREDENTIALS file '${env.GOOGLE_APPLICATION_CREDENTIALS}'`;
  return 'Application Default Credentials (no credentials parameter, GOOGLE_APPLICATION_CREDENTIALS unset)';
}

/**
 * Loads the credentials once before the first request. The KMS client loads them lazily in a
 * promise nobody awaits, so a missing file or absent ADC surfaced as an unhandled rejection;
 * here it is an AuthenticationFailedError naming `credentials` and where they were looked for.
 */
export async function checkCredentials(
  config: GcpKmsBackendConfig,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  if (config.authClient !== undefined) return;
  const { GoogleAuth } = await import('google-auth-library');
  try {
    await new GoogleAuth({
      ...authOptions(config, env),
      scopes: [CLOUD_PLATFORM_SCOPE],
    }).getClient();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new AuthenticationFailedError(
      `GCP credentials could not be loaded from ${credentialSource(config, env)}: ${reason}`,
      { field: 'credentials', cause: error },
    );
  }
}

const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';
