/**
 * What each service flavour accepts, as data. A vault is modelled as the Premium SKU (software
 * and HSM keys); a Managed HSM holds HSM keys only and is the only one with AES (`oct-HSM`) keys
 * (learn.microsoft.com/azure/key-vault/keys/about-keys).
 *
 * BYOK targets follow the BYOK specification's terminology table — "Target Key: RSA, EC, AES
 * (Managed HSM only)" (learn.microsoft.com/azure/key-vault/keys/byok-specification) — so EC-HSM
 * transfer blobs are accepted by a vault too, and only AES is Managed-HSM-only.
 *
 * @module
 */
import type { Service } from './context';
import { KTYS, type Family, type Kty } from './jwk';

export interface ServiceRules {
  /** Key types `POST /keys/{name}/create` accepts. */
  readonly create: readonly Kty[];
  /** Key types a `key_hsm` transfer blob may carry. */
  readonly byok: readonly Kty[];
  /** Families a plain private JWK may be imported as. */
  readonly plainImport: readonly Family[];
  /** Whether every key is HSM-protected whatever the request says. */
  readonly hsmOnly: boolean;
}

export const SERVICE_RULES: Readonly<Record<Service, ServiceRules>> = {
  vault: {
    create: ['RSA', 'RSA-HSM', 'EC', 'EC-HSM'],
    byok: ['RSA-HSM', 'EC-HSM'],
    plainImport: ['RSA', 'EC'],
    hsmOnly: false,
  },
  'managed-hsm': {
    create: ['RSA-HSM', 'EC-HSM', 'oct-HSM'],
    byok: ['RSA-HSM', 'EC-HSM', 'oct-HSM'],
    plainImport: ['RSA', 'EC', 'oct'],
    hsmOnly: true,
  },
};

export const SERVICE_LABEL: Readonly<Record<Service, string>> = {
  vault: 'Key Vault',
  'managed-hsm': 'Managed HSM',
};

/** The HSM key type of a family (`RSA` → `RSA-HSM`). */
export function hsmKtyOf(family: Family): Kty {
  const found = (Object.keys(KTYS) as Kty[]).find((k) => KTYS[k].family === family && KTYS[k].hsm);
  if (found === undefined) throw new Error(`no HSM key type for ${family}`);
  return found;
}
