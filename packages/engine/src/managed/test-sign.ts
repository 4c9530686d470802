/**
 * Vault's managed-key `test/sign` (https://developer.hashicorp.com/vault/api-docs/system/managed-keys#test-sign-with-a-managed-key):
 * random data signed and verified with the same backend key.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { hashAlgorithm, type HashAlgorithmName } from '../algorithms/hashes';
import { BackendError } from '../errors';
import type { ResolvedManagedKey } from './managed-keys';
import { signOptionsFor, type SignRequest } from './signing-rules';

export interface TestSignOptions {
  /** @default 'sha2-256' (or the key's only hash, for GCP keys fixed to another) */
  readonly hash_algorithm?: string | undefined;
  /** @default the mechanism's / algorithm's padding, else false */
  readonly use_pss?: boolean | undefined;
}

export interface TestSignResult {
  readonly name: string;
  readonly type: string;
  /** undefined for Ed25519 (pure EdDSA). */
  readonly hash_algorithm: HashAlgorithmName | undefined;
  readonly use_pss: boolean;
  /** The backend key version that signed. */
  readonly key_version: string;
  /** True when this call generated the key (allow_generate_key). */
  readonly key_generated: boolean;
}

/** Signs 64 random bytes with the resolved key and verifies the signature with it. */
export async function signAndVerify(
  name: string,
  resolved: ResolvedManagedKey,
  options: TestSignOptions,
): Promise<TestSignResult> {
  const { record } = resolved;
  const request: SignRequest = {
    hash:
      options.hash_algorithm === undefined ? undefined : hashAlgorithm(options.hash_algorithm).name,
    pss: options.use_pss,
  };
  const signOptions = signOptionsFor(resolved, request);
  const data = randomBytes(64);
  const signature = await resolved.backend.sign(resolved.key, data, signOptions);
  const valid = await resolved.backend.verify(resolved.key, data, signature, signOptions);
  if (!valid) {
    // Nothing the caller passed is wrong: the backend signed with another key than it
    // verifies with, or returned a damaged signature.
    throw new BackendError(
      `test/sign: the signature made by managed key '${name}' did not verify with the same key (${record.type})`,
    );
  }
  return {
    name,
    type: record.type,
    hash_algorithm: signOptions.hash,
    use_pss: signOptions.pss === true,
    key_version: resolved.key.version,
    key_generated: resolved.generated,
  };
}
