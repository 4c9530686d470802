/**
 * Test support for the GCP KMS emulator: the real `@google-cloud/kms` client pointed at it, a
 * fake OAuth2 client (so google-auth-library never looks for ADC or the metadata server), and
 * a loopback guard that records — and refuses — any non-loopback connection or DNS lookup
 * (kms-wire-protocols.md §1).
 */
import { KeyManagementServiceClient } from '@google-cloud/kms';
import { credentials } from '@grpc/grpc-js';
import { OAuth2Client } from 'google-auth-library';
import dns from 'node:dns';
import net from 'node:net';

// Mandatory network hygiene: never let google-auth-library probe the metadata server.
process.env.METADATA_SERVER_DETECTION = 'none';

/** An OAuth2Client holding a fake bearer token that never expires during a test run. */
export function fakeAuthClient(): OAuth2Client {
  const client = new OAuth2Client();
  client.setCredentials({ access_token: 'fake-token', expiry_date: Date.now() + 24 * 3600_000 });
  return client;
}

export function kmsClient(port: number): KeyManagementServiceClient {
  return new KeyManagementServiceClient({
    apiEndpoint: '127.0.0.1',
    port,
    sslCreds: credentials.createInsecure(),
    authClient: fakeAuthClient(),
  });
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost|::ffff:127\.\d+\.\d+\.\d+)$/;

function hostOf(args: unknown[]): string | undefined {
  const [first, second] = args;
  if (Array.isArray(first)) return hostOf(first as unknown[]);
  if (typeof first === 'object' && first !== null) {
    const options = first as { host?: string; path?: string };
    if (options.path !== undefined) return undefined; // IPC socket
    return options.host ?? 'localhost';
  }
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first)))
    return typeof second === 'string' ? second : 'localhost';
  return undefined;
}

export interface LoopbackGuard {
  /** Every non-loopback host something tried to reach. */
  readonly violations: string[];
  restore(): void;
}

/** Patches `net.Socket#connect` and `dns.lookup` to refuse and record non-loopback targets. */
export function installLoopbackGuard(): LoopbackGuard {
  const violations: string[] = [];
  /* eslint-disable @typescript-eslint/unbound-method -- restored verbatim below */
  const originalConnect = net.Socket.prototype.connect;
  const originalLookup = dns.lookup;
  /* eslint-enable @typescript-eslint/unbound-method */
  net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
    const host = hostOf(args);
    if (host !== undefined && !LOOPBACK.test(host)) {
      violations.push(`connect ${host}`);
      throw new Error(`loopback guard: refused connection to ${host}`);
    }
    return (originalConnect as (...a: unknown[]) => net.Socket).apply(this, args);
  };
  dns.lookup = function (hostname: string, ...rest: unknown[]) {
    if (!LOOPBACK.test(hostname)) {
      violations.push(`lookup ${hostname}`);
      throw new Error(`loopback guard: refused DNS lookup of ${hostname}`);
    }
    (originalLookup as (...a: unknown[]) => void)(hostname, ...rest);
  } as typeof dns.lookup;
  return {
    violations,
    restore: () => {
      net.Socket.prototype.connect = originalConnect;
      dns.lookup = originalLookup;
    },
  };
}

/** The gRPC status code a rejected call carries (`undefined` if it resolved). */
export async function grpcCode(call: Promise<unknown>): Promise<number | undefined> {
  try {
    await call;
    return undefined;
  } catch (e) {
    return (e as { code?: number }).code;
  }
}

/** Rejection details for assertions on messages. */
export async function grpcError(
  call: Promise<unknown>,
): Promise<{ code?: number; details?: string }> {
  try {
    await call;
  } catch (e) {
    return e as { code?: number; details?: string };
  }
  throw new Error('expected the call to fail');
}
