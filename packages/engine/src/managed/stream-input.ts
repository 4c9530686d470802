/**
 * Input that is not in memory (a large file, stdin) for sign / verify: hashed as it streams
 * with the hash the key signs with, so only the digest reaches the backend (every backend has a
 * prehashed path). Pure EdDSA signs the message itself and cannot be prehashed: its input is
 * collected, bounded so a mistaken multi-GiB input fails clearly instead of exhausting memory.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { hashAlgorithm, type HashAlgorithmName } from '../algorithms/hashes';
import { InvalidArgumentError } from '../errors';

/** Largest message collected for keys that sign the message itself (Ed25519). */
export const MAX_UNHASHED_INPUT = 64 * 1024 * 1024;

export interface PreparedInput {
  readonly data: Buffer;
  readonly input: 'message' | 'digest';
}

export async function prepareStreamInput(
  stream: AsyncIterable<Uint8Array>,
  hash: HashAlgorithmName | undefined,
): Promise<PreparedInput> {
  if (hash !== undefined) {
    const hasher = createHash(hashAlgorithm(hash).nodeName);
    for await (const chunk of stream) hasher.update(chunk);
    return { data: hasher.digest(), input: 'digest' };
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += chunk.length;
    if (size > MAX_UNHASHED_INPUT) {
      throw new InvalidArgumentError(
        `input is larger than ${String(MAX_UNHASHED_INPUT / 1024 / 1024)} MiB; Ed25519 keys sign the whole message (it cannot be hashed first): sign a digest of the file instead`,
        { field: 'input' },
      );
    }
    chunks.push(Buffer.from(chunk));
  }
  return { data: Buffer.concat(chunks), input: 'message' };
}
