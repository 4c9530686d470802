/**
 * stringMatches(regex, what): a string attribute must match a pattern; `what` says in words
 * what the pattern accepts, for the message.
 *
 * @module
 */
import { formatPath } from '../../protocol/cty/path';
import type { Validator } from '../schema';

export function stringMatches(pattern: RegExp, what: string): Validator {
  return {
    description: `value must be ${what}`,
    validate(value, at, diags) {
      if (typeof value !== 'string' || pattern.test(value)) return;
      diags.error(
        'Invalid attribute value',
        `${formatPath(at)} must be ${what}; got "${value}"`,
        at,
      );
    },
  };
}
