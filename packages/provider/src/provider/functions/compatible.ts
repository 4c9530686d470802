/**
 * `provider::keyplane::compatible(type, provider, purpose)`: whether a key of `type` can be
 * distributed (BYOK) to `provider` for every purpose in `purpose`, at some protection level —
 * the engine's compatibility table (`algorithms/clouds.ts`), the same check plans apply.
 * A misspelt type, provider or purpose is an error naming the argument and the allowed values;
 * a real but unsupported combination is `false`.
 *
 * @module
 */
import { FunctionError, type ProviderFunction } from '../../framework/function';
import { types } from '../../protocol/cty/types';
import { asArray } from '../../protocol/cty/values';
import { engine } from '../engine';

const ARG = { type: 0, provider: 1, purpose: 2 } as const;

function argumentError(e: unknown, argument: number): FunctionError {
  return new FunctionError(e instanceof Error ? e.message : String(e), argument);
}

export const compatibleFunction = {
  name: 'compatible',
  summary: 'Whether a key type can be distributed to a KMS for given purposes',
  description:
    'Returns `true` when a Keyplane key of `type` can be imported (BYOK) into `provider` (`awskms`, `azurekeyvault`, `gcpckms`, or the short forms `aws`, `azure`, `gcp`) with all of the listed purposes (`encrypt`, `decrypt`, `sign`, `verify`, `wrap`, `unwrap`), at HSM or software protection. This is the table `keyplane_key_distribution` is checked against at plan. Unknown names are errors, so a typo never reads as "incompatible".',
  parameters: [
    { name: 'type', type: 'string', description: 'Key type, e.g. `rsa-3072` or `ecdsa-p256`.' },
    {
      name: 'provider',
      type: 'string',
      description: 'KMS type: `awskms`, `azurekeyvault` or `gcpckms`.',
    },
    {
      name: 'purpose',
      type: types.list('string'),
      description: 'Purposes, e.g. `["sign", "verify"]`.',
    },
  ],
  returnType: 'bool',
  run([type, provider, purpose]) {
    const e = engine();
    if (typeof type !== 'string') throw new FunctionError('type must be a string', ARG.type);
    if (typeof provider !== 'string')
      throw new FunctionError('provider must be a string', ARG.provider);
    const purposes = (asArray(purpose ?? null) ?? []).map((p) => {
      if (typeof p !== 'string')
        throw new FunctionError('purpose elements must be strings', ARG.purpose);
      return p;
    });
    try {
      e.keyType(type, 'type');
    } catch (err) {
      throw argumentError(err, ARG.type);
    }
    let kms;
    try {
      kms = e.kmsProvider(provider, 'provider');
    } catch (err) {
      throw argumentError(err, ARG.provider);
    }
    const bad = purposes.find((p) => !(e.PURPOSES as readonly string[]).includes(p));
    if (bad !== undefined) {
      throw new FunctionError(
        `purpose "${bad}" is not valid; allowed: ${e.PURPOSES.join(', ')}`,
        ARG.purpose,
      );
    }
    if (purposes.length === 0)
      throw new FunctionError('purpose must name at least one purpose', ARG.purpose);
    return e.PROTECTIONS.some((protection) => {
      try {
        e.checkDistribution({ provider: kms.name, keyType: type, purposes, protection });
        return true;
      } catch (err) {
        if (e.isKeyplaneError(err)) return false;
        throw err;
      }
    });
  },
} satisfies ProviderFunction;
