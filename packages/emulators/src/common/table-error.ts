/**
 * The error a control table (faults, quotas) that does not say what it means raises, at start
 * or on `PUT /_keyplane/…`: `field` is its path (`Sign.errorRate`), the message names the
 * allowed values. The control endpoint answers it with 400 `{ error, field }`.
 *
 * @module
 */
export class ControlTableError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'ControlTableError';
  }
}

export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
