/**
 * Intents: what a caller is about to do, described with the attribute names of the Vault API
 * and the Terraform resources (snake_case), so a violation's `field` maps straight onto the
 * attribute a user wrote. The key lifecycle, the Terraform provider (at plan) and the CDKTF
 * constructs (at synth) each build these and call `evaluatePolicy` / `enforcePolicy`.
 *
 * An intent describes the object as it WILL BE after the operation (not a delta): for an update,
 * pass every attribute with its resulting value.
 *
 * @module
 */
import { InvalidArgumentError, notAllowedMessage } from '../errors';

interface IntentBase {
  /** The namespace the object lives in. @default 'root' */
  readonly namespace?: string | undefined;
}

/** Create or update a central key (`keymgmt/key/:name`, `keyplane_key`). */
export interface KeyIntent extends IntentBase {
  readonly kind: 'key';
  /**
   * On `update`, rules about attributes an update cannot change (`type`, `origin`) are not
   * evaluated: refusing them would block remediating a key created under an older policy
   * (for instance allowing its deletion). @default 'create'
   */
  readonly operation?: 'create' | 'update' | undefined;
  readonly name: string;
  /** Key type name (`rsa-4096`, `ecdsa-p256`, …). */
  readonly type: string;
  /** `software`, or `hsm:<pkcs11 KMS connection name>` for keys generated in an HSM. @default 'software' */
  readonly origin?: string | undefined;
  /** Rotation period (`2160h`, `90d`); unset or zero = no automatic rotation. */
  readonly rotation_period?: string | undefined;
  /** @default false */
  readonly deletion_allowed?: boolean | undefined;
  /** Oldest version still enabled (0 = all). Carried for completeness; no v1 rule reads it. */
  readonly min_enabled_version?: number | undefined;
}

/** Distribute a central key to a KMS (`keymgmt/kms/:name/key/:key`, `keyplane_key_distribution`). */
export interface DistributionIntent extends IntentBase {
  readonly kind: 'distribution';
  /** Central key name. */
  readonly key: string;
  /** The central key's type. */
  readonly key_type: string;
  /** KMS connection name. */
  readonly kms: string;
  /** The connection's provider: `awskms`, `azurekeyvault`, `gcpckms` or `pkcs11`. */
  readonly provider: string;
  /** The connection's key collection (AWS region, Azure vault, GCP key ring id, token label). */
  readonly key_collection: string;
  readonly purpose: readonly string[];
  /** `hsm` or `software`. */
  readonly protection: string;
}

/** Create a KMS connection (`keymgmt/kms/:name`, `keyplane_kms`, whose `type` is `provider`). */
export interface KmsConnectionIntent extends IntentBase {
  readonly kind: 'kms';
  readonly name: string;
  readonly provider: string;
  readonly key_collection: string;
}

/** Create a managed key (`sys/managed-keys/:type/:name`, `keyplane_managed_key`). */
export interface ManagedKeyIntent extends IntentBase {
  readonly kind: 'managed_key';
  readonly name: string;
  /** Backend type: `pkcs11`, `awskms`, `azurekeyvault`, `gcpckms`. */
  readonly type: string;
  /**
   * The managed key's parameters, as strings (CLI, Vault) or typed values. Secret parameters may
   * be left out: the policy reads none of them (it reads `usages`, the boolean flags, `key_bits`,
   * `curve`, `algorithm` and where the key lives: `region`, `vault_name`, GCP `project` +
   * `region` + `key_ring`, `token_label`).
   */
  readonly parameters: Readonly<Record<string, unknown>>;
  /** The key's type when known (e.g. found in the backend); checked by the key type rules. */
  readonly key_type?: string | undefined;
}

export type PolicyIntent = KeyIntent | DistributionIntent | KmsConnectionIntent | ManagedKeyIntent;
export type PolicyIntentKind = PolicyIntent['kind'];

