/**
 * setOf(...values): each element of a set/list of strings must be one of a fixed set.
 *
 * @module
 */
import { formatPath, path } from '../../protocol/cty/path';
import { asArray } from '../../protocol/cty/values';
import type { Validator } from '../schema';

export function elementsOneOf(...allowed: readonly string[]): Validator {
  return {
    description: `each element must be one of: ${allowed.map((a) => `"${a}"`).join(', ')}`,
    validate(value, at, diags) {
      (asArray(value) ?? []).forEach((e, i) => {
        if (typeof e !== 'string' || allowed.includes(e)) return;
        diags.error(
          'Invalid attribute value',
          `${formatPath(at)} elements must be one of: ${allowed.join(', ')}; got "${e}"`,
          path.index(at, i),
        );
      });
    },
  };
}
