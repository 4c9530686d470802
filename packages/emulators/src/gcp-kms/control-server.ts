/**
 * The side HTTP server carrying the shared `/_keyplane/…` control endpoint (faults, quotas,
 * health), which gRPC cannot carry. Loopback only.
 *
 * @module
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleControl, type Controls } from '../common/control';
import { keepIdleConnections } from '../common/keep-alive';

export async function startControlServer(
  port: number,
  controls: Controls,
): Promise<{ server: Server; port: number }> {
  const server = keepIdleConnections(
    createServer((req, res) => {
      handleControl(req, res, controls).then(
        (handled) => {
          if (!handled) {
            res.writeHead(404, { 'content-type': 'application/json' });
            res.end(JSON.stringify({ error: 'not a /_keyplane/ control path' }));
          }
        },
        (e: unknown) => {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: (e as Error).message }));
        },
      );
    }),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return { server, port: (server.address() as AddressInfo).port };
}
