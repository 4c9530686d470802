/**
 * The optional JSON-lines audit sink (for SIEMs): every committed entry appended as one line to a
 * file created 0600, opened O_APPEND without following a symlink. The store stays the source of
 * truth (the chain is verified there); the file is a copy for shipping.
 *
 * @module
 */
import { closeSync, constants, openSync, writeSync } from 'node:fs';
import type { AuditEntry } from './entry';

const FLAGS = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW;

export function appendJsonLines(path: string, entries: readonly AuditEntry[]): void {
  const fd = openSync(path, FLAGS, 0o600);
  try {
    writeSync(fd, entries.map((e) => `${JSON.stringify(e)}\n`).join(''));
  } finally {
    closeSync(fd);
  }
}
