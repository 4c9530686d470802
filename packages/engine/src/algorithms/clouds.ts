/**
 * Per-cloud BYOK compatibility: which Keyplane key types each KMS provider accepts as imported
 * key material, for which purposes and protection levels, and what the cloud calls the result.
 * This table is the single source of truth for distribution validation (engine, provider plan,
 * CDKTF synth all call {@link checkDistribution}).
 *
 * Starting point is Vault KMSE's table (AES → AWS, GCP; RSA → Azure, GCP; ECDSA P-256/384 → GCP),
 * extended where the cloud itself documents more:
 * - AWS imports symmetric, RSA and NIST ECC key material
 *   (https://docs.aws.amazon.com/kms/latest/developerguide/importing-keys.html, "Requirements for
 *   imported key material"). Ed25519 (`ECC_NIST_EDWARDS25519`) is not documented as importable.
 * - Azure: Key Vault Premium imports RSA-HSM; Managed HSM also EC-HSM and oct-HSM (AES)
 *   (https://learn.microsoft.com/azure/key-vault/keys/byok-specification,
 *   https://learn.microsoft.com/azure/key-vault/keys/about-keys). Software-protected RSA keys are
 *   imported as a plain JWK over TLS, not through the BYOK blob.
 * - GCP imports AES-256, RSA (sign or decrypt), EC P-256/P-384 and Ed25519 at SOFTWARE or HSM
 *   protection (https://cloud.google.com/kms/docs/key-import, `gcloud kms keys versions import
 *   --algorithm` list incl. `ec-sign-ed25519`). GCP has no P-521.
 *
 * @module
 */
import {
  UnsupportedKeyTypeError,
  UnsupportedProtectionError,
  UnsupportedPurposeError,
  UnsupportedTargetError,
  notAllowedMessage,
} from '../errors';
import type { KeyTypeName } from './key-types';
import { keyType } from './key-types';
import { lookup, names, table } from './table';

export type KmsProviderName = 'awskms' | 'azurekeyvault' | 'gcpckms';
/** Short names accepted by `keyplane byok wrap --target`. */
export type ByokTargetName = 'aws' | 'azure' | 'gcp';

export type Purpose = 'encrypt' | 'decrypt' | 'sign' | 'verify' | 'wrap' | 'unwrap';
export const PURPOSES: readonly Purpose[] = [
  'encrypt',
  'decrypt',
  'sign',
  'verify',
  'wrap',
  'unwrap',
];

export type Protection = 'hsm' | 'software';
export const PROTECTIONS: readonly Protection[] = ['hsm', 'software'];

/** Azure has two key services with different BYOK reach. */
export type AzureService = 'vault' | 'managed-hsm';
export const AZURE_SERVICES: readonly AzureService[] = ['vault', 'managed-hsm'];

/** How the private material is laid out before wrapping. */
export type PlaintextFormat = 'pkcs8' | 'raw';

export interface CloudKeySupport {
  /**
   * A distribution's purposes must all fit inside ONE of these sets (AWS `KeyUsage` and GCP
   * `CryptoKeyPurpose` are single-valued, so RSA is either encryption or signing there).
   */
  readonly purposeSets: readonly (readonly Purpose[])[];
  readonly protections: readonly Protection[];
  /** Azure only: which services accept this key type through BYOK. */
  readonly azureServices?: readonly AzureService[];
  readonly plaintext: PlaintextFormat;
  /** The cloud's own name for the key (AWS KeySpec, Azure kty/crv, GCP algorithm per purpose). */
  readonly cloudSpec: string;
}

export interface KmsProvider {
  readonly name: KmsProviderName;
  readonly target: ByokTargetName;
  readonly keyTypes: Partial<Readonly<Record<KeyTypeName, CloudKeySupport>>>;
}

const ENCRYPTION: readonly Purpose[] = ['encrypt', 'decrypt'];
const SIGNING: readonly Purpose[] = ['sign', 'verify'];
const ALL_PURPOSES = PURPOSES;

function support(
  cloudSpec: string,
  purposeSets: readonly (readonly Purpose[])[],
  protections: readonly Protection[],
  plaintext: PlaintextFormat = 'pkcs8',
  azureServices?: readonly AzureService[],
): CloudKeySupport {
  return azureServices === undefined
    ? { cloudSpec, purposeSets, protections, plaintext }
    : { cloudSpec, purposeSets, protections, plaintext, azureServices };
}

