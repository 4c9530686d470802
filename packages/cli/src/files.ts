/**
 * File helpers for key ceremonies: secrets are written once, 0600, never over an existing file,
 * and every I/O problem becomes a one-line message naming the option and the path.
 *
 * @module
 */
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { open } from 'node:fs/promises';

/** An I/O problem tied to a CLI option: exit code 1, message without a stack trace. */
export class FileError extends Error {}

function reason(e: unknown): string {
  const code = (e as { code?: unknown }).code;
  const reasons: Readonly<Record<string, string>> = {
    ENOENT: 'no such file or directory',
    EACCES: 'permission denied',
    EISDIR: 'is a directory',
    EEXIST: 'already exists (refusing to overwrite; remove it or choose another path)',
  };
  return (
    (typeof code === 'string' ? reasons[code] : undefined) ??
    (e instanceof Error ? e.message : String(e))
  );
}

/** Reads the file given for `--<option>`. */
export function readInput(option: string, path: string): Buffer {
  return readFileArg(`--${option} `, path);
}

/** Reads a file named on the command line; `label` prefixes the path in messages (`pin=@`). */
export function readFileArg(label: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new FileError(`${label}${path}: ${reason(e)}`);
  }
}

/**
 * Creates `path` exclusively (O_EXCL) with mode 0600 and writes `data`. Refuses to overwrite:
 * a key-ceremony output must never silently replace another key.
 */
export function writeNewFile(option: string, path: string, data: Uint8Array): void {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (e) {
    throw new FileError(`--${option} ${path}: ${reason(e)}`);
  }
  try {
    writeSync(fd, data);
  } catch (e) {
    throw new FileError(`--${option} ${path}: ${reason(e)}`);
  } finally {
    closeSync(fd);
  }
}

/**
 * The file given for `--<option>` as a stream of chunks (`-` = stdin), never read whole. The
 * file is opened first so a missing or unreadable one fails before any backend call; a read
 * error later is a FileError too.
 */
export async function streamInput(option: string, path: string): Promise<AsyncIterable<Buffer>> {
  if (path === '-') return process.stdin;
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (e) {
    throw new FileError(`--${option} ${path}: ${reason(e)}`);
  }
  const stream = handle.createReadStream();
  return (async function* chunks() {
    try {
      for await (const chunk of stream) yield chunk as Buffer;
    } catch (e) {
      throw new FileError(`--${option} ${path}: ${reason(e)}`);
    }
  })();
}
