/**
 * The fast half of start-up: a unix socket in a fresh 0700 directory, listening before anything
 * heavy loads, so the handshake line can be printed ~immediately. Connections that arrive while
 * gRPC is still loading wait, paused, in a queue (their bytes stay in the kernel buffer) and are
 * handed to grpc-js's connection injector (`Server.createConnectionInjector`) once it exists, so
 * TLS and HTTP/2 are still done entirely by grpc-js.
 *
 * @module
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PluginListener {
  readonly socketPath: string;
  /** Routes queued and future connections to `sink`. */
  attach(sink: (socket: Socket) => void): void;
  close(): void;
}

export async function listenUnix(env: NodeJS.ProcessEnv): Promise<PluginListener> {
  // go-plugin honours PLUGIN_UNIX_SOCKET_DIR (go-plugin `constants.go`); short paths matter
  // because sun_path holds ~104-108 bytes.
  const dir = mkdtempSync(join(env.PLUGIN_UNIX_SOCKET_DIR ?? tmpdir(), 'kp-'));
  const socketPath = join(dir, 'p.sock');
  let sink: ((socket: Socket) => void) | undefined;
  const waiting: Socket[] = [];
  const server: Server = createServer({ pauseOnConnect: true }, (socket) => {
    if (sink === undefined) waiting.push(socket);
    else sink(socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => {
      server.off('error', reject);
      resolve();
    });
  });
  let closed = false;
  return {
    socketPath,
    attach(next) {
      sink = next;
      for (const s of waiting.splice(0)) next(s);
    },
    close() {
      if (closed) return;
      closed = true;
      server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