// AWS KMS keys in the default key store are always held in AWS's FIPS 140-3 HSMs: there is no
// software tier to choose, so only `hsm` is accepted.
const AWS_HSM: readonly Protection[] = ['hsm'];
const BOTH: readonly Protection[] = ['hsm', 'software'];

export const KMS_PROVIDERS = table<KmsProviderName, KmsProvider>({
  awskms: {
    name: 'awskms',
    target: 'aws',
    keyTypes: {
      'aes256-gcm96': support('SYMMETRIC_DEFAULT', [ENCRYPTION], AWS_HSM, 'raw'),
      'rsa-2048': support('RSA_2048', [ENCRYPTION, SIGNING], AWS_HSM),
      'rsa-3072': support('RSA_3072', [ENCRYPTION, SIGNING], AWS_HSM),
      'rsa-4096': support('RSA_4096', [ENCRYPTION, SIGNING], AWS_HSM),
      'ecdsa-p256': support('ECC_NIST_P256', [SIGNING], AWS_HSM),
      'ecdsa-p384': support('ECC_NIST_P384', [SIGNING], AWS_HSM),
      'ecdsa-p521': support('ECC_NIST_P521', [SIGNING], AWS_HSM),
    },
  },
  azurekeyvault: {
    name: 'azurekeyvault',
    target: 'azure',
    keyTypes: {
      // Vault KMSE: RSA → all purposes. `software` = RSA (non-HSM) key in a standard vault.
      'rsa-2048': support('RSA-HSM', [ALL_PURPOSES], BOTH, 'pkcs8', AZURE_SERVICES),
      'rsa-3072': support('RSA-HSM', [ALL_PURPOSES], BOTH, 'pkcs8', AZURE_SERVICES),
      'rsa-4096': support('RSA-HSM', [ALL_PURPOSES], BOTH, 'pkcs8', AZURE_SERVICES),
      'ecdsa-p256': support('EC-HSM P-256', [SIGNING], ['hsm'], 'pkcs8', ['managed-hsm']),
      'ecdsa-p384': support('EC-HSM P-384', [SIGNING], ['hsm'], 'pkcs8', ['managed-hsm']),
      'ecdsa-p521': support('EC-HSM P-521', [SIGNING], ['hsm'], 'pkcs8', ['managed-hsm']),
      'aes256-gcm96': support(
        'oct-HSM 256',
        [['encrypt', 'decrypt', 'wrap', 'unwrap']],
        ['hsm'],
        'raw',
        ['managed-hsm'],
      ),
    },
  },
  gcpckms: {
    name: 'gcpckms',
    target: 'gcp',
    keyTypes: {
      'aes256-gcm96': support('GOOGLE_SYMMETRIC_ENCRYPTION', [ENCRYPTION], BOTH, 'raw'),
      // ASYMMETRIC_DECRYPT (encrypt happens locally with the public key) or ASYMMETRIC_SIGN.
      'rsa-2048': support(
        'RSA_DECRYPT_OAEP_2048_SHA256 | RSA_SIGN_PSS_2048_SHA256',
        [ENCRYPTION, SIGNING],
        BOTH,
      ),
      'rsa-3072': support(
        'RSA_DECRYPT_OAEP_3072_SHA256 | RSA_SIGN_PSS_3072_SHA256',
        [ENCRYPTION, SIGNING],
        BOTH,
      ),
      'rsa-4096': support(
        'RSA_DECRYPT_OAEP_4096_SHA256 | RSA_SIGN_PSS_4096_SHA256',
        [ENCRYPTION, SIGNING],
        BOTH,
      ),
      'ecdsa-p256': support('EC_SIGN_P256_SHA256', [SIGNING], BOTH),
      'ecdsa-p384': support('EC_SIGN_P384_SHA384', [SIGNING], BOTH),
      ed25519: support('EC_SIGN_ED25519', [SIGNING], BOTH),
    },
  },
});

export const KMS_PROVIDER_NAMES: readonly KmsProviderName[] = names(KMS_PROVIDERS);
export const BYOK_TARGET_NAMES: readonly ByokTargetName[] = KMS_PROVIDER_NAMES.map(
  (n) => KMS_PROVIDERS[n].target,
);

