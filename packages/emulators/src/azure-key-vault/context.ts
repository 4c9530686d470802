/**
 * What every operation handler receives from the HTTP layer, and what it returns. Handlers are
 * plain functions of (context, path parameters, body) so they can be read — and tested — without
 * a socket.
 *
 * @module
 */
import type { Json } from './encoding';
import type { KeyStore } from './store';

/** A Key Vault (software + HSM keys, as the Premium SKU) or a Managed HSM (HSM keys only). */
export type Service = 'vault' | 'managed-hsm';

export interface OperationContext {
  readonly store: KeyStore;
  readonly service: Service;
  /**
   * `https://<Host header>`. Every kid is built from it: the SDK takes the vault URL for later
   * calls (CryptographyClient, pollers) from the kid, so it must name the address the client used.
   */
  readonly baseUrl: string;
  readonly query: URLSearchParams;
  /** Counts the request against a quota group; throws 429 Throttled when over. */
  readonly charge: (group: string) => void;
  /** True when `url` addresses this vault (this port on 127.0.0.1, localhost or the request host). */
  readonly isThisVault: (url: URL) => boolean;
}

export interface OperationResult {
  readonly status: number;
  readonly body?: unknown;
}

export interface RouteParams {
  readonly name: string;
  /** Empty string = latest (the SDK sends `/keys/{name}/` for "latest"). */
  readonly version: string;
}

export type Handler = (
  ctx: OperationContext,
  params: RouteParams,
  body: Json,
) => OperationResult | Promise<OperationResult>;

/** Soft-delete retention: the service default (and maximum) is 90 days. */
export const RETENTION_DAYS = 90;
