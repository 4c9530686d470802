/**
 * Choosing the signature scheme for a request from the schemes a key (or a backend) offers,
 * with the one set of refusals every backend gives before it sends anything: no signing at all,
 * a missing or unoffered hash for the requested padding (listing the offered ones — none when
 * the key has no PSS), digest input where only messages are signed (Ed25519).
 *
 * @module
 */
import type { HashAlgorithmName } from '../../algorithms/hashes';
import {
  MissingParameterError,
  UnsupportedHashAlgorithmError,
  UnsupportedOperationError,
  notAllowedMessage,
} from '../../errors';
import type { BackendSignOptions } from '../contract';

/** A backend's scheme row: the contract's SignatureScheme plus whatever the backend needs. */
export interface SchemeLike {
  /** `undefined` for pure EdDSA. */
  readonly hash: HashAlgorithmName | undefined;
  readonly pss: boolean;
  /** @default true */
  readonly digestInput?: boolean;
}

/**
 * Successful selections per scheme list (the backends' lists are long-lived table rows), so a
 * steady stream of signatures does not re-filter the list on every call.
 */
const SELECTED = new WeakMap<readonly SchemeLike[], Map<string, SchemeLike>>();

/**
 * The offered scheme matching `options`, or the typed refusal. `where` completes the messages,
 * e.g. `for rsa-2048 keys in awskms`.
 */
export function selectScheme<S extends SchemeLike>(
  schemes: readonly S[],
  options: BackendSignOptions,
  where: string,
): S {
  const id = `${options.hash ?? ''}|${String(options.pss ?? false)}|${options.input ?? 'message'}`;
  let selected = SELECTED.get(schemes);
  const hit = selected?.get(id);
  if (hit !== undefined) return hit as S;
  const found = choose(schemes, options, where);
  if (selected === undefined) {
    selected = new Map();
    SELECTED.set(schemes, selected);
  }
  selected.set(id, found);
  return found;
}

function choose<S extends SchemeLike>(
  schemes: readonly S[],
  options: BackendSignOptions,
  where: string,
): S {
  if (schemes.length === 0) {
    throw new UnsupportedOperationError(`signing is not supported ${where}`, {
      field: 'operation',
    });
  }
  const pss = options.pss ?? false;
  const context = pss ? `${where} with PSS` : where;
  const candidates = schemes.filter((s) => s.pss === pss);
  const allowed = candidates.flatMap((s) => (s.hash === undefined ? [] : [s.hash]));
  const found = candidates.find((s) => s.hash === options.hash);
  if (found === undefined) {
    if (options.hash === undefined) {
      throw new MissingParameterError(
        `hash_algorithm is required ${context}; allowed: ${allowed.join(', ') || 'none'}`,
        { field: 'hash_algorithm', allowed },
      );
    }
    throw new UnsupportedHashAlgorithmError(
      notAllowedMessage('hash_algorithm', options.hash, context, allowed),
      { field: 'hash_algorithm', allowed },
    );
  }
  if (options.input === 'digest' && found.digestInput === false) {
    throw new UnsupportedOperationError(notAllowedMessage('input', 'digest', where, ['message']), {
      field: 'input',
      allowed: ['message'],
    });
  }
  return found;
}
