/**
 * @keyplane/emulators — local AWS KMS, Azure Key Vault / Managed HSM and Google Cloud KMS,
 * written from the clouds' public API references (never from engine code), plus a SoftHSM2
 * token helper. All servers listen on 127.0.0.1 only.
 *
 * @module
 */
export * from './aws-kms';
export * from './azure-key-vault';
export * from './gcp-kms';
export * from './softhsm/softhsm-token';
export * from './postgres/postgres-server';
export * from './dev-stack';
export { FaultInjector, parseFaultTable, type FaultRule, type FaultTable } from './common/faults';
export { RateLimiter, type QuotaRule, type QuotaTable } from './common/rate-limiter';
