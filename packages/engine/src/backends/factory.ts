/**
 * `createKmsBackend(config)`: the backend for a connection config. Each backend module is
 * imported on first use so only the SDK actually needed is loaded.
 *
 * @module
 */
import { lookup, names, table } from '../algorithms/table';
import { UnsupportedTargetError, notAllowedMessage } from '../errors';
import type { BackendConfig } from './configs';
import type { BackendType, KmsBackend } from './contract';
import type * as AwsKms from './aws-kms';
import type * as AzureKeyVault from './azure-key-vault';
import type * as GcpKms from './gcp-kms';
import type * as Pkcs11 from './pkcs11';

type Loader = (config: BackendConfig) => Promise<KmsBackend>;

/** Narrows the config to the loader's type; the table key guarantees it at runtime. */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- a checked cast
function as<T extends BackendConfig>(config: BackendConfig): T {
  return config as T;
}

/*
 * `require` on purpose: a CommonJS package's dynamic `import()` of a relative path follows ESM
 * rules (explicit `.js`), which the TypeScript sources loaded by tests do not have.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
/**
 * pkcs11js is an optional dependency (a native module, built at install): a user who only wraps
 * BYOK blobs or uses cloud KMSs may not have it, and then hears why, not a resolver stack.
 */
function loadPkcs11(): typeof Pkcs11 {
  try {
    return require('./pkcs11') as typeof Pkcs11;
  } catch (e) {
    const missing =
      (e as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' &&
      (e as Error).message.includes("'pkcs11js'");
    if (!missing) throw e;
    throw new UnsupportedTargetError(
      'the pkcs11 backend needs the optional dependency pkcs11js, which is not installed (npm install pkcs11js)',
      { field: 'type', cause: e },
    );
  }
}

const LOADERS = table<BackendType, Loader>({
  pkcs11: (c) => Promise.resolve(new (loadPkcs11().Pkcs11Backend)(as(c))),
  awskms: (c) => Promise.resolve(new (require('./aws-kms') as typeof AwsKms).AwsKmsBackend(as(c))),
  azurekeyvault: (c) =>
    Promise.resolve(
      new (require('./azure-key-vault') as typeof AzureKeyVault).AzureKeyVaultBackend(as(c)),
    ),
  gcpckms: (c) => Promise.resolve(new (require('./gcp-kms') as typeof GcpKms).GcpKmsBackend(as(c))),
});
/* eslint-enable @typescript-eslint/no-require-imports */

/** Opens a backend. No network or HSM I/O happens until the first operation. */
export async function createKmsBackend(config: BackendConfig): Promise<KmsBackend> {
  const load = lookup(LOADERS, config.type);
  if (load === undefined) {
    throw new UnsupportedTargetError(
      notAllowedMessage('type', config.type, 'as a backend type', names(LOADERS)),
      { field: 'type', allowed: names(LOADERS) },
    );
  }
  return await load(config);
}
