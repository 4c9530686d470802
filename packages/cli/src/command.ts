/**
 * A small declarative command layer over node:util `parseArgs`: each command is a spec (path,
 * summary, options with descriptions) plus a `run`; help text, usage errors and exit codes come
 * from the spec, so every command behaves the same way.
 *
 * Exit codes: 0 success, 1 operation failed, 2 usage error (unknown command or option, missing
 * or invalid option value — including values the engine refuses for that option).
 *
 * @module
 */
import { parseArgs } from 'node:util';

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

/** A positional argument; only the last may be variadic (`param=value …`). */
export interface PositionalSpec {
  readonly name: string;
  readonly description: string;
  readonly required?: boolean;
  readonly variadic?: boolean;
}

export interface CommandContext {
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
  /** Positional arguments, when the command declares any. */
  readonly positionals: readonly string[];
  /** The command's own arguments as given (after the command words). */
  readonly argv: readonly string[];
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

export interface CommandSpec {
  /** e.g. `['byok', 'wrap']`. */
  readonly path: readonly string[];
  readonly summary: string;
  /** Extra help paragraphs (examples, formats). */
  readonly details?: string;
  readonly options: readonly OptionSpec[];
  readonly positionals?: readonly PositionalSpec[];
  run(ctx: CommandContext): Promise<void>;
}

/** A problem with how the command was called: exit code 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly command?: CommandSpec,
  ) {
    super(message);
  }
}

const COMMON: readonly OptionSpec[] = [
  { name: 'help', type: 'boolean', description: 'Show this help.' },
];

export function commandHelp(spec: CommandSpec): string {
  const opts = [...spec.options, ...COMMON];
  const flag = (o: OptionSpec) =>
    `--${o.name}${o.type === 'string' ? ` <${o.valueName ?? 'value'}>` : ''}`;
  const width = Math.max(...opts.map((o) => flag(o).length)) + 2;
  const lines = opts.map((o) => {
    const extra = [
      o.required === true ? 'required' : '',
      o.choices ? `one of: ${o.choices.join(', ')}` : '',
    ]
      .filter((s) => s !== '')
      .join('; ');
    return `  ${flag(o).padEnd(width)}${o.description}${extra === '' ? '' : ` (${extra})`}`;
  });
  const positional = (spec.positionals ?? [])
    .map((p) => {
      const inner = `<${p.name}>${p.variadic === true ? ' ...' : ''}`;
      return p.required === true ? inner : `[${inner}]`;
    })
    .join(' ');
  const usage = `keyplane ${spec.path.join(' ')} ${positional} ${spec.options
    .filter((o) => o.required === true)
    .map(flag)
    .join(' ')} [options]`;
  return [
    spec.summary,
    '',
    `Usage: ${usage.replace(/\s+/g, ' ').trim()}`,
    '',
    'Options:',
    ...lines,
    ...((spec.positionals ?? []).length > 0
      ? [
          '',
          'Arguments:',
          ...(spec.positionals ?? []).map(
            (p) => `  ${`<${p.name}>`.padEnd(width)}${p.description}`,
          ),
        ]
      : []),
    ...(spec.details ? ['', spec.details] : []),
    '',
  ].join('\n');
}

export interface ParsedArgs {
  readonly values: Record<string, string | boolean | undefined>;
  readonly positionals: readonly string[];
}

/** Parses argv for one command; throws UsageError on any problem. */
export function parseCommandArgs(spec: CommandSpec, argv: readonly string[]): ParsedArgs {
  const options = Object.fromEntries(
    [...spec.options, ...COMMON].map((o) => [o.name, { type: o.type }] as const),
  );
  const declared = spec.positionals ?? [];
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...argv],
      options,
      strict: true,
      allowPositionals: declared.length > 0,
    }));
  } catch (e) {
    throw new UsageError(
      e instanceof Error ? e.message.replace(/\. To specify.*$/s, '') : String(e),
      spec,
    );
  }
  if (values.help === true) return { values, positionals };
  const variadic = declared.at(-1)?.variadic === true;
  if (!variadic && positionals.length > declared.length) {
    throw new UsageError(`unexpected argument '${positionals[declared.length] ?? ''}'`, spec);
  }
  declared.forEach((p, i) => {
    if (p.required === true && positionals[i] === undefined) {
      throw new UsageError(`missing required argument <${p.name}>`, spec);
    }
  });
  for (const o of spec.options) {
    const v = values[o.name];
    if (o.required === true && (v === undefined || v === '')) {
      throw new UsageError(`missing required option --${o.name}`, spec);
    }
    if (typeof v === 'string' && o.choices !== undefined && !o.choices.includes(v)) {
      throw new UsageError(
        `--${o.name} '${v}' is not valid; allowed: ${o.choices.join(', ')}`,
        spec,
      );
    }
  }
  return { values, positionals };
}
