/**
 * A small declarative command layer over node:util `parseArgs`: each command is a spec (path,
 * options with descriptions, positionals, Vault-style `name=value` parameters) plus a `run`;
 * help text, usage errors and exit codes come from the spec, so every command behaves the same.
 *
 * Why `parseArgs` and not commander or yargs: it ships with Node, so parsing loads no module
 * at all — `keyplane --help` and `key generate` must cost ≤ 1.5× the CPU of `node -e 0`, and
 * yargs alone measured 1.43× here (bench/startup.ts measures the CLI). Neither library knows
 * Vault's `name=value` positionals (with `@file` / `-` secrets), and what remains here — spec →
 * help, the usage checks below, the exit-code rule in main.ts — would have to be written on top
 * of either one anyway.
 *
 * @module
 */
import { parseArgs } from 'node:util';
import { UsageError } from './errors';
import { parseParamArgs } from './params';

export { QuietFailure, UsageError } from './errors';

export interface OptionSpec {
  readonly name: string;
  readonly type: 'string' | 'boolean';
  readonly description: string;
  readonly required?: boolean;
  /** Shown in help as `<value>`. */
  readonly valueName?: string;
  /** Finite set of accepted values; checked before `run`. */
  readonly choices?: readonly string[];
}

/** A positional argument. */
export interface PositionalSpec {
  readonly name: string;
  readonly description: string;
  readonly required?: boolean;
}

