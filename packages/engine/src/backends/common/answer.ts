/**
 * Requests that may answer synchronously: a PKCS#11 call runs on the JS thread and returns its
 * result, an SDK call returns a promise. The call layers (CallPolicy, the PKCS#11 session pool
 * and key cache) pass a synchronous answer straight through and only add promise handling for
 * a promise.
 *
 * @module
 */

/** A request's answer: the value itself, or a promise of it. */
export type Answer<T> = T | Promise<T>;

/**
 * Whether `answer` is still to come. A thenable check, not `instanceof Promise`: a promise made
 * in another realm (a `vm` context, as jest runs tests in) is no instance of this realm's
 * Promise (https://tc39.es/ecma262/#sec-promise-resolve-functions adopts any thenable, so do we).
 */
export function isPending<T>(answer: Answer<T>): answer is Promise<T> {
  return (
    typeof answer === 'object' &&
    answer !== null &&
    typeof (answer as { then?: unknown }).then === 'function'
  );
}
