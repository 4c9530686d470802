/**
 * Plugin start-up, in the order that keeps Terraform waiting least: check the cookie, make the
 * AutoMTLS certificate (node:crypto only), listen on a unix socket, print the one handshake
 * line — and only then load grpc-js and the provider (`load`). Nothing else ever goes to stdout.
 *
 * Signals: SIGINT is ignored (a terminal's Ctrl-C reaches the whole process group; Terraform
 * forwards it as StopProvider — go-plugin servers "eat the interrupts" too), SIGTERM and
 * GRPCController.Shutdown exit gracefully.
 *
 * @module
 */
import { writeSync } from 'node:fs';
import { createServerCertificate, type ServerCertificate } from './certificate';
import { checkLaunch, handshakeLine } from './handshake';
import { listenUnix } from './listener';
import { stderrLogger, type Logger } from './logging';
import type { RunningGrpcServer } from './grpc-server';
import type { ProviderService } from './messages';

export const PROVIDER_ADDRESS = 'registry.terraform.io/keyplane/keyplane';

export interface ServeOptions {
  /** Builds the provider service; called after the handshake line is written. */
  readonly load: (logger: Logger) => ProviderService;
  readonly argv?: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
}

/** TF_REATTACH_PROVIDERS for a provider served in debug mode (terraform `reattach.go`). */
export function reattachConfig(socketPath: string, pid = process.pid): string {
  return JSON.stringify({
    [PROVIDER_ADDRESS]: {
      Protocol: 'grpc',
      ProtocolVersion: 6,
      Pid: pid,
      // Test must be true: Terraform 1.11 assumes protocol 5 for non-test reattach entries.
      Test: true,
      Addr: { Network: 'unix', String: socketPath },
    },
  });
}

export async function serve(options: ServeOptions): Promise<void> {
  const env = options.env ?? process.env;
  const debug = (options.argv ?? process.argv.slice(2)).includes('--debug');
  if (!debug) {
    const launch = checkLaunch(env);
    if (!launch.ok) {
      process.stderr.write(launch.message);
      process.exitCode = 1;
      return;
    }
  }
  const logger = stderrLogger(env);
  // Signal handlers before the handshake line: Ctrl-C may arrive at any moment after it.
  const grpc: { running?: RunningGrpcServer } = {};
  let exiting = false;
  const exit = (reason: string) => {
    if (exiting) return;
    exiting = true;
    logger.debug('provider exiting', { reason });
    if (grpc.running === undefined) process.exit(0);
    // Let in-flight responses (Shutdown's own included) finish, within a bound.
    setTimeout(() => process.exit(0), 1000).unref();
    grpc.running.close(() => process.exit(0));
  };
  process.on('SIGINT', () => {
    if (debug) exit('SIGINT');
    else logger.debug('SIGINT ignored: Terraform stops the provider with StopProvider');
  });
  process.on('SIGTERM', () => {
    exit('SIGTERM');
  });

  const clientCertPem = debug ? undefined : env.PLUGIN_CLIENT_CERT;
  const certificate: ServerCertificate | undefined =
    clientCertPem === undefined || clientCertPem === '' ? undefined : createServerCertificate();
  const listener = await listenUnix(env);
  process.on('exit', () => {
    listener.close();
  });
  if (debug) {
    writeSync(
      1,
      [
        'Provider started. To attach Terraform CLI, set the TF_REATTACH_PROVIDERS environment variable with the following:',
        '',
        `\tTF_REATTACH_PROVIDERS='${reattachConfig(listener.socketPath)}'`,
        '',
        'Stop with Ctrl-C.',
        '',
      ].join('\n'),
    );
  } else {
    writeSync(1, handshakeLine(listener.socketPath, certificate?.der));
  }

  // Loaded now, not at the top: grpc-js and the provider are most of the start-up cost.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { startGrpcServer } = require('./grpc-server') as typeof import('./grpc-server');
  grpc.running = startGrpcServer({
    listener,
    logger,
    service: options.load(logger),
    onShutdown: () => {
      exit('shutdown');
    },
    ...(certificate === undefined || clientCertPem === undefined
      ? {}
      : { tls: { certificate, clientCertPem } }),
  });
  logger.debug('provider serving', { socket: listener.socketPath, tls: certificate !== undefined });
}
