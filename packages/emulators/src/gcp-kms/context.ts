/**
 * What every operation receives besides its request, and the registry type the server walks.
 *
 * @module
 */
import type { Store } from './store';

export interface OperationContext {
  readonly store: Store;
  /** How long an ImportCryptoKeyVersion stays PENDING_IMPORT (emulator clock, ms). */
  readonly importSettleMs: number;
  /**
   * Charges one request against a quota group that is only known once the key is looked up
   * (HSM groups); throws RESOURCE_EXHAUSTED when over quota.
   */
  charge(group: string): void;
}

/**
 * A handler in the registry. Each handler declares the request shape it reads; the parameter
 * type here is `never` so any such handler fits, and the server passes the decoded request
 * (which the proto loader produced from the service's own message types).
 */
export type Operation = (request: never, ctx: OperationContext) => Promise<object> | object;

/** `google.protobuf.FieldMask` paths, normalised to snake_case (clients may send either). */
export function maskPaths(mask: { paths?: string[] } | null | undefined): string[] {
  return (mask?.paths ?? []).map((p) => p.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`));
}

/** `google.protobuf.Int64Value` as decoded with `longs: String`. */
export interface Int64Value {
  readonly value: string;
}
