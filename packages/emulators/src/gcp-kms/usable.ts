/**
 * The checks every cryptographic call makes on the version it uses: it exists, is ENABLED, has
 * material, and its algorithm serves the requested purpose. FAILED_PRECONDITION otherwise (a
 * resource in the wrong state), as the service and fakekms answer.
 *
 * @module
 */
import { algorithmSpec, type AlgorithmSpec, type Purpose } from './algorithms';
import type { OperationContext } from './context';
import { failedPrecondition } from './errors';
import { QUOTA_GROUPS } from './quotas';
import type { VersionRecord } from './store';

export interface UsableVersion {
  readonly version: VersionRecord;
  readonly spec: AlgorithmSpec;
  readonly material: string;
}

export function requireEnabled(version: VersionRecord): string {
  if (version.state !== 'ENABLED' || version.material === undefined)
    throw failedPrecondition(
      `CryptoKeyVersion ${version.name} is not enabled, current state is: ${version.state}.`,
    );
  return version.material;
}

export function usableVersion(
  ctx: OperationContext,
  name: string,
  purpose: Purpose,
  use: string,
): UsableVersion {
  const version = ctx.store.version(name);
  const material = requireEnabled(version);
  const spec = algorithmSpec(version.algorithm);
  if (spec.purpose !== purpose)
    throw failedPrecondition(
      `Keys with algorithm ${spec.name} (purpose ${spec.purpose}) may not be used for ${use}.`,
    );
  if (version.protectionLevel === 'HSM')
    ctx.charge(spec.key.type === 'secret' ? QUOTA_GROUPS.hsmSymmetric : QUOTA_GROUPS.hsmAsymmetric);
  return { version, spec, material };
}
