/**
 * The optional JSON-lines audit sink (for SIEMs): every committed entry appended as one line to a
 * file created 0600, opened O_APPEND without following a symlink. The store stays the source of
 * truth (the chain is verified there); the file is a copy for shipping.
 *
 * @module
 */
import { closeSync, constants, openSync, writeSync } from 'node:fs';
import { ENV_VARIABLES } from '../env';
import { StoreError } from '../errors';
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

function sinkError(path: string, when: string, cause: unknown): StoreError {
  const why = (cause as { code?: string }).code ?? 'unknown error';
  return new StoreError(
    `the audit file ${path} (auditFile / ${ENV_VARIABLES.auditFile.name}) ${when}: ${why} (symlinks are refused)`,
    { reason: 'io', field: 'auditFile', cause },
  );
}

/**
 * The sink for `path`, checked now — a bad path is refused when the store opens, not after the
 * first change has been committed.
 */
export function jsonLinesSink(path: string): (entries: readonly AuditEntry[]) => void {
  try {
    appendJsonLines(path, []);
  } catch (e) {
    throw sinkError(path, 'cannot be opened for appending', e);
  }
  return (entries) => {
    try {
      appendJsonLines(path, entries);
    } catch (e) {
      throw sinkError(path, 'could not take entries already committed to the store', e);
    }
  };
}
