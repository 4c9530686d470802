/**
 * OpenSC's `pkcs11-tool` on a SoftHSM2 token: a PKCS#11 client independent of Keyplane (and of
 * pkcs11js), so tests can check what is really on the token, or change it behind Keyplane's back.
 * Runs with the token's SOFTHSM2_CONF; nothing else in the environment is needed.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';

/** What pkcs11-tool needs of a token (a `SoftHsmToken` fits). */
export interface ToolToken {
  readonly module: string;
  readonly label: string;
  readonly pin: string;
  readonly env: Readonly<Record<string, string>>;
}

/** `pkcs11-tool --module <token module> …args`, whatever the exit status (output as bytes). */
export function runPkcs11Tool(
  token: Pick<ToolToken, 'module' | 'env'>,
  args: readonly string[],
): SpawnSyncReturns<Buffer> {
  return spawnSync('pkcs11-tool', ['--module', token.module, ...args], {
    env: { ...process.env, ...token.env },
  });
}

/**
 * pkcs11-tool on the token (by label), logged in with its PIN (or `pin`); throws with
 * pkcs11-tool's stderr on a non-zero exit. Returns stdout as bytes (e.g. `--read-object`).
 */
export function pkcs11ToolBytes(
  token: ToolToken,
  args: readonly string[],
  options: { readonly pin?: string } = {},
): Buffer {
  const pin = options.pin ?? token.pin;
  const r = runPkcs11Tool(token, ['--token-label', token.label, '--login', '--pin', pin, ...args]);
  if (r.status !== 0) {
    throw new Error(
      `pkcs11-tool ${args.join(' ')} exited ${String(r.status)}: ${String(r.stderr)}`,
    );
  }
  return r.stdout;
}

/** {@link pkcs11ToolBytes} with stdout as UTF-8 text (listings). */
export const pkcs11Tool = (
  token: ToolToken,
  args: readonly string[],
  options: { readonly pin?: string } = {},
): string => pkcs11ToolBytes(token, args, options).toString('utf8');
