/**
 * What every operation module shares: settings, the lazily created client, the CallPolicy
 * (limiter + retries) and the one-time key ring check.
 *
 * @module
 */
import type { KeyObject } from 'node:crypto';
import type { KeyManagementServiceClient } from '@google-cloud/kms';
import { NotFoundError } from '../../errors';
import { CallPolicy } from '../common/call-policy';
import { METADATA_CACHE_ENTRIES, NAME_RESOLUTION_TTL_MS, TtlCache } from '../common/ttl-cache';
import type { GcpKmsBackendConfig } from '../configs';
import type { AlgorithmRow } from './algorithms';
import {
  DEFAULT_ENDPOINT,
  callOptions,
  checkCredentials,
  createClient,
  resolveSettings,
  type GcpSettings,
} from './client';
import { classifyGcpError, mapGcpError, type Subject } from './errors';

/** Mapping happens in {@link GcpContext.call}, which knows the subject; pass errors through. */
const passThrough = (error: unknown): Error =>
  error instanceof Error ? error : new Error(String(error));

export class GcpContext {
  readonly settings: GcpSettings;
  private readonly policy: CallPolicy;
  private client: KeyManagementServiceClient | undefined;
  private ring: Promise<void> | undefined;
  /** Public keys by version resource name: immutable for a version's lifetime. */
  readonly publicKeys = new TtlCache<string, KeyObject>({ maxEntries: METADATA_CACHE_ENTRIES });
  /** Algorithm rows by version resource name: a version's algorithm never changes. */
  readonly algorithms = new TtlCache<string, AlgorithmRow>({ maxEntries: METADATA_CACHE_ENTRIES });
  /** Crypto key id → its current version's resource name, for operations by name. */
  readonly current = new TtlCache<string, string>({
    maxEntries: METADATA_CACHE_ENTRIES,
    ttlMs: NAME_RESOLUTION_TTL_MS,
  });

  constructor(private readonly config: GcpKmsBackendConfig) {
    this.settings = resolveSettings(config);
    this.policy = new CallPolicy({
      maxParallel: config.maxParallel ?? 16,
      retry: config.retry,
      timeout: config.timeout,
      endpoint: config.endpoint ?? DEFAULT_ENDPOINT,
      classify: classifyGcpError,
      mapError: passThrough,
      // Each call's gRPC deadline is the attempt's remaining time (remainingAttemptMs).
      attemptSignal: true,
    });
  }

  get kms(): KeyManagementServiceClient {
    this.client ??= createClient(this.config, this.settings);
    return this.client;
  }

  /** One request under the limiter and retry policy, failures mapped to KeyplaneErrors. */
  async call<T>(
    what: string,
    subject: Subject,
    request: (kms: KeyManagementServiceClient) => Promise<T>,
  ): Promise<T> {
    try {
      await this.credentialsLoaded();
      return await this.policy.call(what, async () => await request(this.kms));
    } catch (error) {
      throw mapGcpError(error, what, subject);
    }
  }

  private credentials: Promise<void> | undefined;

  /** See {@link checkCredentials}; once per backend, retried after a failure. */
  private credentialsLoaded(): Promise<void> {
    this.credentials ??= checkCredentials(this.config).catch((error: unknown) => {
      this.credentials = undefined;
      throw error;
    });
    return this.credentials;
  }

  /** The configured key ring must exist (Keyplane never creates rings); checked once. */
  async ensureRing(): Promise<void> {
    this.ring ??= this.checkRing().catch((error: unknown) => {
      this.ring = undefined; // a transient failure must not stick
      throw error;
    });
    await this.ring;
  }

  private async checkRing(): Promise<void> {
    const name = this.settings.keyRingName;
    await this.call('GetKeyRing', { field: 'key_ring', name: `key ring ${name}` }, (kms) =>
      kms.getKeyRing({ name }, callOptions()),
    ).catch((error: unknown) => {
      // Least-privilege identities (signerVerifier on one key) may not read the ring: then
      // the ring's existence shows in the key requests themselves.
      if ((error as { cause?: { code?: unknown } }).cause?.code === 7) return;
      if (error instanceof NotFoundError) {
        throw new NotFoundError(
          `gcpckms: key_ring '${this.settings.keyRing}' not found (${name}); create it first`,
          { field: 'key_ring' },
        );
      }
      throw error;
    });
  }

  cryptoKeyName(id: string): string {
    return `${this.settings.keyRingName}/cryptoKeys/${id}`;
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.publicKeys.clear();
    this.algorithms.clear();
    this.current.clear();
    if (client !== undefined) await client.close();
  }
}
