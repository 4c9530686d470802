/**
 * Vault-style `name=value` arguments (`vault write sys/managed-keys/pkcs11/k library=… pin=-`).
 * `name=@file` reads the value from a file and `name=-` from stdin (first line), so a PIN or a
 * client secret need not appear in shell history or `ps`.
 *
 * What is never echoed: a value, and an argument without `=` (it may be a secret typed in the
 * wrong place, e.g. `"pin 1234"`): refusals name the position instead.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { UsageError } from './errors';
import { readFileArg } from './files';

/**
 * Parses `args`; `offset` = positionals before them (for the position in messages). A name in
 * `mapNames` takes `name=key=value`, repeatable (Vault's `credentials=client_id=…`), stored as
 * `name.key`.
 */
export function parseParamArgs(
  args: readonly string[],
  offset: number,
  mapNames: readonly string[] = [],
): Record<string, string> {
  const out: Record<string, string> = {};
  const fromStdin: string[] = [];
  args.forEach((arg, i) => {
    const position = `argument ${String(offset + i + 1)}`;
    const eq = arg.indexOf('=');
    if (eq < 0) {
      throw new UsageError(
        `expected name=value, got ${position} without '=' (not shown: it may be a secret)`,
      );
    }
    if (eq === 0) throw new UsageError(`expected name=value, got ${position} with no name`);
    let name = arg.slice(0, eq);
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) {
      throw new UsageError(
        `expected name=value, got ${position} whose name is not a parameter name`,
      );
    }
    let raw = arg.slice(eq + 1);
    if (mapNames.includes(name)) {
      const inner = raw.indexOf('=');
      const key = raw.slice(0, Math.max(inner, 0));
      if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(key)) {
        throw new UsageError(`expected ${name}=key=value, got ${position} without a key`, name);
      }
      name = `${name}.${key}`;
      raw = raw.slice(inner + 1);
    }
    if (Object.prototype.hasOwnProperty.call(out, name)) {
      throw new UsageError(`parameter ${name} given more than once`, name);
    }
    if (raw === '-') fromStdin.push(name);
    out[name] = raw;
  });
  // stdin holds one value: a second `-` would silently get an empty one.
  if (fromStdin.length > 1) {
    throw new UsageError(
      `only one parameter can be read from stdin ('-'), got ${fromStdin.join(', ')}; use name=@file for the others`,
      fromStdin[1],
    );
  }
  for (const [name, raw] of Object.entries(out)) out[name] = readValue(name, raw);
  return out;
}

function readValue(name: string, raw: string): string {
  if (raw === '-') return firstLine(readFileSync(0, 'utf8'));
  if (raw.startsWith('@'))
    return firstLine(readFileArg(`${name}=@`, raw.slice(1)).toString('utf8'));
  return raw;
}

const firstLine = (text: string): string => text.replace(/\r?\n[\s\S]*$/, '');
