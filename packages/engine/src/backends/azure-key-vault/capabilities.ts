/**
 * What Azure Key Vault and Managed HSM can hold, as data: key types per service with the usages
 * `generateKey` accepts, the JWK key type (`kty`) per family and protection, and how Keyplane
 * usages map to Azure `key_ops`. Facts from learn.microsoft.com/azure/key-vault/keys/about-keys.
 *
 * @module
 */
import {
  KMS_PROVIDERS,
  supportedKeyTypes,
  type AzureService,
  type Protection,
} from '../../algorithms/clouds';
import { KEY_TYPES, type KeyFamily, type KeyTypeName } from '../../algorithms/key-types';
import { table } from '../../algorithms/table';
import type { BackendCapabilities, BackendKeyType, KeyUsage } from '../contract';

const RSA_USAGES: readonly KeyUsage[] = ['sign', 'verify', 'encrypt', 'decrypt', 'wrap', 'unwrap'];
const EC_USAGES: readonly KeyUsage[] = ['sign', 'verify'];
// Managed HSM oct-HSM keys: AES key wrap (A256KW) is what both the service and the emulator
// offer. AES-GCM encryption (A256GCM) exists on the real service but not in the emulator, so
// Keyplane does not claim it yet (see the report / index.ts).
const AES_USAGES: readonly KeyUsage[] = ['wrap', 'unwrap'];

const VAULT_GENERATE: Readonly<Partial<Record<BackendKeyType, readonly KeyUsage[]>>> = {
  'rsa-2048': RSA_USAGES,
  'rsa-3072': RSA_USAGES,
  'rsa-4096': RSA_USAGES,
  'ecdsa-p256': EC_USAGES,
  'ecdsa-p384': EC_USAGES,
  'ecdsa-p521': EC_USAGES,
};

interface ServiceRow {
  readonly generate: Readonly<Partial<Record<BackendKeyType, readonly KeyUsage[]>>>;
  /** Vault (Premium SKU) holds software and HSM keys; Managed HSM only HSM keys. */
  readonly protections: readonly Protection[];
}

export const SERVICES = table<AzureService, ServiceRow>({
  vault: { generate: VAULT_GENERATE, protections: ['hsm', 'software'] },
  'managed-hsm': {
    generate: { ...VAULT_GENERATE, 'aes256-gcm96': AES_USAGES },
    protections: ['hsm'],
  },
});

/**
 * Azure JWK key type per Keyplane family and protection (`-HSM` = HSM-protected),
 * https://learn.microsoft.com/azure/key-vault/keys/about-keys#key-types-and-protection-methods.
 */
export const KTY = table<'rsa' | 'ecdsa' | 'aes', Readonly<Record<Protection, string>>>({
  rsa: { hsm: 'RSA-HSM', software: 'RSA' },
  ecdsa: { hsm: 'EC-HSM', software: 'EC' },
  aes: { hsm: 'oct-HSM', software: 'oct' },
});

/** Azure kty (either protection) → Keyplane family, derived from {@link KTY}. */
export const FAMILY_OF_KTY = table<string, KeyFamily>(
  Object.fromEntries(
    Object.entries(KTY).flatMap(([family, ktys]) =>
      Object.values(ktys).map((kty) => [kty, family as KeyFamily]),
    ),
  ),
);

/** Keyplane usage → Azure `key_ops` entry. `mac` and `random` have no Azure key operation. */
export const KEY_OPS = table<KeyUsage, string | undefined>({
  encrypt: 'encrypt',
  decrypt: 'decrypt',
  sign: 'sign',
  verify: 'verify',
  wrap: 'wrapKey',
  unwrap: 'unwrapKey',
  mac: undefined,
  random: undefined,
});

/**
 * Key types this backend imports: the cloud table's rows for the service, minus AES. An
 * imported AES key would be for encrypt/decrypt, and Keyplane has no AES-GCM encrypt through
 * Azure yet (the emulator lacks A256GCM), so claiming it would promise what `encrypt` cannot do.
 */
function importable(service: AzureService): KeyTypeName[] {
  return supportedKeyTypes(KMS_PROVIDERS.azurekeyvault, service).filter(
    (t) => KEY_TYPES[t].family !== 'aes',
  );
}

export function capabilitiesOf(service: AzureService): BackendCapabilities {
  const row = SERVICES[service];
  return {
    type: 'azurekeyvault',
    generate: row.generate,
    import: importable(service),
    protections: row.protections,
    nativeVersions: true,
  };
}
