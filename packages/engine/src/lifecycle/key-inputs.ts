/**
 * Checks of central-key inputs (rotation_period, min_enabled_version) and the policy's view of a
 * key, shared by create and update.
 *
 * @module
 */
import { parseDuration } from '../duration';
import { InvalidArgumentError } from '../errors';
import type { KeyIntent } from '../policy/intents';
import type { KeyAttributes } from './records';

/** The policy's view of a key (everything but the version counter). */
export function keyIntent(
  namespace: string,
  name: string,
  a: KeyAttributes,
  operation: 'create' | 'update',
): KeyIntent {
  return {
    kind: 'key',
    operation,
    namespace,
    name,
    type: a.type,
    origin: a.origin,
    rotation_period: a.rotation_period === '' ? undefined : a.rotation_period,
    deletion_allowed: a.deletion_allowed,
    min_enabled_version: a.min_enabled_version,
  };
}

export function checkRotationPeriod(value: string): string {
  if (value !== '' && value !== '0') parseDuration(value, 'rotation_period');
  return value === '0' ? '' : value;
}

export function checkMinEnabled(value: number, latest: number): number {
  if (!Number.isSafeInteger(value) || value < 0 || value > latest) {
    throw new InvalidArgumentError(
      `min_enabled_version must be an integer from 0 (all versions) to the latest version ${String(latest)}, got ${String(value)}`,
      { field: 'min_enabled_version' },
    );
  }
  return value;
}
