/**
 * `keyplane` entry point: routes argv to a command, prints help, maps every failure to an exit
 * code and one `error:` line (a JSON error object with `--json`). Stack traces only with
 * KEYPLANE_DEBUG=1.
 *
 * Start-up: the registry (registry.ts) holds each command's path and summary and loads its
 * module only when that command runs, so `keyplane --help` loads no engine, SDK or emulator module
 * (test/cli-startup.test.ts asserts the module set, bench/startup.ts measures the CPU).
 *
 * @module
 */
import { ENV_VARIABLES, envVariablesUsedBy, formatEnvHelp, readEnv } from '@keyplane/engine/env';
import { isKeyplaneError, type KeyplaneError } from '@keyplane/engine/errors';
import {
  EXIT_CODES_HELP,
  QuietFailure,
  UsageError,
  commandHelp,
  parseCommandArgs,
  type CommandSpec,
  type ParsedArgs,
} from './command';
import { FileError } from './files';
import { COMMANDS, specOf, type CommandEntry } from './registry';

export { COMMANDS, specOf, type CommandEntry } from './registry';

function topHelp(): string {
  const groups = [...new Set(COMMANDS.map((c) => c.path[0]))];
  const width = Math.max(...COMMANDS.map((c) => c.path.join(' ').length)) + 2;
  const lines = COMMANDS.map((c) => `  ${c.path.join(' ').padEnd(width)}${c.summary}`);
  return [
    'keyplane — multi-cloud key management as code (BYOK for AWS KMS, Azure Key Vault, GCP Cloud KMS).',
    '',
    'Usage: keyplane <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    `Run 'keyplane <command> --help' for a command's options (groups: ${groups.join(', ')}).`,
    '',
    'Environment:',
    formatEnvHelp(envVariablesUsedBy('cli')),
    '',
    EXIT_CODES_HELP,
    '',
  ].join('\n');
}

function find(argv: readonly string[]): {
  entry?: CommandEntry;
  rest: readonly string[];
  group: readonly CommandEntry[];
} {
  const words = argv.slice(0, 2);
  const entry = COMMANDS.find((c) => c.path.every((p, i) => words[i] === p));
  const group = COMMANDS.filter((c) => c.path[0] === argv[0]);
  return entry === undefined
    ? { rest: argv, group }
    : { entry, rest: argv.slice(entry.path.length), group };
}

export interface Io {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

/** Runs the CLI; resolves to the exit code. */
export async function main(argv: readonly string[], io: Io = process): Promise<number> {
  const args = argv[0] === 'help' ? [...argv.slice(1), '--help'] : argv;
  const { entry, rest, group } = find(args);
  if (entry === undefined) {
    const wantsHelp = args.length === 0 || args[0] === '--help' || args[0] === '-h';
    if (group.length > 0 && (args.includes('--help') || args.length === 1)) {
      io.stdout.write(
        `${group.map((c) => `keyplane ${c.path.join(' ')}: ${c.summary}`).join('\n')}\n`,
      );
      return args.includes('--help') ? 0 : 2;
    }
    (wantsHelp ? io.stdout : io.stderr).write(
      wantsHelp ? topHelp() : `error: unknown command '${args.join(' ')}'\n\n${topHelp()}`,
    );
    return wantsHelp ? 0 : 2;
  }
  const spec = specOf(entry);
  let parsed: ParsedArgs | undefined;
  try {
    parsed = parseCommandArgs(spec, rest);
    if (parsed.values.help === true) {
      io.stdout.write(commandHelp(spec, entry.summary, parsed.positionals));
      return 0;
    }
    await spec.run({ ...parsed, argv: rest, stdout: io.stdout, stderr: io.stderr });
    return 0;
  } catch (e) {
    return report(e, { spec, parsed, json: wantsJson(spec, rest) }, io);
  }
}

/** `--json` was asked for (looked up in argv too: a usage error leaves no parsed values). */
function wantsJson(spec: CommandSpec, argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (
    spec.options.some((o) => o.name === 'json') &&
    (end < 0 ? argv : argv.slice(0, end)).includes('--json')
  );
}

interface Invocation {
  readonly spec: CommandSpec;
  readonly parsed: ParsedArgs | undefined;
  readonly json: boolean;
}

/** What one failure shows and how the process exits. */
interface Outcome {
  readonly exit: 1 | 2;
  readonly code: string;
  readonly message: string;
  /** What the user typed: `--hash`, `<name>`, `mechanism`. */
  readonly field?: string;
  readonly allowed?: readonly string[];
  /** Print nothing: the command's output already said it (verify: `valid: false`). */
  readonly quiet?: boolean;
}

/**
 * Engine codes that refuse a value (as opposed to an operation that ran and failed: not found,
 * not permitted, key state, backend errors). Together with a field naming an argument of this
 * command line, they are usage errors.
 */
const VALUE_REFUSALS: ReadonlySet<string> = new Set([
  'ERR_INVALID_ARGUMENT',
  'ERR_MISSING_PARAMETER',
  'ERR_UNSUPPORTED_TARGET',
  'ERR_UNSUPPORTED_KEY_TYPE',
  'ERR_UNSUPPORTED_HASH_ALGORITHM',
  'ERR_UNSUPPORTED_WRAPPING_ALGORITHM',
  'ERR_UNSUPPORTED_PURPOSE',
  'ERR_UNSUPPORTED_PROTECTION',
  'ERR_UNSUPPORTED_OPERATION',
  'ERR_INVALID_WRAPPING_KEY',
  'ERR_INVALID_KEY_MATERIAL',
  'ERR_KEY_TOO_LARGE_FOR_WRAPPING',
  'ERR_INVALID_DIGEST',
  'ERR_INVALID_SIGNATURE_ENCODING',
]);

/** Engine field names (Vault's wire names, camelCase) whose CLI flag is spelled differently. */
const FLAG_ALIASES: Readonly<Record<string, string>> = {
  hash_algorithm: 'hash',
  use_pss: 'pss',
  allowed_managed_keys: 'allow',
};

/** `wrappingKey.modulusBits` → `wrapping-key`, `managed_key` → `managed-key`. */
const asFlag = (field: string): string => {
  const head = field.split('.')[0] ?? field;
  return (
    FLAG_ALIASES[head] ??
    head
      .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
      .replace(/_/g, '-')
      .toLowerCase()
  );
};

/**
 * The argument of this command line an engine error's field names, as the user typed it: a
 * declared `--flag`, a declared `<positional>`, or a `name=value` parameter given (or missing,
 * for commands that take parameters). undefined when the field names none of them.
 */
function argumentOf(e: KeyplaneError, { spec, parsed }: Invocation): string | undefined {
  const field = e.field;
  if (field === undefined || field === '') return undefined;
  const flag = asFlag(field);
  if (spec.options.some((o) => o.name === flag)) return `--${flag}`;
  if ((spec.positionals ?? []).some((p) => p.name === field)) return `<${field}>`;
  if (spec.parameters === undefined) return undefined;
  const given = parsed !== undefined && Object.prototype.hasOwnProperty.call(parsed.params, field);
  return given || e.code === 'ERR_MISSING_PARAMETER' ? field : undefined;
}

/** The one exit-code rule (EXIT_CODES_HELP), applied to every failure of every command. */
function outcomeOf(e: unknown, invocation: Invocation): Outcome {
  if (e instanceof UsageError) {
    return {
      exit: 2,
      code: 'ERR_USAGE',
      message: e.message,
      ...(e.field === undefined ? {} : { field: e.field }),
    };
  }
  if (isKeyplaneError(e)) {
    const argument = VALUE_REFUSALS.has(e.code) ? argumentOf(e, invocation) : undefined;
    return {
      exit: argument === undefined ? 1 : 2,
      code: e.code,
      message: e.message,
      ...(argument !== undefined ? { field: argument } : e.field ? { field: e.field } : {}),
      ...(e.allowed === undefined ? {} : { allowed: e.allowed }),
    };
  }
  if (e instanceof QuietFailure)
    return { exit: 1, code: 'ERR_FAILED', message: e.message, quiet: true };
  if (e instanceof FileError) return { exit: 1, code: 'ERR_FILE', message: e.message };
  return { exit: 1, code: 'ERR_UNEXPECTED', message: e instanceof Error ? e.message : String(e) };
}

function report(e: unknown, invocation: Invocation, io: Io): number {
  if (readEnv(ENV_VARIABLES.debug) === '1' && e instanceof Error) {
    io.stderr.write(`${e.stack ?? ''}\n`);
  }
  const outcome = outcomeOf(e, invocation);
  if (outcome.quiet === true) return outcome.exit;
  if (invocation.json) {
    const { code, message, field, allowed } = outcome;
    // Every problem a validation collected, each naming its parameter (one is the error itself).
    const diagnostics = isKeyplaneError(e) && e.diagnostics.length > 1 ? e.diagnostics : undefined;
    io.stderr.write(
      `${JSON.stringify({ error: { code, message, field, allowed, diagnostics } })}\n`,
    );
    return outcome.exit;
  }
  const flag = outcome.field?.startsWith('--') === true && !(e instanceof UsageError);
  const prefix = flag ? `${outcome.field ?? ''}: ` : '';
  const code = isKeyplaneError(e) ? ` [${e.code}]` : '';
  const hint =
    e instanceof UsageError
      ? `\nRun 'keyplane ${invocation.spec.path.join(' ')} --help' for usage.`
      : '';
  io.stderr.write(`error: ${prefix}${outcome.message}${code}${hint}\n`);
  return outcome.exit;
}

/**
 * The process around {@link main}: the exit code, and a last resort for failures that escape
 * every command (a rejection no code awaited): one `error:` line, stack only with
 * KEYPLANE_DEBUG=1, exit 1.
 */
export function runProcess(argv: readonly string[] = process.argv.slice(2)): void {
  // The AWS SDK's Node.js version-support notice, through its documented switch
  // (https://github.com/aws/aws-sdk-js-v3/issues/7983); every other warning stays visible.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const lastResort = (e: unknown): void => {
    if (readEnv(ENV_VARIABLES.debug) === '1' && e instanceof Error) {
      process.stderr.write(`${e.stack ?? ''}\n`);
    }
    process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  };
  process.on('unhandledRejection', lastResort);
  process.on('uncaughtException', lastResort);
  main(argv).then((code) => {
    process.exitCode = code;
  }, lastResort);
}
