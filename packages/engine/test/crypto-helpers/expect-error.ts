/**
 * Assertions on Keyplane's typed errors: callers branch on `code`, so tests do too, and pin the
 * exact message where it matters.
 */
import { KeyplaneError, isKeyplaneError, type KeyplaneErrorCode } from '@keyplane/engine';

/** Runs `fn`, asserts it throws a KeyplaneError with `code` (and `message`), returns the error. */
export function expectKeyplaneError(
  fn: () => unknown,
  code: KeyplaneErrorCode,
  message?: string | RegExp,
): KeyplaneError {
  let thrown: unknown = undefined;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  if (!isKeyplaneError(thrown)) {
    throw new Error(`expected a KeyplaneError with code ${code}, got: ${String(thrown)}`);
  }
  expect(thrown).toBeInstanceOf(KeyplaneError);
  expect(thrown.code).toBe(code);
  if (typeof message === 'string') expect(thrown.message).toBe(message);
  else if (message !== undefined) expect(thrown.message).toMatch(message);
  return thrown;
}

/**
 * Asserts that no 16-character window of the secret's hex or base64 form appears in the error's
 * message (or its cause's message): messages must never echo key material.
 */
export function expectNoSecretInError(err: Error, secret: Uint8Array): void {
  const cause: unknown = err.cause;
  const text = `${err.message}\n${cause instanceof Error ? cause.message : ''}`.toLowerCase();
  const forms = [
    Buffer.from(secret).toString('hex'),
    Buffer.from(secret).toString('base64').toLowerCase(),
  ];
  const window = 16;
  for (const form of forms) {
    for (let i = 0; i + window <= form.length; i++) {
      const chunk = form.slice(i, i + window);
      if (text.includes(chunk)) throw new Error(`error message leaks key bytes: ${chunk}`);
    }
  }
}
