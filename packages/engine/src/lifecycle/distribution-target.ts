/**
 * Whether a central key may be distributed to a connection — every rule the engine's distribute
 * enforces before anything changes that depends only on the key (type, origin), the connection
 * (type, Azure service) and the distribution's own purpose and protection:
 * - the compatibility rows (algorithms/clouds.ts; PKCS#11 in compatibility.ts): key type per
 *   target and Azure service (Key Vault takes RSA only, Managed HSM also EC and AES), purposes,
 *   protection levels;
 * - HSM-origin keys: only the clouds whose BYOK format the token can assemble, HSM-protected
 *   (origin-rules.ts).
 *
 * The engine refuses with {@link refuseDistributionTarget}; callers that know these values ahead
 * of apply (the Terraform provider's plan, CDKTF synth) call {@link checkDistributionTarget} and
 * report each problem on its field, so a plan fails exactly where apply would.
 *
 * Fields: `type` (the key's type — the distribution's `key`), `kms` (the connection), `purpose`,
 * `protection`.
 *
 * @module
 */
import type { AzureService } from '../algorithms/clouds';
import type { KeyTypeName } from '../algorithms/key-types';
import type { BackendType } from '../backends/contract';
import { isKeyplaneError, raiseAll, type KeyplaneDiagnostic, type KeyplaneError } from '../errors';
import { checkCompatible } from './compatibility';
import { checkOriginTarget } from './origin-rules';

/** What a distribution target check needs: the key, the connection, the distribution. */
export interface DistributionTarget {
  /** The central key's type. */
  readonly keyType: KeyTypeName;
  /** The key's origin: `software` (default) or `hsm:<pkcs11 kms>`. */
  readonly origin?: string | undefined;
  /** The connection's type. */
  readonly provider: BackendType;
  /**
   * Azure connections: the service (`azureServiceOf(options)`). Omitted = not known yet: the key
   * type is checked against what either service accepts.
   */
  readonly azureService?: AzureService | undefined;
  /** The distribution's purposes (already parsed: known purpose names). */
  readonly purposes: readonly string[];
  /** The distribution's protection (`hsm` / `software`). */
  readonly protection: string;
}

/** The checks, each a pure function that throws its first refusal. */
const CHECKS: readonly ((t: DistributionTarget) => void)[] = [
  (t) => {
    checkCompatible({
      provider: t.provider,
      keyType: t.keyType,
      purposes: t.purposes,
      protection: t.protection,
      azureService: t.azureService,
    });
  },
  (t) => {
    checkOriginTarget(t.origin ?? 'software', t.provider, t.protection);
  },
];

/** Every refusal, at most one per field (two rules refusing one value say it once). */
function refusals(target: DistributionTarget): KeyplaneError[] {
  const found: KeyplaneError[] = [];
  for (const check of CHECKS) {
    try {
      check(target);
    } catch (e) {
      if (!isKeyplaneError(e)) throw e;
      if (!found.some((f) => f.field === e.field)) found.push(e);
    }
  }
  return found;
}

/** The problems with a distribution target as diagnostics (code, field, message, allowed); [] when fine. */
export function checkDistributionTarget(target: DistributionTarget): KeyplaneDiagnostic[] {
  return refusals(target).flatMap((e) => e.diagnostics);
}

/** Throws the problems {@link checkDistributionTarget} finds (the first one's class and field). */
export function refuseDistributionTarget(target: DistributionTarget): void {
  raiseAll(refusals(target), `the ${target.keyType} key's distribution to ${target.provider}`);
}
