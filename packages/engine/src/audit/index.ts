/**
 * The tamper-evident audit log: hash-chained entries written in the same transaction as the
 * change they record.
 *
 * @module
 */
export * from './entry';
