/**
 * `@acme/keys` — what a security team publishes for every application team: the org key policy
 * (one JSON-shaped document, the same one `keyplane policy check` and the provider read) applied
 * as an Aspect, and `CompliantKey`, a key that is compliant by construction (type, rotation,
 * deletion protection and per-cloud purposes chosen here, not in each app).
 *
 * @module
 */
import { Key, KeyPolicy, type IKmsConnection, type KeyDistribution } from '@keyplane/cdktf';
import type { PolicyDocument } from '@keyplane/engine/policy';
import { Construct } from 'constructs';

/** Acme's key policy: strong keys, rotation at least quarterly (monthly in prod), EU only. */
export const ACME_KEY_POLICY: PolicyDocument = {
  version: 1,
  description: 'Acme key policy',
  rules: {
    allowed_key_types: ['rsa-3072', 'rsa-4096', 'ecdsa-p256', 'ecdsa-p384'],
    min_rsa_bits: 3072,
    require_rotation_period: true,
    max_rotation_period: '2160h',
    allowed_providers: ['awskms', 'azurekeyvault', 'gcpckms'],
    allowed_key_collections: {
      awskms: ['eu-*'],
      gcpckms: ['projects/acme-*/locations/europe-*/keyRings/*'],
    },
  },
  namespaces: [
    {
      match: 'prod/**',
      description: 'production: keys cannot be deleted, rotated monthly',
      rules: { require_deletion_protection: true, max_rotation_period: '720h' },
    },
  ],
};

export interface AcmeKeyPolicyOptions {
  /** The namespace the stack's Keyplane provider writes to (`team/app`, `prod/payments`). */
  readonly namespace: string;
}

/** Applies {@link ACME_KEY_POLICY} to every Keyplane construct under a scope, at synth. */
export function applyAcmeKeyPolicy(scope: Construct, options: AcmeKeyPolicyOptions): KeyPolicy {
  return KeyPolicy.enforce(scope, ACME_KEY_POLICY, { namespace: options.namespace });
}

/** What a key is for: decides its purposes in every cloud. */
export type KeyUsage = 'signing';

/** Purposes per usage (a table, so a new usage is one row). */
const PURPOSES = { signing: ['sign', 'verify'] } as const satisfies Record<KeyUsage, unknown>;

export interface CompliantKeyProps {
  /** Key name, unique in the namespace. */
  readonly name: string;
  /** What the key is for. @default 'signing' */
  readonly usage?: KeyUsage;
  /** Clouds the key is distributed to (BYOK), with HSM protection. @default - none */
  readonly distributeTo?: readonly IKmsConnection[];
  /** Rotation period; the policy caps it (720h in prod). @default '720h' */
  readonly rotationPeriod?: string;
}

/**
 * An RSA-3072 key (the one type every cloud's KMS takes for signing), rotated monthly by default,
 * never deletable by `terraform destroy`, imported into each given cloud with HSM protection.
 */
export class CompliantKey extends Construct {
  readonly key: Key;
  readonly distributions: readonly KeyDistribution[];

  constructor(scope: Construct, id: string, props: CompliantKeyProps) {
    super(scope, id);
    this.key = new Key(this, 'Key', {
      name: props.name,
      type: 'rsa-3072',
      rotationPeriod: props.rotationPeriod ?? '720h',
      deletionAllowed: false,
    });
    const purpose = PURPOSES[props.usage ?? 'signing'];
    this.distributions = (props.distributeTo ?? []).map((kms) =>
      this.key.distributeTo(kms, { purpose, protection: 'hsm' }),
    );
  }
}
