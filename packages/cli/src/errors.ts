/**
 * The CLI's own failures; engine errors (KeyplaneError) and file errors (files.ts) are the
 * others. main.ts maps each kind to an exit code and one `error:` line.
 *
 * @module
 */

/**
 * A problem with how the command was called: exit code 2. `field` is what the user typed
 * (`--out`, `<name>`, `pin`), for `--json` error objects.
 */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/**
 * The operation ran and failed in a way its own output already explains (`verify` printed
 * `valid: false`): exit code 1, nothing more on stderr.
 */
export class QuietFailure extends Error {}
