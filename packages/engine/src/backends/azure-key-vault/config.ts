/**
 * Connection settings: the vault URL, which service it is, the Azure cloud (authority host and
 * DNS suffixes), and the credential. Resolved synchronously in the constructor (refusals surface
 * early, no I/O); `@azure/identity` is only loaded when no ready credential was given.
 *
 * @module
 */
import type { TokenCredential } from '@azure/core-auth';
import type { AzureService } from '../../algorithms/clouds';
import { lookup, names, table } from '../../algorithms/table';
import { InvalidArgumentError, MissingParameterError, notAllowedMessage } from '../../errors';
import { isLoopbackHost } from '../common/loopback';
import type { AzureKeyVaultBackendConfig } from '../configs';

interface AzureCloud {
  /** Microsoft Entra authority for this cloud. */
  readonly authorityHost: string;
  /** DNS suffix of vaults and of Managed HSMs. */
  readonly resource: Readonly<Record<AzureService, string>>;
}

/** The Azure clouds by the names Vault's azurekeyvault seal / KMSE use (`environment`). */
export const AZURE_CLOUDS = table<string, AzureCloud>({
  AZUREPUBLICCLOUD: {
    authorityHost: 'https://login.microsoftonline.com',
    resource: { vault: 'vault.azure.net', 'managed-hsm': 'managedhsm.azure.net' },
  },
  AZURECHINACLOUD: {
    authorityHost: 'https://login.chinacloudapi.cn',
    resource: { vault: 'vault.azure.cn', 'managed-hsm': 'managedhsm.azure.cn' },
  },
  AZUREUSGOVERNMENTCLOUD: {
    authorityHost: 'https://login.microsoftonline.us',
    resource: { vault: 'vault.usgovcloudapi.net', 'managed-hsm': 'managedhsm.usgovcloudapi.net' },
  },
});

export interface ResolvedConfig {
  readonly vaultUrl: string;
  readonly service: AzureService;
  readonly cloud: AzureCloud;
  /** The vault host is this machine (emulator): the challenge resource cannot match it. */
  readonly loopback: boolean;
}

function cloudOf(environment: string | undefined): AzureCloud {
  const name = (environment ?? 'AZUREPUBLICCLOUD').toUpperCase();
  const cloud = lookup(AZURE_CLOUDS, name);
  if (cloud === undefined) {
    const allowed = names(AZURE_CLOUDS);
    throw new InvalidArgumentError(
      notAllowedMessage('environment', environment ?? '', 'as an Azure cloud', allowed),
      { field: 'environment', allowed },
    );
  }
  return cloud;
}

const isManagedHsmHost = (value: string | undefined): boolean =>
  value !== undefined && `.${value.toLowerCase()}`.includes('.managedhsm.');

function parseVaultUrl(value: string): URL {
  try {
    const url = new URL(value);
    if (url.protocol === 'https:') return url;
  } catch {
    // fall through to the refusal below
  }
  throw new InvalidArgumentError(`vaultUrl '${value}' is not an https:// URL`, {
    field: 'vaultUrl',
  });
}

export function resolveConfig(config: AzureKeyVaultBackendConfig): ResolvedConfig {
  const cloud = cloudOf(config.environment);
  let url: URL;
  if (config.vaultUrl !== undefined && config.vaultUrl !== '') {
    url = parseVaultUrl(config.vaultUrl);
  } else {
    if (config.vaultName === undefined || config.vaultName === '') {
      throw new MissingParameterError('vaultName (or vaultUrl) is required for Azure Key Vault', {
        field: 'vaultName',
      });
    }
    const service = config.service ?? (isManagedHsmHost(config.resource) ? 'managed-hsm' : 'vault');
    const resource = config.resource ?? cloud.resource[service];
    url = parseVaultUrl(`https://${config.vaultName}.${resource}`);
  }
  const service =
    config.service ??
    (isManagedHsmHost(url.hostname) || isManagedHsmHost(config.resource) ? 'managed-hsm' : 'vault');
  const vaultUrl = url.toString().replace(/\/$/, '');
  return { vaultUrl, service, cloud, loopback: isLoopbackHost(url.hostname) };
}

/** Which credential source the config selects, checked without loading `@azure/identity`. */
export type CredentialSource =
  | { readonly kind: 'ready'; readonly credential: TokenCredential }
  | { readonly kind: 'client-secret'; readonly tenantId: string; readonly clientId: string }
  | { readonly kind: 'default' };

export function credentialSource(config: AzureKeyVaultBackendConfig): CredentialSource {
  if (config.credential !== undefined) return { kind: 'ready', credential: config.credential };
  const parts = {
    tenantId: config.tenantId,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
  };
  const given = Object.entries(parts).filter(([, v]) => v !== undefined && v !== '');
  if (given.length === 0) return { kind: 'default' };
  const missing = Object.keys(parts).find((k) => !given.some(([g]) => g === k));
  if (missing !== undefined) {
    throw new MissingParameterError(
      `${missing} is required with ${given.map(([k]) => k).join(' and ')} (client secret credential)`,
      { field: missing },
    );
  }
  return { kind: 'client-secret', tenantId: parts.tenantId ?? '', clientId: parts.clientId ?? '' };
}

/**
 * The credential: a ready one, a client secret, else DefaultAzureCredential (managed identity,
 * environment, Azure CLI …). `@azure/identity` is imported only on the last two paths.
 */
export async function createCredential(
  config: AzureKeyVaultBackendConfig,
  source: CredentialSource,
  cloud: AzureCloud,
): Promise<TokenCredential> {
  if (source.kind === 'ready') return source.credential;
  const identity = await import('@azure/identity');
  const options = { authorityHost: cloud.authorityHost };
  if (source.kind === 'client-secret') {
    return new identity.ClientSecretCredential(
      source.tenantId,
      source.clientId,
      config.clientSecret ?? '',
      options,
    );
  }
  return new identity.DefaultAzureCredential(options);
}
