/**
 * The provider block's `endpoint { … }` overrides, applied where a connection is opened: a KMS
 * connection or managed key that names no endpoint of its own uses the one configured for its
 * cloud (e.g. the local emulators of `keyplane dev up`). Nothing is written to the store or the
 * state, so removing the override points the same resources at the public endpoints again.
 * A loopback override is treated as an emulator, as a loopback endpoint on the resource is:
 * plaintext gRPC for GCP and a local bearer token for Azure, so no credential is ever sent to a
 * cloud identity service.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import type { BackendConfig, KmsBackend } from '@keyplane/engine';
import type { EndpointOverrides } from './config';
import { engineInternal } from './engine';

type Opener = (config: BackendConfig) => Promise<KmsBackend>;

const loopback = (endpoint: string): boolean => {
  const { hostOf, isLoopbackHost } = engineInternal();
  return isLoopbackHost(hostOf(endpoint));
};

/** Per backend type: the config with the overrides filled in where it has no endpoint. */
const APPLY: {
  readonly [T in BackendConfig['type']]: (
    config: Extract<BackendConfig, { type: T }>,
    o: EndpointOverrides,
  ) => BackendConfig;
} = {
  awskms: (c, o) =>
    c.endpoint !== undefined || o.awskms === undefined ? c : { ...c, endpoint: o.awskms },
  azurekeyvault: (c, o) => {
    if (c.vaultUrl !== undefined || o.azurekeyvault === undefined) return c;
    const local = loopback(o.azurekeyvault) && c.credential === undefined;
    return {
      ...c,
      vaultUrl: o.azurekeyvault,
      ...(c.caPem === undefined && o.azureCaFile !== undefined
        ? { caPem: readFileSync(o.azureCaFile, 'utf8') }
        : {}),
      ...(local ? { credential: engineInternal().LOCAL_DEV_CREDENTIAL } : {}),
    };
  },
  gcpckms: (c, o) =>
    c.endpoint !== undefined || o.gcpckms === undefined
      ? c
      : { ...c, endpoint: o.gcpckms, insecure: o.gcpInsecure ?? loopback(o.gcpckms) },
  pkcs11: (c) => c,
};

export function withEndpointOverrides(open: Opener, overrides: EndpointOverrides): Opener {
  if (Object.keys(overrides).length === 0) return open;
  return (config) =>
    open(
      (APPLY[config.type] as (c: BackendConfig, o: EndpointOverrides) => BackendConfig)(
        config,
        overrides,
      ),
    );
}
