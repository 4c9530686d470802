/**
 * Whether a host is this machine. Loopback endpoints get the local-emulator relaxations
 * (Azure challenge-resource check, GCP plaintext gRPC, the managed layer's dev credentials);
 * everything else gets the cloud's full checks.
 *
 * @module
 */

/** A dotted-quad IPv4 address (no Node built-in: the policy module loads this file too). */
const isIPv4 = (host: string): boolean =>
  /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.test(host) &&
  host.split('.').every((octet) => Number(octet) <= 255);

/** `localhost` (and `*.localhost`), 127.0.0.0/8, `::1`, `::ffff:127.x`; brackets allowed. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  const v4 = host.startsWith('::ffff:') ? host.slice('::ffff:'.length) : host;
  if (isIPv4(v4)) return v4.startsWith('127.');
  return host === '::1';
}
