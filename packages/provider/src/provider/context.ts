/**
 * The seam between the provider block and the resources: ConfigureProvider turns a checked
 * {@link ProviderConfig} into a {@link ProviderContext} — the seal opened, the store opened and
 * unsealed with it (a new store is initialized), the managed-key and signing-key clients in the
 * configured namespace — which every resource request carries. Opening the store here, once per
 * provider process, is what "refuse to start without a usable seal" means: a wrong passphrase or
 * an unreachable seal key fails ConfigureProvider with a diagnostic on the `seal` attribute
 * at fault, before any resource is touched.
 *
 * @module
 */
import type { KeyStore, ManagedKeys, Seal, SealConfig as EngineSealConfig } from '@keyplane/engine';
import type { KeyClient, KmsConnectionClient, SigningKeys } from '@keyplane/engine';
import type { Diagnostics } from '../framework/diagnostics';
import { errorDiagnostic } from '../framework/diagnostics';
import { path, type AttributePath } from '../protocol/cty/path';
import type { ProviderConfig, SealConfig } from './config';
import { engine, engineInternal } from './engine';
import { withEndpointOverrides } from './endpoint-overrides';
import { sharedBackends } from './shared-backends';

export interface ProviderContext {
  readonly config: ProviderConfig;
  readonly terraformVersion: string;
  /** Terraform >= 1.11 can handle write-only attributes (`credentials_wo`). */
  readonly writeOnlyAllowed: boolean;
  readonly store: KeyStore;
  readonly managedKeys: ManagedKeys;
  readonly signingKeys: SigningKeys;
  /** Central keys (Vault `keymgmt/key`). */
  readonly keys: KeyClient;
  /** KMS connections (Vault `keymgmt/kms`). */
  readonly kms: KmsConnectionClient;
}

export interface ProviderContextInput {
  readonly config: ProviderConfig;
  readonly terraformVersion: string;
  readonly writeOnlyAllowed: boolean;
}

export type ProviderContextFactory = (
  input: ProviderContextInput,
  diags: Diagnostics,
) => Promise<ProviderContext | undefined>;

/** Where a seal problem is shown: the engine names `seal.<parameter>`. */
function sealAttribute(seal: SealConfig, field: unknown): AttributePath {
  const root = path.root('seal');
  if (seal.type === 'passphrase') return path.attribute(root, 'passphrase');
  const name = typeof field === 'string' ? field.replace(/^seal\./, '') : '';
  if (name === '' || name === 'type') return path.attribute(root, 'type');
  return path.key(path.attribute(root, 'parameters'), name);
}

function engineSealConfig(seal: SealConfig): EngineSealConfig {
  return seal.type === 'passphrase'
    ? { type: 'passphrase', passphrase: seal.passphrase }
    : { type: seal.type, ...seal.parameters };
}

function storeUrl(config: ProviderConfig): string {
  return config.store.kind === 'sqlite' ? config.store.path : config.store.url;
}

/** Opens seal and store; on failure a diagnostic on `seal` or `store` and nothing left open. */
export const createProviderContext: ProviderContextFactory = async (input, diags) => {
  const {
    KeyClient,
    KmsConnectionClient,
    LifecycleContext,
    ManagedKeys,
    SigningKeys,
    openSeal,
    openStore,
  } = engine();
  const { config } = input;
  let seal: Seal;
  try {
    seal = await openSeal(engineSealConfig(config.seal));
  } catch (e) {
    const field = (e as { field?: unknown }).field;
    errorDiagnostic(diags, 'No usable seal', e, () => sealAttribute(config.seal, field));
    return undefined;
  }
  let store: KeyStore;
  try {
    store = await openStore(storeUrl(config), { seal, actor: config.actor });
  } catch (e) {
    await seal.close().catch(() => undefined);
    const code = (e as { code?: unknown }).code;
    // A store that exists but does not open with this seal is a seal problem, not a path one.
    const sealAtFault = code === 'ERR_SEALED' || code === 'ERR_INTEGRITY' || code === 'ERR_SEAL';
    errorDiagnostic(
      diags,
      sealAtFault ? 'No usable seal' : 'Cannot open the Keyplane store',
      e,
      () => (sealAtFault ? sealAttribute(config.seal, undefined) : path.root('store')),
    );
    return undefined;
  }
  const { openWithLocalAuth } = engineInternal();
  const openBackend = sharedBackends(withEndpointOverrides(openWithLocalAuth, config.endpoints));
  const managedKeys = new ManagedKeys({ store, namespace: config.namespace, openBackend });
  // The same policy the plan checked, enforced by the engine before any change (apply).
  const lifecycle = new LifecycleContext({
    store,
    namespace: config.namespace,
    openBackend,
    policy: config.policy?.parsed,
  });
  return {
    ...input,
    store,
    managedKeys,
    signingKeys: new SigningKeys(managedKeys),
    keys: new KeyClient(lifecycle),
    kms: new KmsConnectionClient(lifecycle),
  };
};

/** Thrown between engine steps once Terraform called StopProvider. */
export class StoppedError extends Error {
  readonly code = 'ERR_STOPPED';
}

/**
 * Engine calls are not interruptible mid-request (a half-sent cloud call must finish so its
 * result is recorded); work stops at the next step boundary instead, so whatever was already
 * done is returned in state and the next apply converges.
 */
export function checkpoint(signal: AbortSignal): void {
  if (signal.aborted)
    throw new StoppedError(
      'interrupted: Terraform asked the provider to stop; apply again to finish',
    );
}
