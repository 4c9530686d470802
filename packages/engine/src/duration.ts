/**
 * Durations as users write them for `rotation_period` and the policy's `max_rotation_period`:
 * one or more `<integer><unit>` parts, units `d` (24 h), `h`, `m`, `s` — `2160h`, `90d`,
 * `1h30m`. This is the subset of Go's `time.ParseDuration` (https://pkg.go.dev/time#ParseDuration)
 * that makes sense for key rotation, plus the `d` unit Vault accepts
 * (https://developer.hashicorp.com/vault/docs/concepts/duration-format), so a value copied from
 * Terraform or Vault means the same here.
 *
 * Hand-written on purpose: the npm duration parsers are natural-language parsers ("2 days",
 * "1hr") whose leniency would make a policy accept what Terraform users never wrote, and this
 * grammar is part of Keyplane's document formats (the policy JSON Schema uses
 * {@link DURATION_PATTERN}), so it must not change with a dependency. A unit is required: a bare
 * `90` would be seconds in Vault and days to a reader.
 *
 * Pure (no I/O, no Node-only API): the policy evaluates durations at CDKTF synth too.
 *
 * @module
 */
import { InvalidArgumentError } from './errors';

/** Seconds per unit, largest first (formatting walks this order). */
const UNIT_SECONDS: readonly (readonly [unit: string, seconds: number])[] = [
  ['d', 86_400],
  ['h', 3_600],
  ['m', 60],
  ['s', 1],
];

/** The longest duration text accepted; with at most 9 digits per part the sum stays exact. */
export const DURATION_MAX_LENGTH = 64;

/** ECMA-262 regular expression source for a duration (anchored), shared with the JSON Schema. */
export const DURATION_PATTERN = '^(?:[0-9]{1,9}[dhms])+$';

const DURATION = new RegExp(DURATION_PATTERN);
const PART = /([0-9]+)([dhms])/g;

/**
 * Parses a duration into whole seconds, or throws `ERR_INVALID_ARGUMENT` naming `field`.
 * `0h` parses to 0: what zero means (no automatic rotation) is the caller's decision.
 */
export function parseDuration(text: string, field = 'duration'): number {
  if (text.length > DURATION_MAX_LENGTH || !DURATION.test(text)) {
    const shown = text.length > DURATION_MAX_LENGTH ? `${text.slice(0, 20)}…` : text;
    throw new InvalidArgumentError(
      `${field} '${shown}' is not a duration; write <number><unit>… with units d, h, m, s (e.g. 2160h, 90d, 1h30m)`,
      { field, allowed: ['d', 'h', 'm', 's'] },
    );
  }
  let seconds = 0;
  for (const [, digits, unit] of text.matchAll(PART)) {
    const per = UNIT_SECONDS.find(([u]) => u === unit)?.[1] ?? 0;
    seconds += Number(digits) * per;
  }
  return seconds;
}

/**
 * Formats whole seconds compactly in hours and below (`2160h`, `1h30m`, `45s`, `0s`), the way
 * Terraform users write rotation periods; `parseDuration(formatDuration(n)) === n`.
 */
export function formatDuration(seconds: number): string {
  if (!Number.isSafeInteger(seconds) || seconds < 0) {
    throw new InvalidArgumentError(
      `duration must be a whole number of seconds ≥ 0, got ${seconds}`,
    );
  }
  if (seconds === 0) return '0s';
  let rest = seconds;
  let out = '';
  // Hours are the largest unit shown: `2160h` reads better in a plan than `90d` mixed forms.
  for (const [unit, per] of UNIT_SECONDS.slice(1)) {
    const n = Math.floor(rest / per);
    if (n > 0) out += `${n}${unit}`;
    rest -= n * per;
  }
  return out;
}
