/**
 * Backends: one folder per KMS behind the {@link KmsBackend} contract. Each backend module
 * loads only its own SDK, so `createKmsBackend` imports it on demand: a CLI that signs with
 * PKCS#11 never pays for loading the AWS, Azure and Google SDKs.
 *
 * @module
 */
export * from './contract';
export * from './common/retry';
export { ConcurrencyLimiter } from './common/limiter';
export { isLoopbackHost } from './common/loopback';
export { CallPolicy, type CallPolicyOptions } from './common/call-policy';