type FieldKind = 'string' | 'boolean' | 'integer' | 'strings' | 'object';
type Shape = Readonly<Record<string, { readonly kind: FieldKind; readonly required?: true }>>;

const req = (kind: FieldKind) => ({ kind, required: true as const });
const opt = (kind: FieldKind) => ({ kind });
const NAMESPACE = { namespace: opt('string') };

/** The JSON shape of each intent kind: field → type, for {@link parseIntent}. */
const SHAPES: Readonly<Record<PolicyIntentKind, Shape>> = {
  key: {
    ...NAMESPACE,
    operation: opt('string'),
    name: req('string'),
    type: req('string'),
    origin: opt('string'),
    rotation_period: opt('string'),
    deletion_allowed: opt('boolean'),
    min_enabled_version: opt('integer'),
  },
  distribution: {
    ...NAMESPACE,
    key: req('string'),
    key_type: req('string'),
    kms: req('string'),
    provider: req('string'),
    key_collection: req('string'),
    purpose: req('strings'),
    protection: req('string'),
  },
  kms: {
    ...NAMESPACE,
    name: req('string'),
    provider: req('string'),
    key_collection: req('string'),
  },
  managed_key: {
    ...NAMESPACE,
    name: req('string'),
    type: req('string'),
    parameters: req('object'),
    key_type: opt('string'),
  },
};

export const POLICY_INTENT_KINDS = Object.keys(SHAPES) as readonly PolicyIntentKind[];

const IS: Readonly<Record<FieldKind, (v: unknown) => boolean>> = {
  string: (v) => typeof v === 'string',
  boolean: (v) => typeof v === 'boolean',
  integer: (v) => typeof v === 'number' && Number.isInteger(v),
  strings: (v) => Array.isArray(v) && v.every((s) => typeof s === 'string'),
  object: (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
};
const DESCRIBED: Readonly<Record<FieldKind, string>> = {
  string: 'a string',
  boolean: 'true or false',
  integer: 'a whole number',
  strings: 'an array of strings',
  object: 'an object',
};

/**
 * Checks that a JSON value (e.g. from `keyplane policy check --intent FILE`) is an intent: a
 * known `kind`, the required fields, the right JSON types, no unknown field (a typo must not
 * silently escape the policy). Throws `ERR_INVALID_ARGUMENT` naming `path.field`.
 */
export function parseIntent(value: unknown, path = 'intent'): PolicyIntent {
  if (!IS.object(value)) {
    throw new InvalidArgumentError(`${path} must be an object with a "kind"`, {
      field: path,
      allowed: POLICY_INTENT_KINDS,
    });
  }
  const record = value as Readonly<Record<string, unknown>>;
  const kind = record.kind;
  if (typeof kind !== 'string' || !Object.prototype.hasOwnProperty.call(SHAPES, kind)) {
    throw new InvalidArgumentError(
      notAllowedMessage(`${path}.kind`, String(kind), '', POLICY_INTENT_KINDS),
      { field: `${path}.kind`, allowed: POLICY_INTENT_KINDS },
    );
  }
  const shape = SHAPES[kind as PolicyIntentKind];
  for (const [name, field] of Object.entries(shape)) {
    const v = record[name];
    if (v === undefined) {
      if (field.required === true) {
        throw new InvalidArgumentError(`${path}.${name} is required for a ${kind} intent`, {
          field: `${path}.${name}`,
        });
      }
    } else if (!IS[field.kind](v)) {
      throw new InvalidArgumentError(`${path}.${name} must be ${DESCRIBED[field.kind]}`, {
        field: `${path}.${name}`,
      });
    }
  }
  const known = ['kind', ...Object.keys(shape)];
  const unknown = Object.keys(record).find((k) => !known.includes(k));
  if (unknown !== undefined) {
    throw new InvalidArgumentError(
      notAllowedMessage(`${path} field`, unknown, `in a ${kind} intent`, known),
      { field: `${path}.${unknown}`, allowed: known },
    );
  }
  return value as PolicyIntent;
}
