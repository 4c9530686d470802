/**
 * terraform-provider-keyplane as a library: the framework (for resources and tests), the
 * protocol layer, and the Keyplane provider definition.
 *
 * @module
 */
export * from './protocol/cty';
export * from './protocol/handshake';
export { createServerCertificate, type ServerCertificate } from './protocol/certificate';
export { reattachConfig, serve, PROVIDER_ADDRESS } from './protocol/serve';
export { listenUnix, type PluginListener } from './protocol/listener';
export { startGrpcServer } from './protocol/grpc-server';
export {
  createLogger,
  stderrLogger,
  redactText,
  redactFields,
  type Logger,
} from './protocol/logging';
export * from './framework/diagnostics';
export * from './framework/schema';
export * from './framework/resource';
export * from './framework/data-source';
export * from './framework/function';
export * from './framework/provider';
export { requiresReplace } from './framework/planmodifiers/requires-replace';
export { useStateForUnknown } from './framework/planmodifiers/use-state-for-unknown';
export { oneOf } from './framework/validators/one-of';
export { stringMatches } from './framework/validators/string-matches';
export { elementsOneOf } from './framework/validators/set-of';
export { assertPlanValid, type Violation } from './framework/consistency/plan-valid';
export { assertObjectCompatible } from './framework/consistency/object-compatible';
export { createProviderServer, type ProviderServer } from './framework/server/provider-server';
export { keyplaneProvider, PROVIDER_VERSION } from './provider/definition';
export type { ProviderContext, ProviderContextFactory } from './provider/context';
export type { ProviderConfig } from './provider/config';
export {
  installProvider,
  mirrorCliConfig,
  terraformPlatform,
  defaultMirrorDir,
  PROVIDER_HOST,
  type InstallOptions,
  type InstallResult,
} from './install';
