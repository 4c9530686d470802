/**
 * `keyplane` entry point: routes argv to a command spec, prints help, maps failures to exit
 * codes and one-line messages. Stack traces only with KEYPLANE_DEBUG=1.
 *
 * @module
 */
import { isKeyplaneError } from '@keyplane/engine';
import { UsageError, commandHelp, parseCommandArgs, type CommandSpec } from './command';
import { byokWrap } from './commands/byok-wrap';
import { devDown, devEnv, devStatus, devUp } from './commands/dev';
import { keyGenerate } from './commands/key-generate';
import { MANAGED_KEY_COMMANDS } from './commands/managed-key';
import { InvalidSignature, sign, verify } from './commands/sign-verify';
import { SIGNING_KEY_COMMANDS } from './commands/signing-key';
import { FileError } from './files';

export const COMMANDS: readonly CommandSpec[] = [
  keyGenerate,
  byokWrap,
  devUp,
  devStatus,
  devEnv,
  devDown,
  ...MANAGED_KEY_COMMANDS,
  ...SIGNING_KEY_COMMANDS,
  sign,
  verify,
];

/** Engine error fields → the CLI option that carried the value, for messages and exit codes. */
const FIELD_TO_OPTION: Readonly<Record<string, string>> = {
  type: 'type',
  target: 'target',
  algorithm: 'algorithm',
  wrappingKey: 'wrapping-key',
  key: 'key',
  kid: 'kid',
  azureService: 'azure-service',
  hash_algorithm: 'hash',
  use_pss: 'pss',
  managed_key: 'managed-key',
};

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
  ].join('\n');
}

function find(argv: readonly string[]): {
  spec?: CommandSpec;
  rest: readonly string[];
  group: readonly CommandSpec[];
} {
  const words = argv.slice(0, 2);
  const spec = COMMANDS.find((c) => c.path.every((p, i) => words[i] === p));
  const group = COMMANDS.filter((c) => c.path[0] === argv[0]);
  return spec === undefined
    ? { rest: argv, group }
    : { spec, rest: argv.slice(spec.path.length), group };
}

export interface Io {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

/** Runs the CLI; resolves to the exit code. */
export async function main(argv: readonly string[], io: Io = process): Promise<number> {
  const args = argv[0] === 'help' ? [...argv.slice(1), '--help'] : argv;
  const { spec, rest, group } = find(args);
  if (spec === undefined) {
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
  try {
    const { values, positionals } = parseCommandArgs(spec, rest);
    if (values.help === true) {
      io.stdout.write(commandHelp(spec));
      return 0;
    }
    await spec.run({ values, positionals, argv: rest, stdout: io.stdout, stderr: io.stderr });
    return 0;
  } catch (e) {
    return report(e, spec, io);
  }
}

function report(e: unknown, spec: CommandSpec, io: Io): number {
  if (process.env.KEYPLANE_DEBUG === '1' && e instanceof Error)
    io.stderr.write(`${e.stack ?? ''}\n`);
  if (e instanceof UsageError) {
    io.stderr.write(
      `error: ${e.message}\nRun 'keyplane ${spec.path.join(' ')} --help' for usage.\n`,
    );
    return 2;
  }
  if (isKeyplaneError(e)) {
    const option = e.field === undefined ? undefined : FIELD_TO_OPTION[e.field];
    const flag =
      option !== undefined && spec.options.some((o) => o.name === option) ? `--${option}: ` : '';
    io.stderr.write(`error: ${flag}${e.message} [${e.code}]\n`);
    // A refusal of a value the user passed is a usage error; anything else failed to run.
    return flag === '' ? 1 : 2;
  }
  if (e instanceof InvalidSignature) return 1;
  if (e instanceof FileError) {
    io.stderr.write(`error: ${e.message}\n`);
    return 1;
  }
  io.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
  return 1;
}
