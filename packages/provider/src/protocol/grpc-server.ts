/**
 * The gRPC side of the plugin: tfplugin6.Provider plus go-plugin's GRPCController (Shutdown),
 * served over connections the light listener accepted. With AutoMTLS the server presents its
 * per-process certificate and REQUIRES a client certificate signed by (= equal to, it is
 * self-signed) the PLUGIN_CLIENT_CERT Terraform put in the environment, as go-plugin servers do
 * (`RequireAndVerifyClientCert`, hashicorp/go-plugin `server.go`): another local process that
 * finds the socket cannot drive the provider.
 *
 * Loaded only after the handshake line is out (grpc-js is the slowest part of start-up).
 *
 * @module
 */
import type { Socket } from 'node:net';
import { Server, ServerCredentials } from '@grpc/grpc-js';
import type { ServerCertificate } from './certificate';
import { serviceDefinition, unaryHandlers, type UnaryImplementation } from './grpc-services';
import type { PluginListener } from './listener';
import type { Logger } from './logging';
import type { ProviderService } from './messages';

export interface GrpcServerOptions {
  readonly listener: PluginListener;
  readonly service: ProviderService;
  readonly logger: Logger;
  /** AutoMTLS: our certificate and Terraform's client certificate (PEM). */
  readonly tls?: { readonly certificate: ServerCertificate; readonly clientCertPem: string };
  /** GRPCController.Shutdown was called (after its response went out). */
  readonly onShutdown: () => void;
}

export interface RunningGrpcServer {
  /** Stops accepting, lets calls in flight finish, then calls `done`. */
  close(done?: () => void): void;
}

export function startGrpcServer(options: GrpcServerOptions): RunningGrpcServer {
  const { listener, logger } = options;
  const server = new Server({ 'grpc.max_receive_message_length': 256 * 1024 * 1024 });
  const onError = (method: string, e: unknown) => {
    logger.error(`${method} failed`, { error: e instanceof Error ? e.message : String(e) });
  };
  server.addService(
    serviceDefinition('tfplugin6.Provider'),
    unaryHandlers(options.service as unknown as UnaryImplementation, onError),
  );
  server.addService(
    serviceDefinition('plugin.GRPCController'),
    unaryHandlers(
      {
        Shutdown: () => {
          logger.debug('shutdown requested by the client');
          setImmediate(options.onShutdown);
          return Promise.resolve({});
        },
      },
      onError,
    ),
  );
  const credentials =
    options.tls === undefined
      ? ServerCredentials.createInsecure()
      : ServerCredentials.createSsl(
          Buffer.from(options.tls.clientCertPem),
          [
            {
              cert_chain: Buffer.from(options.tls.certificate.certPem),
              private_key: Buffer.from(options.tls.certificate.keyPem),
            },
          ],
          true,
        );
  const injector = server.createConnectionInjector(credentials);
  const open = new Set<Socket>();
  let drained: (() => void) | undefined;
  listener.attach((socket) => {
    open.add(socket);
    socket.on('close', () => {
      open.delete(socket);
      if (open.size === 0) drained?.();
    });
    socket.on('error', (e) => {
      logger.debug('connection error', { error: e.message });
    });
    injector.injectConnection(socket);
    // The listener accepted it paused. TLS takes over the socket's handle and reads by itself;
    // a plaintext HTTP/2 session (debug/reattach mode) needs the socket flowing again.
    if (options.tls === undefined) socket.resume();
  });
  return {
    close(done) {
      listener.close();
      // Graceful: HTTP/2 sessions finish the streams in flight (Shutdown's own response
      // included), then the connections close; done once the last one has.
      drained = done;
      injector.destroy();
      if (open.size === 0) done?.();
    },
  };
}
