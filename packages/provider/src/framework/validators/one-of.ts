/**
 * oneOf(...values): a string attribute must be one of a fixed set; the message names the
 * attribute and lists what is allowed.
 *
 * @module
 */
import { formatPath } from '../../protocol/cty/path';
import type { Validator } from '../schema';

export function oneOf(...allowed: readonly string[]): Validator {
  return {
    description: `value must be one of: ${allowed.map((a) => `"${a}"`).join(', ')}`,
    validate(value, at, diags) {
      if (typeof value !== 'string' || allowed.includes(value)) return;
      diags.error(
        'Invalid attribute value',
        `${formatPath(at)} must be one of: ${allowed.join(', ')}; got "${value}"`,
        at,
      );
    },
  };
}
