/**
 * Serves a provider definition from the test process over the real protocol stack (unix socket,
 * grpc-js, the tfplugin6 service), for terraform to attach to with TF_REATTACH_PROVIDERS.
 * Strict mode is on: a plan/apply consistency violation fails the RPC, so it fails the test.
 * Every request is recorded, raw DynamicValues included, for protocol assertions.
 */
import {
  createLogger,
  createProviderServer,
  listenUnix,
  reattachConfig,
  startGrpcServer,
  type ProviderDefinition,
} from 'terraform-provider-keyplane';

export interface RecordedCall {
  readonly method: string;
  readonly request: unknown;
}

export interface InProcessProvider {
  readonly reattach: string;
  readonly calls: RecordedCall[];
  readonly logs: string[];
  close(): void;
}

export async function serveInProcess<C>(
  definition: ProviderDefinition<C>,
): Promise<InProcessProvider> {
  const listener = await listenUnix(process.env);
  const logs: string[] = [];
  const logger = createLogger((line) => logs.push(line), 'trace');
  const service = createProviderServer(definition, { logger, strict: true });
  const calls: RecordedCall[] = [];
  const recording = Object.fromEntries(
    Object.entries(service).map(([method, fn]) => [
      method,
      typeof fn === 'function'
        ? (request: unknown) => {
            calls.push({ method, request });
            return (fn as (r: unknown) => Promise<unknown>)(request);
          }
        : fn,
    ]),
  ) as unknown as typeof service;
  const running = startGrpcServer({
    listener,
    logger,
    service: recording,
    onShutdown: () => undefined,
  });
  return {
    reattach: reattachConfig(listener.socketPath),
    calls,
    logs,
    close: () => {
      running.close();
    },
  };
}
