/**
 * The gRPC server: one unary handler per implemented RPC, each wrapped with fault injection,
 * quotas, error → status mapping and state-file flushing. RPCs the emulator does not implement
 * (RawEncrypt, Decapsulate, retired resources, …) answer UNIMPLEMENTED, grpc-js's default.
 *
 * Quota errors are RESOURCE_EXHAUSTED with ErrorInfo + RetryInfo in `grpc-status-details-bin`
 * (status-details.ts), so a client can wait exactly as long as the quota window needs.
 *
 * Faults on gRPC: `error` answers UNAVAILABLE, the status the service uses for transient
 * failures (and one the client retries for idempotent calls). `drop` cannot close just one
 * HTTP/2 stream's connection through grpc-js's public API, so it ends the call with what a
 * client sees when its connection dies mid-call: UNAVAILABLE "Connection dropped".
 *
 * @module
 */
import {
  Server,
  ServerCredentials,
  status,
  type Metadata,
  type sendUnaryData,
  type ServerUnaryCall,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FaultInjector } from '../common/faults';
import type { RateLimiter } from '../common/rate-limiter';
import type { Operation, OperationContext } from './context';
import { KmsError, resourceExhausted, unavailable } from './errors';
import { OPERATION_GROUPS } from './quotas';
import type { Store } from './store';

export interface GrpcServerDeps {
  readonly store: Store;
  readonly importSettleMs: number;
  readonly faults: FaultInjector;
  readonly quotas: RateLimiter;
  readonly operations: Readonly<Record<string, Operation>>;
}

function charge(quotas: RateLimiter, group: string): void {
  const decision = quotas.take(group);
  if (!decision.allowed)
    throw resourceExhausted(
      `Quota exceeded for quota metric '${group}' of service 'cloudkms.googleapis.com' ` +
        `(Keyplane emulator limit ${String(quotas.table[group]?.limit)} per ` +
        `${String(quotas.table[group]?.windowSeconds)} s); retry in ${decision.retryAfterMs} ms.`,
      { metric: group, retryAfterMs: decision.retryAfterMs },
    );
}

async function invoke(
  name: string,
  operation: Operation,
  deps: GrpcServerDeps,
  request: unknown,
): Promise<object> {
  const fault = deps.faults.decide(name);
  // Unref: a request held by a latency fault must not keep a test process alive after close.
  if (fault.latencyMs > 0) await sleep(fault.latencyMs, undefined, { ref: false });
  if (fault.action === 'error')
    throw unavailable('The service is currently unavailable (Keyplane fault injection).');
  if (fault.action === 'drop') throw unavailable('Connection dropped');
  for (const group of [name, ...(OPERATION_GROUPS[name] ?? [])]) charge(deps.quotas, group);
  const ctx: OperationContext = {
    store: deps.store,
    importSettleMs: deps.importSettleMs,
    charge: (group) => {
      charge(deps.quotas, group);
    },
  };
  try {
    return await operation(request as never, ctx);
  } finally {
    // Lazy state transitions happen on reads too, so flush after every call (a no-op unless
    // something changed and a state file is configured).
    deps.store.flush();
  }
}

function toStatus(e: unknown): { code: status; details: string; metadata?: Metadata } {
  if (e instanceof KmsError)
    return e.metadata === undefined
      ? { code: e.code, details: e.message }
      : { code: e.code, details: e.message, metadata: e.metadata };
  return { code: status.INTERNAL, details: `Internal error: ${(e as Error).message}` };
}

export function serviceImplementation(deps: GrpcServerDeps): UntypedServiceImplementation {
  const implementation: UntypedServiceImplementation = {};
  for (const [name, operation] of Object.entries(deps.operations)) {
    implementation[name] = (
      call: ServerUnaryCall<unknown, unknown>,
      callback: sendUnaryData<unknown>,
    ): void => {
      invoke(name, operation, deps, call.request).then(
        (response) => {
          callback(null, response);
        },
        (e: unknown) => {
          callback(toStatus(e));
        },
      );
    };
  }
  return implementation;
}

/** Binds the server to 127.0.0.1 only (insecure credentials are fine on loopback). */
export async function bindLoopback(server: Server, port: number): Promise<number> {
  return await new Promise<number>((resolve, reject) => {
    server.bindAsync(`127.0.0.1:${port}`, ServerCredentials.createInsecure(), (err, bound) => {
      if (err) reject(err);
      else resolve(bound);
    });
  });
}

export { Server };
