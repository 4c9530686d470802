/**
 * @keyplane/engine — key types and cloud compatibility tables, software crypto, BYOK wrapping.
 *
 * @module
 */
export * from './errors';
export * from './algorithms/hashes';
export * from './algorithms/key-types';
export * from './algorithms/clouds';
export * from './algorithms/wrapping-algorithms';
export * from './crypto/key-material';
export * from './crypto/sign';
export * from './crypto/hmac';
export * from './crypto/aes-gcm';
export * from './crypto/aes-key-wrap';
export * from './crypto/rsa-oaep';
export * from './crypto/ecdsa-encoding';
export { publicKeyFingerprint } from './crypto/fingerprint';
export { zeroize } from './crypto/zeroize';
export * from './byok';
export * from './backends';
export { createKmsBackend } from './backends/factory';
export type * from './backends/configs';
export * from './managed';
export * from './seal';
export * from './store';
export * from './audit';
export * from './duration';
export * from './policy';
