/**
 * terraform-provider-keyplane: the provider block, what ConfigureProvider builds, and what is
 * served, one file per resource / data source under resources/.
 *
 * @module
 */
import type { ProviderDefinition } from '../framework/provider';
import { parseProviderConfig, validateProviderConfig } from './config';
import {
  createProviderContext,
  type ProviderContext,
  type ProviderContextFactory,
} from './context';
import { compatibleFunction } from './functions/compatible';
import { fingerprintFunction } from './functions/fingerprint';
import { providerSchema } from './schema';
import { keyResource } from '../resources/key';
import { keyDistributionResource } from '../resources/key-distribution';
import { keyDataSource } from '../resources/key-data';
import { kmsResource } from '../resources/kms';
import { managedKeyResource } from '../resources/managed-key';
import { publicKeyDataSource } from '../resources/public-key-data';
import { signingKeyResource } from '../resources/signing-key';

export const PROVIDER_VERSION = '0.1.0';

export interface KeyplaneProviderOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  readonly contextFactory?: ProviderContextFactory;
}

export function keyplaneProvider(
  options: KeyplaneProviderOptions = {},
): ProviderDefinition<ProviderContext> {
  const env = options.env ?? process.env;
  const factory = options.contextFactory ?? createProviderContext;
  return {
    typeName: 'keyplane',
    version: PROVIDER_VERSION,
    schema: providerSchema,
    validateConfig: validateProviderConfig,
    async configure(req, diags) {
      const config = parseProviderConfig(req.config, env, options.cwd ?? process.cwd(), diags);
      if (config === undefined) return undefined;
      return await factory(
        {
          config,
          terraformVersion: req.terraformVersion,
          writeOnlyAllowed: req.clientCapabilities.writeOnlyAttributesAllowed === true,
        },
        diags,
      );
    },
    resources: [
      keyResource,
      kmsResource,
      keyDistributionResource,
      managedKeyResource,
      signingKeyResource,
    ],
    dataSources: [keyDataSource, publicKeyDataSource],
    functions: [fingerprintFunction, compatibleFunction],
  };
}
