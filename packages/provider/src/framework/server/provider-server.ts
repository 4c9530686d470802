/**
 * The tfplugin6.Provider service for a provider definition: one method per RPC, each
 * delegating to its file (decode → logic → encode), plus StopProvider, which aborts the signal
 * every in-flight resource operation holds and does not exit (Terraform may still await an
 * Apply response, then calls Shutdown).
 *
 * @module
 */
import type { Logger } from '../../protocol/logging';
import type { ProviderService } from '../../protocol/messages';
import type { ProviderDefinition } from '../provider';
import { applyResourceChange } from './apply';
import { callFunction } from './call-function';
import type { ServerState } from './context';
import { readDataSource } from './data-source';
import { planResourceChange } from './plan';
import { importResourceState, readResource, upgradeResourceState } from './read';
import { getFunctions, getMetadata, getProviderSchema } from './schema';
import {
  configureProvider,
  validateDataResourceConfig,
  validateProviderConfig,
  validateResourceConfig,
} from './validate';

export interface ProviderServerOptions {
  readonly logger: Logger;
  /** Throw on plan/apply consistency violations instead of reporting them (tests). */
  readonly strict?: boolean;
}

export interface ProviderServer extends ProviderService {
  /** Fires when Terraform calls StopProvider. */
  readonly signal: AbortSignal;
}

export function createProviderServer<C>(
  definition: ProviderDefinition<C>,
  options: ProviderServerOptions,
): ProviderServer {
  const state: ServerState<C> = {
    definition,
    logger: options.logger,
    strict: options.strict === true,
    ctx: undefined,
    clientCapabilities: {},
    stop: new AbortController(),
  };
  const log = <T>(rpc: string, typeName: string | undefined, run: () => Promise<T>): Promise<T> => {
    options.logger.trace(
      `${rpc} received`,
      typeName === undefined ? {} : { tf_resource_type: typeName },
    );
    return run();
  };
  return {
    get signal() {
      return state.stop.signal;
    },
    GetMetadata: () => Promise.resolve(getMetadata(state)),
    GetProviderSchema: () => Promise.resolve(getProviderSchema(state)),
    GetFunctions: () => Promise.resolve(getFunctions(state)),
    ValidateProviderConfig: (req) =>
      log('ValidateProviderConfig', undefined, () => validateProviderConfig(state, req)),
    ValidateResourceConfig: (req) =>
      log('ValidateResourceConfig', req.typeName, () => validateResourceConfig(state, req)),
    ValidateDataResourceConfig: (req) =>
      log('ValidateDataResourceConfig', req.typeName, () => validateDataResourceConfig(state, req)),
    ConfigureProvider: (req) =>
      log('ConfigureProvider', undefined, () => configureProvider(state, req)),
    UpgradeResourceState: (req) =>
      log('UpgradeResourceState', req.typeName, () => upgradeResourceState(state, req)),
    ReadResource: (req) => log('ReadResource', req.typeName, () => readResource(state, req)),
    PlanResourceChange: (req) =>
      log('PlanResourceChange', req.typeName, () => planResourceChange(state, req)),
    ApplyResourceChange: (req) =>
      log('ApplyResourceChange', req.typeName, () => applyResourceChange(state, req)),
    ImportResourceState: (req) =>
      log('ImportResourceState', req.typeName, () => importResourceState(state, req)),
    ReadDataSource: (req) => log('ReadDataSource', req.typeName, () => readDataSource(state, req)),
    CallFunction: (req) =>
      log('CallFunction', req.name, () => Promise.resolve(callFunction(state, req))),
    StopProvider: () => {
      options.logger.info('StopProvider: cancelling in-flight operations');
      state.stop.abort(new Error('Terraform asked the provider to stop (interrupt)'));
      return Promise.resolve({ Error: '' });
    },
  };
}
