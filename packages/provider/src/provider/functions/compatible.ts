/**
 * `provider::keyplane::compatible(type, provider, purpose[, origin])`: whether a key of `type`
 * (and `origin`) can be distributed to `provider` for every purpose in `purpose`, at some
 * protection level — answered by the engine's `checkDistributionTarget`, the check the engine's
 * distribute, `keyplane_key_distribution`'s plan and CDKTF synth run: key type per cloud and
 * Azure service, PKCS#11 targets, HSM-origin keys, purposes, protection.
 *
 * Terraform functions have no optional parameters, only a trailing variadic one (tfplugin6.proto
 * `Function.variadic_parameter`; https://developer.hashicorp.com/terraform/plugin/framework/functions/parameters), so
 * `origin` is variadic (zero or one value): three-argument calls keep their meaning. The Azure
 * service rides on `provider` (`azurekeyvault/managed-hsm`); plain `azurekeyvault` means "either
 * service", as before.
 *
 * A misspelt type, provider, purpose or origin is an error naming the argument and the allowed
 * values; a real but unsupported combination is `false`.
 *
 * @module
 */
import type { AzureService, BackendType } from '@keyplane/engine';
import { FunctionError, type ProviderFunction } from '../../framework/function';
import { types } from '../../protocol/cty/types';
import { asArray, type CtyValue } from '../../protocol/cty/values';
import { ORIGIN_PATTERN, ORIGIN_VALUES, engineOrigin } from '../../resources/key-origin';
import { engine } from '../engine';

const ARG = { type: 0, provider: 1, purpose: 2, origin: 3 } as const;

interface Target {
  readonly provider: BackendType;
  readonly azureService?: AzureService;
}

/**
 * Every `provider` spelling, derived from the engine's tables: each KMS type and its short form,
 * Azure's also with `/<service>`, and `pkcs11` (a token Keyplane unwraps keys into).
 */
function targets(): ReadonlyMap<string, Target> {
  const e = engine();
  const spellings = new Map<string, Target>();
  for (const short of [false, true]) {
    for (const name of e.KMS_PROVIDER_NAMES) {
      const spelling = short ? e.kmsProvider(name).target : name;
      spellings.set(spelling, { provider: name });
      if (name !== 'azurekeyvault') continue;
      for (const azureService of e.AZURE_SERVICES)
        spellings.set(`${spelling}/${azureService}`, { provider: name, azureService });
    }
    if (!short) spellings.set('pkcs11', { provider: 'pkcs11' });
  }
  return spellings;
}

function target(provider: CtyValue): Target {
  if (typeof provider !== 'string')
    throw new FunctionError('provider must be a string', ARG.provider);
  const all = targets();
  const found = all.get(provider);
  if (found === undefined) {
    throw new FunctionError(
      `provider '${provider}' is not supported; allowed: ${[...all.keys()].join(', ')}`,
      ARG.provider,
    );
  }
  return found;
}

function purposesOf(purpose: CtyValue): string[] {
  const e = engine();
  const purposes = (asArray(purpose ?? null) ?? []).map((p) => {
    if (typeof p !== 'string')
      throw new FunctionError('purpose elements must be strings', ARG.purpose);
    return p;
  });
  const bad = purposes.find((p) => !(e.PURPOSES as readonly string[]).includes(p));
  if (bad !== undefined) {
    throw new FunctionError(
      `purpose "${bad}" is not valid; allowed: ${e.PURPOSES.join(', ')}`,
      ARG.purpose,
    );
  }
  if (purposes.length === 0)
    throw new FunctionError('purpose must name at least one purpose', ARG.purpose);
  return purposes;
}

/** The engine's origin (`software` / `hsm:<kms>`) of the variadic `origin` (none = software). */
function originOf(origins: readonly CtyValue[]): string {
  if (origins.length > 1) {
    throw new FunctionError(
      `origin takes at most one value, got ${String(origins.length)}`,
      ARG.origin + 1,
    );
  }
  const origin = origins[0] ?? 'software';
  if (typeof origin !== 'string' || !ORIGIN_PATTERN.test(origin)) {
    const shown = typeof origin === 'string' ? `'${origin}'` : 'a non-string';
    throw new FunctionError(`origin ${shown} is not valid; allowed: ${ORIGIN_VALUES}`, ARG.origin);
  }
  return engineOrigin(origin) ?? 'software';
}

export const compatibleFunction = {
  name: 'compatible',
  summary: 'Whether a key type can be distributed to a KMS for given purposes',
  description:
    'Returns `true` when a Keyplane key of `type` can be distributed to `provider` — imported (BYOK) into `awskms`, `azurekeyvault` or `gcpckms` (or the short forms `aws`, `azure`, `gcp`), or unwrapped into a `pkcs11` token — with all of the listed purposes (`encrypt`, `decrypt`, `sign`, `verify`, `wrap`, `unwrap`), at HSM or software protection. For Azure, name the service as `azurekeyvault/vault` (Key Vault: RSA only) or `azurekeyvault/managed-hsm` (Managed HSM: also EC and AES); plain `azurekeyvault` is `true` when either service accepts the key. The optional fourth argument is the key\'s `origin` (`software`, the default, or the pkcs11 `keyplane_kms` id of an HSM-origin key, which only goes to the clouds the token can wrap for, at `hsm` protection). This is the check `keyplane_key_distribution` runs at plan (and the engine before any distribution). Unknown names are errors, so a typo never reads as "incompatible".',
  parameters: [
    { name: 'type', type: 'string', description: 'Key type, e.g. `rsa-3072` or `ecdsa-p256`.' },
    {
      name: 'provider',
      type: 'string',
      description:
        'KMS type: `awskms`, `azurekeyvault` (or `azurekeyvault/vault`, `azurekeyvault/managed-hsm`), `gcpckms` or `pkcs11`.',
    },
    {
      name: 'purpose',
      type: types.list('string'),
      description: 'Purposes, e.g. `["sign", "verify"]`.',
    },
  ],
  variadicParameter: {
    name: 'origin',
    type: 'string',
    description:
      "Optional, at most one: the key's `origin` — `software` (default) or a pkcs11 `keyplane_kms` id, e.g. `keyplane_key.k.origin`.",
  },
  returnType: 'bool',
  run([type, provider, purpose, ...origins]) {
    const e = engine();
    if (typeof type !== 'string') throw new FunctionError('type must be a string', ARG.type);
    let keyType;
    try {
      keyType = e.keyType(type, 'type').name;
    } catch (err) {
      throw new FunctionError(err instanceof Error ? err.message : String(err), ARG.type);
    }
    const to = target(provider ?? null);
    const purposes = purposesOf(purpose ?? null);
    const origin = originOf(origins);
    try {
      e.checkOrigin(origin, keyType); // a key type no token can originate has no distribution
    } catch (err) {
      if (e.isKeyplaneError(err)) return false;
      throw err;
    }
    return e.PROTECTIONS.some(
      (protection) =>
        e.checkDistributionTarget({ keyType, origin, ...to, purposes, protection }).length === 0,
    );
  },
} satisfies ProviderFunction;
