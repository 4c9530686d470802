/**
 * Which committer a store's crypto-operation audit entries go to: group transactions on the
 * store's own connection, and — where the dialect has a committer of its own (SQLite: a worker
 * thread, sqlite-audit-group.ts) — that one once the caller signs in a hot loop
 * (AdaptiveAuditQueue). A sealed store (no data key) never queues entries.
 *
 * @module
 */
import {
  AdaptiveAuditQueue,
  AuditGroupCommit,
  type AuditQueue,
  type GroupCommitTarget,
} from '../audit/group-commit';
import type { AuditQueueOptions, StoreDialect } from './dialect';

export interface StoreAuditTarget extends GroupCommitTarget {
  /** What the dialect's own committer needs; undefined: none is started. */
  readonly offload: AuditQueueOptions | undefined;
}

export function storeAuditQueue(dialect: StoreDialect, target: StoreAuditTarget): AuditQueue {
  const local = new AuditGroupCommit(target);
  const { auditQueue } = dialect;
  const { offload } = target;
  if (auditQueue === undefined || offload === undefined) return local;
  return new AdaptiveAuditQueue(local, () => auditQueue(offload));
}
