/**
 * Every managed-key parameter, as ONE table per backend: the generic parameters and the backend
 * parameters of Vault's `/sys/managed-keys` API
 * (https://developer.hashicorp.com/vault/api-docs/system/managed-keys), plus the few Keyplane
 * additions a self-hosted tool needs (`endpoint`, `ca_file`, `insecure`), marked `keyplane`.
 *
 * Consumers build on these rows, never on a copy: the validator (parameters.ts), the CLI's
 * `managed-key create <type> --help`, and the Terraform provider's `keyplane_managed_key` schema
 * and docs. The row shape ({@link ParameterRow}) is a contract: columns may be added, none
 * renamed or removed.
 *
 * @module
 */
import { names, table } from '../algorithms/table';
import type { KeyFamily } from '../algorithms/key-types';
import type { BackendType } from '../backends/contract';
import { KEY_USAGES } from '../backends/contract';
import { GCP_ALGORITHMS, type AlgorithmRow } from '../backends/gcp-kms/algorithms';

export type ParameterKind = 'string' | 'boolean' | 'integer' | 'usages';

/** How a string value is checked beyond its length (see VALUE_FORMATS in parameters.ts). */
export type ParameterFormat = 'url' | 'grpc-target' | 'absolute-path' | 'decimal';

export interface ParameterSpec {
  readonly kind: ParameterKind;
  /** One sentence for help text and generated docs (Vault's wording where Vault has the parameter). */
  readonly description: string;
  /** Must be given on create (after defaults are filled in). */
  readonly required: boolean;
  /** At least one of these parameters (this one among them) must be given on create. */
  readonly atLeastOneOf?: readonly string[];
  /** Stored sealed, shown as "redacted", never in state, logs or messages. */
  readonly sensitive: boolean;
  readonly default?: string | number | boolean | readonly string[];
  /** Finite set of accepted values (compared case-insensitively when `caseInsensitive`). */
  readonly allowed?: readonly string[];
  readonly caseInsensitive?: boolean;
  readonly format?: ParameterFormat;
  /** Inclusive bounds of an integer without an `allowed` set. */
  readonly range?: readonly [min: number, max: number];
  /** Longest accepted string value. @default MAX_VALUE_LENGTH */
  readonly maxLength?: number;
  /** Not in Vault's API: a Keyplane addition (documented as such). */
  readonly keyplane: boolean;
}

/** One row of a backend's table: the parameter's name and its spec. */
export interface ParameterRow extends ParameterSpec {
  readonly name: string;
}

/** Longest string value accepted for any parameter (a PIN, a path, a key name). */
export const MAX_VALUE_LENGTH = 1024;

type Column = Omit<ParameterSpec, 'kind' | 'description' | 'required' | 'sensitive' | 'keyplane'>;
type Optional = Partial<Pick<ParameterSpec, 'required' | 'sensitive' | 'keyplane'>> & Column;

const spec = (kind: ParameterKind, description: string, extra: Optional = {}): ParameterSpec => ({
  kind,
  description,
  required: false,
  sensitive: false,
  keyplane: false,
  ...extra,
});
const str = (description: string, extra: Optional = {}) => spec('string', description, extra);
const bool = (description: string, extra: Optional = {}) =>
  spec('boolean', description, { default: false, ...extra });
const int = (description: string, extra: Optional = {}) => spec('integer', description, extra);

/** PKCS#11 mechanisms Vault accepts for `mechanism` (PKCS#11 v2.40 §2): family, padding, signs. */
export interface MechanismRow {
  readonly name: string;
  readonly family: KeyFamily;
  readonly pss?: boolean;
  readonly canSign: boolean;
}
export const PKCS11_MECHANISM_ROWS = table<string, MechanismRow>({
  '0x1041': { name: 'CKM_ECDSA', family: 'ecdsa', canSign: true },
  '0x000D': { name: 'CKM_RSA_PKCS_PSS', family: 'rsa', pss: true, canSign: true },
  '0x0009': { name: 'CKM_RSA_PKCS_OAEP', family: 'rsa', canSign: false },
  '0x0001': { name: 'CKM_RSA_PKCS', family: 'rsa', pss: false, canSign: true },
});
export const PKCS11_MECHANISMS: readonly string[] = names(PKCS11_MECHANISM_ROWS);

/** `curve` values and the key type each names. */
export const CURVE_KEY_TYPES = table<string, 'ecdsa-p256' | 'ecdsa-p384' | 'ecdsa-p521'>({
  P256: 'ecdsa-p256',
  P384: 'ecdsa-p384',
  P521: 'ecdsa-p521',
});
export const CURVES: readonly string[] = names(CURVE_KEY_TYPES);
export const RSA_KEY_BITS = ['2048', '3072', '4096'] as const;

/**
 * GCP `algorithm` values: the signing rows of the Cloud KMS algorithm table that sign a digest
 * (Vault hands managed keys digests; pure EdDSA takes the message, so EC_SIGN_ED25519 is out).
 */
export const GCP_SIGN_ALGORITHM_ROWS: readonly AlgorithmRow[] = Object.values(
  GCP_ALGORITHMS,
).filter((row) => row.purpose === 'sign' && row.signature?.digestInput === true);
export const GCP_SIGN_ALGORITHMS: readonly string[] = GCP_SIGN_ALGORITHM_ROWS.map((r) => r.name);

export const AZURE_ENVIRONMENTS = ['AZUREPUBLICCLOUD', 'AZURECHINACLOUD', 'AZUREUSGOVERNMENTCLOUD'];

const GENERATE = 'Used when allow_generate_key is true.';
const keyBits = (why: string) =>
  int(`The size in bits for an RSA key. ${why}`, { allowed: RSA_KEY_BITS });
