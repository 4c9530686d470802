/**
 * Turns a KeySpec (or import options) into the CryptoKey to create: purpose, algorithm and
 * protection level. Everything is checked here, before any request.
 *
 * @module
 */
import { PROTECTIONS, type Protection } from '../../algorithms/clouds';
import { lookup } from '../../algorithms/table';
import {
  InvalidArgumentError,
  UnsupportedKeyTypeError,
  UnsupportedProtectionError,
  UnsupportedPurposeError,
  notAllowedMessage,
} from '../../errors';
import type { KeyUsage } from '../contract';
import {
  GCP_ALGORITHMS,
  PURPOSES,
  algorithmsFor,
  purposesFor,
  type AlgorithmRow,
  type PurposeClass,
} from './algorithms';

export interface KeyPlan {
  readonly row: AlgorithmRow;
  readonly purpose: PurposeClass;
  readonly protection: Protection;
  /** `HSM` / `SOFTWARE` */
  readonly protectionLevel: 'HSM' | 'SOFTWARE';
}

export interface PlanRequest {
  readonly keyType: string;
  readonly usages: readonly KeyUsage[];
  readonly algorithm?: string | undefined;
  readonly protection?: Protection | undefined;
  /** Key types the operation accepts (generate or import), for the refusal message. */
  readonly supported: readonly string[];
}

function purposeOf(req: PlanRequest, purposes: readonly PurposeClass[]): PurposeClass {
  const fromAlgorithm = lookup(GCP_ALGORITHMS, req.algorithm ?? '');
  const fits = (p: PurposeClass): boolean =>
    req.usages.every((u) => PURPOSES[p].usages.includes(u));
  const candidates = purposes.filter(fits);
  // Usages decide; with none given, the named algorithm (if it fits the type) or the default.
  const chosen =
    req.usages.length === 0 && fromAlgorithm?.keyType === req.keyType
      ? fromAlgorithm.purpose
      : candidates[0];
  if (chosen === undefined) {
    const allowed = purposes.map((p) => PURPOSES[p].usages.join('+'));
    throw new UnsupportedPurposeError(
      notAllowedMessage(
        'usages',
        req.usages.join('+'),
        `for ${req.keyType} keys in gcpckms (one CryptoKey purpose per key)`,
        allowed,
      ),
      { field: 'usages', allowed },
    );
  }
  return chosen;
}

export function planKey(req: PlanRequest): KeyPlan {
  const purposes = purposesFor(req.keyType);
  if (purposes.length === 0 || !req.supported.includes(req.keyType)) {
    throw new UnsupportedKeyTypeError(
      notAllowedMessage('key_type', req.keyType, 'by gcpckms', req.supported),
      { field: 'key_type', allowed: req.supported },
    );
  }
  const purpose = purposeOf(req, purposes);
  const rows = algorithmsFor(req.keyType, purpose);
  const row = req.algorithm === undefined ? rows[0] : rows.find((r) => r.name === req.algorithm);
  if (row === undefined) {
    const allowed = rows.map((r) => r.name);
    throw new InvalidArgumentError(
      notAllowedMessage(
        'algorithm',
        req.algorithm ?? '',
        `for ${req.keyType} keys with usages ${PURPOSES[purpose].usages.join('+')} in gcpckms`,
        allowed,
      ),
      { field: 'algorithm', allowed },
    );
  }
  const protection = req.protection ?? 'hsm';
  if (!PROTECTIONS.includes(protection)) {
    throw new UnsupportedProtectionError(
      notAllowedMessage('protection', protection, 'in gcpckms', PROTECTIONS),
      { field: 'protection', allowed: PROTECTIONS },
    );
  }
  return { row, purpose, protection, protectionLevel: protection === 'hsm' ? 'HSM' : 'SOFTWARE' };
}
