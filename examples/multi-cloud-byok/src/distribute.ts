/**
 * The one place this example creates a distribution. Until `key.distributeTo(kms, { purpose,
 * protection })` (the `KeyDistribution` L2) is in @keyplane/cdktf, it is the L1 binding of
 * `keyplane_key_distribution`; switching is this function's body.
 *
 * @module
 */
import type { IKmsConnection, Key } from '@keyplane/cdktf';
import { keyDistribution } from '@keyplane/cdktf/gen';

export interface DistributionOptions {
  /** What the cloud may do with the key (checked against the BYOK compatibility table at plan). */
  readonly purpose: readonly ('encrypt' | 'decrypt' | 'sign' | 'verify' | 'wrap' | 'unwrap')[];
  /** Protection level in the cloud. @default 'hsm' */
  readonly protection?: 'hsm' | 'software';
}

/** Imports every version of `key` into `kms` (BYOK) and pushes new ones on rotation. */
export function distribute(
  key: Key,
  kms: IKmsConnection,
  options: DistributionOptions,
): keyDistribution.KeyDistribution {
  return new keyDistribution.KeyDistribution(key, `To-${kms.node.id}`, {
    key: key.keyName,
    kms: kms.kmsName,
    purpose: [...options.purpose],
    ...(options.protection === undefined ? {} : { protection: options.protection }),
  });
}