const curve = (why: string) =>
  str(`The curve of an ECDSA key. ${why}`, { allowed: CURVES, caseInsensitive: true });

/** Generic parameters, valid for every type. */
export const GENERIC_PARAMETERS = table<string, ParameterSpec>({
  allow_generate_key: bool(
    'If no key can be found in the backend, generate one there (on first use).',
  ),
  allow_replace_key: bool('Allow replacing an existing backend key by importing another one.'),
  allow_store_key: bool('Allow importing a key into the backend.'),
  any_mount: bool('Allow use by any consumer in the namespace.'),
  usages: spec('usages', `Comma-separated allowed usages: ${KEY_USAGES.join(', ')}.`, {
    allowed: KEY_USAGES,
    default: ['sign', 'verify'],
  }),
});

const KEY_REF = ['key_label', 'key_id'];
const SLOT_REF = ['slot', 'token_label'];

/** Backend parameters per type. */
export const BACKEND_PARAMETERS = table<BackendType, Readonly<Record<string, ParameterSpec>>>({
  pkcs11: table({
    library: str('Absolute path of the PKCS#11 module (Vault names a kms_library stanza here).', {
      required: true,
      format: 'absolute-path',
    }),
    key_label: str('The label of the key to use.', { atLeastOneOf: KEY_REF }),
    key_id: str('The id (CKA_ID) of the key to use.', { atLeastOneOf: KEY_REF }),
    mechanism: str(
      'The signing/encryption mechanism, as a 0x-prefixed hexadecimal string: ' +
        Object.entries(PKCS11_MECHANISM_ROWS)
          .map(([code, row]) => `${code} ${row.name}`)
          .join(', ') +
        '.',
      { required: true, allowed: PKCS11_MECHANISMS, caseInsensitive: true },
    ),
    pin: str('The PIN for login.', { required: true, sensitive: true }),
    slot: str('The slot number, in decimal.', { atLeastOneOf: SLOT_REF, format: 'decimal' }),
    token_label: str('The token label of the slot to use.', { atLeastOneOf: SLOT_REF }),
    curve: curve(GENERATE),
    key_bits: keyBits(GENERATE),
    force_rw_session: bool('Open read-write sessions for every operation.'),
    max_parallel: int('Concurrent requests in flight to the HSM.', {
      default: 1,
      range: [1, 1024],
    }),
  }),
  awskms: table({
    access_key: str('The AWS access key id (default: the SDK credential chain).', {
      sensitive: true,
    }),
    secret_key: str('The AWS secret access key (default: the SDK credential chain).', {
      sensitive: true,
    }),
    curve: curve(GENERATE),
    endpoint: str('A custom AWS KMS endpoint URL.', { format: 'url' }),
    key_bits: keyBits(GENERATE),
    key_type: str('The type of key to use.', {
      required: true,
      allowed: ['RSA', 'ECDSA'],
      caseInsensitive: true,
    }),
    kms_key: str('An identifier for the key: key id, ARN or alias.', { required: true }),
    region: str('The AWS region where the key is stored.', { default: 'us-east-1' }),
    insecure: bool('Allow a plain http:// endpoint on a non-loopback host.', { keyplane: true }),
  }),
  azurekeyvault: table({
    tenant_id: str('The tenant id of the Azure Active Directory organization.', {
      required: true,
    }),
    client_id: str('The client id for credentials to query the Azure APIs.'),
    client_secret: str('The client secret for credentials to query the Azure APIs.', {
      sensitive: true,
    }),
    environment: str('The Azure cloud environment whose API endpoints are used.', {
      allowed: AZURE_ENVIRONMENTS,
      caseInsensitive: true,
      default: 'AZUREPUBLICCLOUD',
    }),
    vault_name: str('The Key Vault vault to use.', { required: true }),
    key_name: str('The Key Vault key to use.', { required: true }),
    resource: str("The vault's DNS suffix (managedhsm.azure.net for Managed HSM).", {
      default: 'vault.azure.net',
    }),
    key_bits: keyBits(GENERATE),
    key_type: str('The type of key to use.', {
      required: true,
      allowed: ['RSA-HSM'],
      caseInsensitive: true,
    }),
    endpoint: str('The vault URL, overriding vault_name and resource.', {
      keyplane: true,
      format: 'url',
    }),
    ca_file: str('PEM file of the CA that signs the endpoint certificate.', {
      keyplane: true,
      format: 'absolute-path',
    }),
  }),
  gcpckms: table({
    credentials: str('Path of the service account credentials JSON file (default: ADC).', {
      format: 'absolute-path',
    }),
    crypto_key: str('The name of the crypto key to use.', { required: true }),
    crypto_key_version: str('The version of the crypto key to use.', { default: '1' }),
    key_ring: str('The name of the key ring holding the crypto key.', { required: true }),
    project: str('The GCP project id.', { required: true }),
    region: str('The GCP region of the key ring.', { required: true }),
    algorithm: str('The signature algorithm of the key.', {
      required: true,
      allowed: GCP_SIGN_ALGORITHMS,
      caseInsensitive: true,
    }),
    endpoint: str('A custom Cloud KMS endpoint (host:port or URL).', {
      keyplane: true,
      format: 'grpc-target',
    }),
    insecure: bool('Plaintext gRPC to a loopback endpoint (local emulator only).', {
      keyplane: true,
    }),
  }),
});

/** The table of one type, generic parameters first, in declaration order. */
export function managedKeyParameters(type: BackendType): readonly ParameterRow[] {
  return [...Object.entries(GENERIC_PARAMETERS), ...Object.entries(BACKEND_PARAMETERS[type])].map(
    ([name, row]) => ({ name, ...row }),
  );
}