/** Resolves `awskms` or its short form `aws` (and so on), or throws `ERR_UNSUPPORTED_TARGET`. */
export function kmsProvider(name: string, field = 'provider'): KmsProvider {
  const found =
    lookup(KMS_PROVIDERS, name) ?? Object.values(KMS_PROVIDERS).find((p) => p.target === name);
  if (found === undefined) {
    const allowed = [...KMS_PROVIDER_NAMES, ...BYOK_TARGET_NAMES];
    throw new UnsupportedTargetError(notAllowedMessage(field, name, '', allowed), {
      field,
      allowed,
    });
  }
  return found;
}

/** Key types a provider accepts (optionally for one Azure service). */
export function supportedKeyTypes(
  provider: KmsProvider,
  azureService?: AzureService,
): KeyTypeName[] {
  return names(provider.keyTypes as Record<KeyTypeName, CloudKeySupport>).filter((t) => {
    const services = provider.keyTypes[t]?.azureServices;
    return azureService === undefined || services === undefined || services.includes(azureService);
  });
}

/**
 * The provider's row for a key type, or `ERR_UNSUPPORTED_KEY_TYPE` naming what it does accept.
 * For Azure, pass the service: Key Vault refuses EC and AES material that Managed HSM accepts.
 */
export function cloudKeySupport(
  provider: KmsProvider,
  typeName: string,
  options: { field?: string; azureService?: AzureService } = {},
): CloudKeySupport {
  const field = options.field ?? 'type';
  const type = keyType(typeName, field);
  const row = provider.keyTypes[type.name];
  const allowed = supportedKeyTypes(provider, options.azureService);
  if (row === undefined || !allowed.includes(type.name)) {
    const where =
      options.azureService === undefined
        ? `by ${provider.name}`
        : `by ${provider.name} (${options.azureService})`;
    const elsewhere = row?.azureServices?.find((s) => s !== options.azureService);
    const hint = elsewhere === undefined ? '' : ` (Azure ${elsewhere} accepts it)`;
    throw new UnsupportedKeyTypeError(
      `${notAllowedMessage(field, type.name, where, allowed)}${hint}`,
      {
        field,
        allowed,
      },
    );
  }
  return row;
}

export interface DistributionRequest {
  readonly provider: string;
  readonly keyType: string;
  readonly purposes: readonly string[];
  readonly protection: string;
  readonly azureService?: AzureService | undefined;
}

/**
 * Validates a distribution (key → cloud) against the compatibility table. Throws the first
 * refusal with the field name (`type`, `purpose`, `protection`) and the allowed values.
 */
export function checkDistribution(req: DistributionRequest): CloudKeySupport {
  const provider = kmsProvider(req.provider);
  const row =
    req.azureService === undefined
      ? cloudKeySupport(provider, req.keyType)
      : cloudKeySupport(provider, req.keyType, { azureService: req.azureService });
  if (!row.protections.includes(req.protection as Protection)) {
    throw new UnsupportedProtectionError(
      notAllowedMessage(
        'protection',
        req.protection,
        `for ${req.keyType} on ${provider.name}`,
        row.protections,
      ),
      { field: 'protection', allowed: row.protections },
    );
  }
  if (req.purposes.length === 0) {
    const allowed = [...new Set(row.purposeSets.flat())];
    throw new UnsupportedPurposeError(`purpose must name at least one of: ${allowed.join(', ')}`, {
      field: 'purpose',
      allowed,
    });
  }
  const fits = row.purposeSets.some((set) => req.purposes.every((p) => set.includes(p as Purpose)));
  if (!fits) {
    const purposes = [...new Set(row.purposeSets.flat())];
    const bad = req.purposes.find((p) => !purposes.includes(p as Purpose));
    if (bad !== undefined) {
      // A purpose the row never has: `allowed` lists the purposes, as the message does.
      throw new UnsupportedPurposeError(
        notAllowedMessage('purpose', bad, `for ${req.keyType} on ${provider.name}`, purposes),
        { field: 'purpose', allowed: purposes },
      );
    }
    // Each purpose exists but not together (AWS KeyUsage, GCP CryptoKeyPurpose are single-valued):
    // `allowed` lists the sets to choose within, as the message does.
    const sets = row.purposeSets.map((s) => `{${s.join(', ')}}`);
    throw new UnsupportedPurposeError(
      `purpose [${req.purposes.join(', ')}] mixes usages ${provider.name} keeps apart for ${req.keyType}; choose within one of: ${sets.join(' or ')}`,
      { field: 'purpose', allowed: sets },
    );
  }
  return row;
}
