/**
 * How a distribution looks in each cloud (SHAPES, as data) and the distribute input.
 *
 * @module
 */
import { PURPOSES, type Purpose } from '../algorithms/clouds';
import { table } from '../algorithms/table';
import type { BackendType, KeyRef } from '../backends/contract';
import { InvalidArgumentError, notAllowedMessage } from '../errors';
import type { StoreRecord } from '../store/contract';
import type { DistributionAttributes, DistributionVersionAttributes } from './records';

export type DistributionRecord = StoreRecord<DistributionAttributes>;
export type DistributionVersionRecord = StoreRecord<DistributionVersionAttributes>;

export interface Shape {
  /** The ref of one version (PKCS#11 addresses objects by CKA_ID). */
  readonly versionRef: (name: string, v: DistributionVersionAttributes) => KeyRef;
  /** Days before deletion where the cloud has a window (AWS 7–30). */
  readonly pendingWindowDays?: number;
}

const byVersion = (name: string, v: DistributionVersionAttributes): KeyRef => ({
  name,
  version: v.cloud_version,
});

/**
 * AWS: one KMS key per version behind `alias/<key>` (the backend moves the alias to the latest);
 * Azure: versions of one key; GCP: versions of one crypto key; PKCS#11: one object per version.
 */
export const SHAPES = table<BackendType, Shape>({
  awskms: { versionRef: byVersion, pendingWindowDays: 7 },
  azurekeyvault: { versionRef: byVersion },
  gcpckms: { versionRef: byVersion },
  pkcs11: { versionRef: (name, v) => ({ name, id: v.cloud_id }) },
});

export interface DistributeInput {
  readonly purpose: readonly string[] | string;
  /** @default DEFAULT_PROTECTION ('hsm') */
  readonly protection?: string | undefined;
}

export function parsePurposes(input: readonly string[] | string): Purpose[] {
  const list = (typeof input === 'string' ? input.split(',') : [...input])
    .map((p) => p.trim())
    .filter((p) => p !== '');
  const bad = list.find((p) => !PURPOSES.includes(p as Purpose));
  if (bad !== undefined) {
    throw new InvalidArgumentError(notAllowedMessage('purpose', bad, '', PURPOSES), {
      field: 'purpose',
      allowed: PURPOSES,
    });
  }
  return [...new Set(list as Purpose[])];
}
