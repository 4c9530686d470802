/**
 * The one error the constructs throw at synth: every problem of one construct at once, each
 * naming the construct path, the prop and (where finite) the allowed values. Branded with
 * `Symbol.for` like aws-cdk's `core/lib/errors.ts`, so `isConstructValidationError` holds across
 * the two builds (@keyplane/cdktf and @keyplane/cdktn) and duplicated installs.
 *
 * @module
 */
import { isKeyplaneError } from '@keyplane/engine/errors';
import { Token } from 'cdktf';

/** One problem: the prop path as the user wrote it (`backend.mechanism`) and the engine's code. */
export interface ConstructProblem {
  /** The engine's stable error code (`ERR_INVALID_ARGUMENT`, `ERR_POLICY_VIOLATION`, …). */
  readonly code: string;
  /** The prop, as written in the construct's props (`usages`, `backend.pin`). */
  readonly prop: string;
  readonly message: string;
  /** The accepted values, when the set is finite. */
  readonly allowed?: readonly string[] | undefined;
}

const BRAND = Symbol.for('@keyplane/cdktf.ConstructValidationError');

export class ConstructValidationError extends Error {
  /** Stable code of every construct refusal. */
  readonly code = 'ERR_CONSTRUCT_VALIDATION';
  constructor(
    /** The construct's path in the tree (`app/keys/hsm-signer`). */
    readonly constructPath: string,
    readonly problems: readonly ConstructProblem[],
  ) {
    super(
      `${constructPath}: ` +
        (problems.length === 1
          ? `${problems[0]?.prop ?? ''}: ${problems[0]?.message ?? ''}`
          : `${String(problems.length)} problems:\n` +
            problems.map((p) => `  - ${p.prop}: ${p.message}`).join('\n')),
    );
    this.name = 'ConstructValidationError';
  }
}
Object.defineProperty(ConstructValidationError.prototype, BRAND, { value: true });

export function isConstructValidationError(e: unknown): e is ConstructValidationError {
  return typeof e === 'object' && e !== null && BRAND in e;
}

/** Throws when there is anything to report; nothing is created then. */
export function raiseProblems(constructPath: string, problems: readonly ConstructProblem[]): void {
  if (problems.length > 0) throw new ConstructValidationError(constructPath, problems);
}

/** The refusal of a blank string prop, else none; a reference (token) is left to plan. */
export function blankProblems(prop: string, value: string | undefined): ConstructProblem[] {
  if (value === undefined || Token.isUnresolved(value) || value.trim() !== '') return [];
  return [{ code: 'ERR_INVALID_ARGUMENT', prop, message: 'must not be empty' }];
}

/**
 * The engine's refusal of `check` as a problem on `prop`, or none. `propOf` maps the engine's
 * field (`type`, `purpose`) to the construct prop when they differ.
 */
export function engineProblem(
  prop: string | ((field: string) => string),
  check: () => unknown,
): ConstructProblem[] {
  try {
    check();
    return [];
  } catch (e) {
    if (!isKeyplaneError(e)) throw e;
    const diagnostic = e.diagnostics[0];
    return [
      {
        code: e.code,
        prop: typeof prop === 'string' ? prop : prop(diagnostic?.field ?? ''),
        message: e.message,
        allowed: diagnostic?.allowed,
      },
    ];
  }
}
