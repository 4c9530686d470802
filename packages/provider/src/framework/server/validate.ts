/**
 * ValidateProviderConfig, ValidateResourceConfig, ValidateDataResourceConfig and
 * ConfigureProvider. Validation sees unknown values (references to resources not created yet):
 * validators skip them; ConfigureProvider builds the context only from a wholly known config.
 *
 * @module
 */
import { isWhollyKnown } from '../../protocol/cty/values';
import type {
  ConfigRequest,
  ConfigureProviderRequest,
  DiagnosticsResponse,
} from '../../protocol/messages';
import { canValidateConfig } from '../resource';
import { impliedType } from '../schema';
import { validateBlock } from '../walk';
import {
  decodeDynamic,
  findDataSource,
  findResource,
  guarded,
  newDiagnostics,
  objectOrEmpty,
  type ServerState,
} from './context';

export async function validateProviderConfig<C>(
  state: ServerState<C>,
  req: ConfigRequest,
): Promise<DiagnosticsResponse> {
  const diags = newDiagnostics();
  const { schema } = state.definition;
  await guarded(diags, 'Invalid provider configuration', () => {
    const config = objectOrEmpty(decodeDynamic(req.config, impliedType(schema)));
    validateBlock(schema, config, diags);
    state.definition.validateConfig?.(config, diags);
  });
  return { diagnostics: diags.toWire() };
}

export async function validateResourceConfig<C>(
  state: ServerState<C>,
  req: ConfigRequest,
): Promise<DiagnosticsResponse> {
  const diags = newDiagnostics();
  const resource = findResource(state, req.typeName ?? '', diags);
  if (resource !== undefined) {
    await guarded(diags, `Invalid ${resource.typeName} configuration`, () => {
      const config = objectOrEmpty(decodeDynamic(req.config, impliedType(resource.schema)));
      validateBlock(resource.schema, config, diags);
      if (canValidateConfig(resource)) resource.validateConfig({ config }, { diagnostics: diags });
    });
  }
  return { diagnostics: diags.toWire() };
}

export async function validateDataResourceConfig<C>(
  state: ServerState<C>,
  req: ConfigRequest,
): Promise<DiagnosticsResponse> {
  const diags = newDiagnostics();
  const ds = findDataSource(state, req.typeName ?? '', diags);
  if (ds !== undefined) {
    await guarded(diags, `Invalid ${ds.typeName} configuration`, () => {
      const config = objectOrEmpty(decodeDynamic(req.config, impliedType(ds.schema)));
      validateBlock(ds.schema, config, diags);
      ds.validateConfig?.(config, diags);
    });
  }
  return { diagnostics: diags.toWire() };
}

export async function configureProvider<C>(
  state: ServerState<C>,
  req: ConfigureProviderRequest,
): Promise<DiagnosticsResponse> {
  const diags = newDiagnostics();
  state.clientCapabilities = req.clientCapabilities ?? {};
  await guarded(diags, 'Provider configuration failed', async () => {
    const { schema } = state.definition;
    const config = objectOrEmpty(decodeDynamic(req.config, impliedType(schema)));
    validateBlock(schema, config, diags);
    state.definition.validateConfig?.(config, diags);
    if (diags.hasErrors()) return;
    if (!isWhollyKnown(config)) {
      // Depends on resources not created yet; resources get ctx = undefined until then.
      state.logger.debug('provider configuration not wholly known yet');
      return;
    }
    state.ctx = await state.definition.configure(
      {
        config,
        terraformVersion: req.terraformVersion,
        clientCapabilities: state.clientCapabilities,
      },
      diags,
    );
  });
  return { diagnostics: diags.toWire() };
}