export interface CommandContext {
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
  /** Positional arguments, when the command declares any. */
  readonly positionals: readonly string[];
  /** `name=value` parameters (values read from `@file` / stdin already), when declared. */
  readonly params: Readonly<Record<string, string>>;
  /** The command's own arguments as given (after the command words). */
  readonly argv: readonly string[];
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

export interface CommandSpec {
  /** e.g. `['byok', 'wrap']`; the registry in main.ts lists the same path with the summary. */
  readonly path: readonly string[];
  /** Extra help paragraphs (examples, formats). */
  readonly details?: string;
  readonly options: readonly OptionSpec[];
  readonly positionals?: readonly PositionalSpec[];
  /**
   * The command takes Vault-style `name=value` parameters after its positionals; the text
   * describes them in help. Values may be `@file` or `-` (stdin, at most one parameter).
   */
  readonly parameters?: string;
  /** Parameters given as `name=key=value`, repeatable (collected as `name.key`). */
  readonly mapParameters?: readonly string[];
  /** More help for the positionals given (`managed-key create pkcs11 --help`: its parameters). */
  readonly helpFor?: (positionals: readonly string[]) => string;
  run(ctx: CommandContext): Promise<void>;
}

const COMMON: readonly OptionSpec[] = [
  { name: 'help', type: 'boolean', description: 'Show this help.' },
];

const PARAMS_ARG = 'param=value';

export function commandHelp(
  spec: CommandSpec,
  summary: string,
  positionals: readonly string[] = [],
): string {
  const opts = [...spec.options, ...COMMON];
  const flag = (o: OptionSpec) =>
    `--${o.name}${o.type === 'string' ? ` <${o.valueName ?? 'value'}>` : ''}`;
  const args: { name: string; description: string }[] = [...(spec.positionals ?? [])];
  const usageArgs = (spec.positionals ?? []).map((p) =>
    p.required === true ? `<${p.name}>` : `[<${p.name}>]`,
  );
  if (spec.parameters !== undefined) {
    args.push({ name: PARAMS_ARG, description: spec.parameters });
    usageArgs.push(`[${PARAMS_ARG} ...]`);
  }
  const width = Math.max(...opts.map((o) => flag(o).length), ...args.map((a) => a.name.length)) + 4;
  const lines = opts.map((o) => {
    const extra = [
      o.required === true ? 'required' : '',
      o.choices ? `one of: ${o.choices.join(', ')}` : '',
    ]
      .filter((s) => s !== '')
      .join('; ');
    return `  ${flag(o).padEnd(width)}${o.description}${extra === '' ? '' : ` (${extra})`}`;
  });
  const positional = usageArgs.join(' ');
  const usage = `keyplane ${spec.path.join(' ')} ${positional} ${spec.options
    .filter((o) => o.required === true)
    .map(flag)
    .join(' ')} [options]`;
  return [
    summary,
    '',
    `Usage: ${usage.replace(/\s+/g, ' ').trim()}`,
    '',
    'Options:',
    ...lines,
    ...(args.length > 0
      ? ['', 'Arguments:', ...args.map((a) => `  ${`<${a.name}>`.padEnd(width)}${a.description}`)]
      : []),
    ...(spec.details ? ['', spec.details] : []),
    ...(spec.helpFor ? ['', spec.helpFor(positionals)] : []),
    '',
    EXIT_CODES_HELP,
    '',
  ].join('\n');
}

/** The one exit-code rule (main.ts applies it), shown in every command's help and the README. */
export const EXIT_CODES_HELP =
  'Exit codes: 0 ok; 1 the operation failed (not found, refused by policy or key state, backend ' +
  'error, invalid signature); 2 usage error — an unknown, missing, repeated or malformed ' +
  'argument, or a --flag, <argument> or name=value the engine refuses (the message names it).';

export interface ParsedArgs {
  readonly values: Record<string, string | boolean | undefined>;
  readonly positionals: readonly string[];
  readonly params: Readonly<Record<string, string>>;
}

/** Parses argv for one command; throws UsageError on any problem. */
export function parseCommandArgs(spec: CommandSpec, argv: readonly string[]): ParsedArgs {
  const options = Object.fromEntries(
    [...spec.options, ...COMMON].map((o) => [o.name, { type: o.type }] as const),
  );
  const declared = spec.positionals ?? [];
  let parsed: {
    values: Record<string, string | boolean | undefined>;
    positionals: string[];
    tokens: { kind: string; name?: string }[];
  };
  try {
    parsed = parseArgs({
      args: [...argv],
      options,
      strict: true,
      // Checked below, without echoing the argument.
      allowPositionals: true,
      tokens: true,
    });
  } catch (e) {
    throw new UsageError(
      e instanceof Error ? e.message.replace(/\. To specify.*$/s, '') : String(e),
    );
  }
  const { values, positionals, tokens } = parsed;
  if (values.help === true) return { values, positionals, params: {} };
  // parseArgs keeps the last of repeated options; a repeated flag is more likely a mistake
  // (`--out a … --out b`) than an intent, so it is refused instead of silently resolved.
  const seen = new Set<string>();
  for (const token of tokens) {
    if (token.kind !== 'option' || token.name === undefined) continue;
    if (seen.has(token.name)) {
      throw new UsageError(`--${token.name} given more than once`, `--${token.name}`);
    }
    seen.add(token.name);
  }
  const fixed = positionals.slice(0, declared.length);
  const rest = positionals.slice(declared.length);
  if (spec.parameters === undefined && rest.length > 0) {
    // Never echoed: a stray argument may be a secret typed in the wrong place.
    throw new UsageError(`unexpected argument at position ${String(declared.length + 1)}`);
  }
  declared.forEach((p, i) => {
    if (p.required === true && fixed[i] === undefined) {
      throw new UsageError(`missing required argument <${p.name}>`, `<${p.name}>`);
    }
  });
  for (const o of spec.options) {
    const v = values[o.name];
    if (o.required === true && (v === undefined || v === '')) {
      throw new UsageError(`missing required option --${o.name}`, `--${o.name}`);
    }
    if (typeof v === 'string' && o.choices !== undefined && !o.choices.includes(v)) {
      throw new UsageError(
        `--${o.name} '${v}' is not valid; allowed: ${o.choices.join(', ')}`,
        `--${o.name}`,
      );
    }
  }
  const params =
    spec.parameters === undefined ? {} : parseParamArgs(rest, declared.length, spec.mapParameters);
  return { values, positionals: fixed, params };
}
