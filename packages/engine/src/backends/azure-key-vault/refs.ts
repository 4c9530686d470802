/**
 * KeyRef checks shared by every operation: Azure's name and version syntax is enforced before
 * any request (and before a name reaches a URL path), and refs are described the same way in
 * every message.
 *
 * @module
 */
import { InvalidArgumentError, MissingParameterError } from '../../errors';
import type { KeyRef } from '../contract';

const NAME = /^[0-9a-zA-Z-]{1,127}$/;
const VERSION = /^[0-9a-zA-Z]{1,64}$/;

export const describeRef = (ref: KeyRef): string =>
  `'${ref.name}'${ref.version === undefined ? '' : ` version ${ref.version}`}`;

/** Refuses names Azure would reject, before any request (and before they reach a URL path). */
export function checkRef(ref: KeyRef): void {
  if (!NAME.test(ref.name)) {
    throw new InvalidArgumentError(
      `name '${ref.name}' is not a valid Azure key name: 1-127 characters 0-9, a-z, A-Z, -`,
      { field: 'name' },
    );
  }
  if (ref.version !== undefined && !VERSION.test(ref.version)) {
    throw new InvalidArgumentError(`version '${ref.version}' is not a valid Azure key version`, {
      field: 'version',
    });
  }
}

export function requireVersion(ref: KeyRef): string {
  checkRef(ref);
  if (ref.version === undefined) {
    throw new MissingParameterError(`version is required to change one version of '${ref.name}'`, {
      field: 'version',
    });
  }
  return ref.version;
}
