/**
 * `@keyplane/engine/keys` — the key-ceremony subset of the engine: key types and software key
 * material (generate, import, export, zeroize), without the BYOK, backend and managed-key
 * modules. The same objects as the main entry point exports; this entry exists so a
 * start-up-sensitive tool (the CLI's `key generate`) loads a handful of modules, not all of them.
 *
 * @module
 */
export * from './algorithms/key-types';
export * from './crypto/key-material';
export { zeroize } from './crypto/zeroize';
