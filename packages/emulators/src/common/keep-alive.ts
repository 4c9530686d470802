/**
 * How long the HTTP emulators keep an idle keep-alive connection open.
 *
 * Node's default (5 s) made tests fail with ECONNRESET under load: the SDKs' agents keep idle
 * sockets without a timeout of their own (Node 20's agent ignores the `Keep-Alive: timeout=5`
 * hint), so a request sent just as the server closed a socket idle for 5 s — routine when a
 * test step such as RSA key generation takes that long on a busy machine — met a closed peer.
 * The clouds keep idle connections for minutes (Azure's load balancers drop them after 4),
 * so the emulators do too; `close()` still ends them at once with closeAllConnections.
 *
 * @module
 */
import type { Server } from 'node:http';

export const IDLE_CONNECTION_MS = 240_000;

/** Applies the idle-connection lifetime to an http or https server; returns it. */
export function keepIdleConnections<S extends Server>(server: S): S {
  server.keepAliveTimeout = IDLE_CONNECTION_MS;
  return server;
}
