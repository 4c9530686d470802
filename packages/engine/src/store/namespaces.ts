/**
 * Namespaces (Vault Enterprise's, https://developer.hashicorp.com/vault/docs/enterprise/managed-keys: "Every configured Managed Key is bound to a given
 * namespace, defaulting to the root namespace"). Paths are `root` or slash-separated segments
 * below it (`team-a/payments`); a namespace's parent is the path without its last segment, and
 * top-level namespaces belong to `root`. Names are unique per namespace and nothing is used
 * across namespaces.
 *
 * @module
 */
import {
  ENV_VARIABLES,
  NAMESPACE_PATTERN,
  NAMESPACE_RULE,
  ROOT_NAMESPACE,
  envOrDefault,
} from '../env';
import { InvalidArgumentError } from '../errors';

export { ROOT_NAMESPACE };
/** The variable naming the namespace (the row of {@link ENV_VARIABLES}). */
export const NAMESPACE_ENV = ENV_VARIABLES.namespace.name;

/** Refuses a malformed path, naming the rule. */
export function checkNamespacePath(path: string, field = 'namespace'): string {
  if (!NAMESPACE_PATTERN.test(path)) {
    throw new InvalidArgumentError(`${field} '${path}' must be ${NAMESPACE_RULE}`, { field });
  }
  return path;
}

/** `team-a/payments` → `team-a`; `team-a` → `root`. */
export function parentNamespace(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? ROOT_NAMESPACE : path.slice(0, i);
}

/** The namespace to use: explicit, else $KEYPLANE_NAMESPACE, else root. */
export function resolveNamespace(
  explicit: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): string {
  const value =
    explicit === undefined || explicit === ''
      ? (envOrDefault(ENV_VARIABLES.namespace, env) ?? ROOT_NAMESPACE)
      : explicit;
  return checkNamespacePath(value);
}
