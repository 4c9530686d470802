/**
 * One connection to a vault: the KeyClient (lifecycle), CryptographyClients per key version
 * (operations) sharing its HTTP pipeline, and the CallPolicy every request goes through.
 *
 * The SDK's own retries are off (`maxRetries: 0`): CallPolicy is the only retry layer.
 * Challenge-resource verification (the vault host must be a subdomain of the resource the
 * 401 challenge names) is only switched off for loopback hosts — an emulator on 127.0.0.1 can
 * never satisfy it, a real vault always does.
 *
 * @module
 */
import { KeyClient, type CryptographyClient, type KeyClientOptions } from '@azure/keyvault-keys';
import type { AzureKeyVaultBackendConfig } from '../configs';
import { CallPolicy } from '../common/call-policy';
import { currentAttemptSignal } from '../common/timeouts';
import {
  createCredential,
  credentialSource,
  resolveConfig,
  type CredentialSource,
  type ResolvedConfig,
} from './config';
import { classifyAzureError, mapAzureError } from './errors';
import { AzureKeyCache } from './key-cache';

const DEFAULT_MAX_PARALLEL = 16;
/** CryptographyClients cache the key they fetched; bound the cache so it cannot grow forever. */
const MAX_CRYPTO_CLIENTS = 256;

/** Azure key names and versions are case-insensitive: one client per version, however spelled. */
const clientId = (name: string, version: string): string => `${name}/${version}`.toLowerCase();

type PipelinePolicy = NonNullable<KeyClientOptions['additionalPolicies']>[number]['policy'];

/** Ties each HTTP request to the CallPolicy attempt's signal, so a timed-out request is closed. */
const ATTEMPT_DEADLINE_POLICY: PipelinePolicy = {
  name: 'keyplaneAttemptDeadline',
  sendRequest: (request, next) => {
    const deadline = currentAttemptSignal();
    if (deadline !== undefined) {
      request.abortSignal =
        request.abortSignal === undefined
          ? deadline
          : AbortSignal.any([request.abortSignal as AbortSignal, deadline]);
    }
    return next(request);
  },
};

export class AzureConnection {
  readonly resolved: ResolvedConfig;
  private readonly source: CredentialSource;
  private readonly policy: CallPolicy;
  private client: Promise<KeyClient> | undefined;
  private readonly cryptoClients = new Map<string, CryptographyClient>();
  /** Key metadata for the operation path (key-cache.ts); lifecycle reads never use it. */
  readonly keyCache = new AzureKeyCache();

  constructor(private readonly config: AzureKeyVaultBackendConfig) {
    this.resolved = resolveConfig(config);
    this.source = credentialSource(config);
    this.policy = new CallPolicy({
      maxParallel: config.maxParallel ?? DEFAULT_MAX_PARALLEL,
      retry: config.retry,
      timeout: config.timeout,
      endpoint: this.resolved.vaultUrl,
      classify: classifyAzureError,
      mapError: (error, what) => mapAzureError(error, { what, redact: (t) => this.redact(t) }),
      // Its request pipeline aborts a hung request with the attempt's signal (see below).
      attemptSignal: true,
    });
  }

  /** Removes the client secret from text bound for an error message. */
  redact(text: string): string {
    const secret = this.config.clientSecret;
    return secret === undefined || secret === '' ? text : text.split(secret).join('[redacted]');
  }

  private options(): KeyClientOptions {
    return {
      retryOptions: { maxRetries: 0 },
      additionalPolicies: [{ policy: ATTEMPT_DEADLINE_POLICY, position: 'perCall' }],
      ...(this.config.caPem === undefined ? {} : { tlsOptions: { ca: this.config.caPem } }),
      ...(this.resolved.loopback ? { disableChallengeResourceVerification: true } : {}),
    };
  }

  /** The KeyClient, built on first use (the credential may need `@azure/identity` loaded). */
  keyClient(): Promise<KeyClient> {
    this.client ??= createCredential(this.config, this.source, this.resolved.cloud).then(
      (credential) => new KeyClient(this.resolved.vaultUrl, credential, this.options()),
      (error: unknown) => {
        // A failed credential load (e.g. @azure/identity missing) is retried on the next call.
        this.client = undefined;
        throw error;
      },
    );
    return this.client;
  }

  /** A CryptographyClient for one key version, sharing the KeyClient's pipeline and token. */
  async cryptoClient(name: string, version: string): Promise<CryptographyClient> {
    const id = clientId(name, version);
    const cached = this.cryptoClients.get(id);
    if (cached !== undefined) return cached;
    const created = (await this.keyClient()).getCryptographyClient(name, { keyVersion: version });
    if (this.cryptoClients.size >= MAX_CRYPTO_CLIENTS) {
      const oldest = this.cryptoClients.keys().next();
      if (oldest.done !== true) this.cryptoClients.delete(oldest.value);
    }
    this.cryptoClients.set(id, created);
    return created;
  }

  /**
   * Forgets one version: its cached metadata, the name's latest-version answer, and its
   * CryptographyClient, whose own copy of the bundle (nbf / exp / key_ops, checked client-side)
   * may now be out of date. The next operation reads the version again.
   */
  forgetVersion(name: string, version: string): void {
    this.keyCache.forgetVersion(name, version);
    this.cryptoClients.delete(clientId(name, version));
  }

  /** One backend request: limiter, retries, error mapping (`what` names operation and key). */
  async call<T>(what: string, request: (client: KeyClient) => Promise<T>): Promise<T> {
    return await this.policy.call(what, async () => await request(await this.keyClient()));
  }

  close(): void {
    this.cryptoClients.clear();
    this.keyCache.clear();
  }
}
