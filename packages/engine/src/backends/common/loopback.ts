/**
 * Whether a host is this machine. Loopback endpoints get the local-emulator relaxations
 * (Azure challenge-resource check, GCP plaintext gRPC, the managed layer's dev credentials);
 * everything else gets the cloud's full checks.
 *
 * @module
 */
import { isIP } from 'node:net';

/** `localhost` (and `*.localhost`), 127.0.0.0/8, `::1`, `::ffff:127.x`; brackets allowed. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  const v4 = host.startsWith('::ffff:') ? host.slice('::ffff:'.length) : host;
  if (isIP(v4) === 4) return v4.startsWith('127.');
  return host === '::1';
}
