/** Names of keys and KMS connections: Vault's path segments, valid in every cloud's key names. */
import { InvalidArgumentError } from '../errors';

const NAME = /^[a-zA-Z0-9][a-zA-Z0-9-]{0,62}$/;

export function checkName(name: string, field: string): void {
  if (!NAME.test(name)) {
    throw new InvalidArgumentError(
      `${field} '${name}' must be letters, digits or '-' (1-63, starting with a letter or digit): it becomes the key's name in every cloud`,
      { field },
    );
  }
}
