/**
 * The error a promise rejects with, for asserting typed errors (`code`, `field`, `allowed`, …).
 * Fails the test when the promise resolves or rejects with something that is not an Error.
 */
export type Rejection = Error & {
  readonly code?: string;
  readonly field?: string;
  readonly allowed?: readonly string[];
  readonly backendCode?: string;
  readonly attempts?: number;
} & Readonly<Record<string, unknown>>;

export async function rejection(promise: Promise<unknown>): Promise<Rejection> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof Error)) throw new Error('expected the call to fail with an Error');
  return error as Rejection;
}

/** Just the stable code of the rejection. */
export async function rejectionCode(promise: Promise<unknown>): Promise<string | undefined> {
  return (await rejection(promise)).code;
}
