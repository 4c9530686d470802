/**
 * Hash algorithms, as the managed-keys `test/sign` API names them. Each row carries what the
 * signing code needs: the OpenSSL name, the digest length and the DER `DigestInfo` prefix that
 * RSASSA-PKCS1-v1_5 puts in front of a digest (RFC 8017 §9.2 note 1).
 *
 * @module
 */
import { UnsupportedHashAlgorithmError, notAllowedMessage } from '../errors';
import { lookup, names, table } from './table';

export type HashAlgorithmName =
  | 'sha1'
  | 'sha2-224'
  | 'sha2-256'
  | 'sha2-384'
  | 'sha2-512'
  | 'sha3-224'
  | 'sha3-256'
  | 'sha3-384'
  | 'sha3-512';

export interface HashAlgorithm {
  readonly name: HashAlgorithmName;
  /** Name understood by node:crypto / OpenSSL. */
  readonly nodeName: string;
  /** Digest length in bytes (also the RSA-PSS salt length Keyplane uses). */
  readonly length: number;
  /** DER of `DigestInfo` up to (not including) the digest bytes. */
  readonly digestInfoPrefix: Buffer;
}

/** DER `DigestInfo ::= SEQUENCE { SEQUENCE { OID, NULL }, OCTET STRING digest }` minus the digest. */
function digestInfoPrefix(oid: readonly number[], length: number): Buffer {
  const oidDer = Buffer.from([0x06, oid.length, ...oid]);
  const algId = Buffer.concat([
    Buffer.from([0x30, oidDer.length + 2]),
    oidDer,
    Buffer.from([0x05, 0x00]),
  ]);
  const inner = algId.length + 2 + length;
  return Buffer.concat([Buffer.from([0x30, inner]), algId, Buffer.from([0x04, length])]);
}

/** NIST hash OIDs live under 2.16.840.1.101.3.4.2.x (RFC 5754, RFC 8702 for SHA-3). */
const NIST_HASH_ARC = [0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02];

function nist(
  name: HashAlgorithmName,
  nodeName: string,
  length: number,
  arc: number,
): HashAlgorithm {
  return {
    name,
    nodeName,
    length,
    digestInfoPrefix: digestInfoPrefix([...NIST_HASH_ARC, arc], length),
  };
}

export const HASH_ALGORITHMS = table<HashAlgorithmName, HashAlgorithm>({
  // 1.3.14.3.2.26 (RFC 3279 §2.2.1)
  sha1: {
    name: 'sha1',
    nodeName: 'sha1',
    length: 20,
    digestInfoPrefix: digestInfoPrefix([0x2b, 0x0e, 0x03, 0x02, 0x1a], 20),
  },
  'sha2-224': nist('sha2-224', 'sha224', 28, 4),
  'sha2-256': nist('sha2-256', 'sha256', 32, 1),
  'sha2-384': nist('sha2-384', 'sha384', 48, 2),
  'sha2-512': nist('sha2-512', 'sha512', 64, 3),
  'sha3-224': nist('sha3-224', 'sha3-224', 28, 7),
  'sha3-256': nist('sha3-256', 'sha3-256', 32, 8),
  'sha3-384': nist('sha3-384', 'sha3-384', 48, 9),
  'sha3-512': nist('sha3-512', 'sha3-512', 64, 10),
});

export const HASH_ALGORITHM_NAMES: readonly HashAlgorithmName[] = names(HASH_ALGORITHMS);

/** Resolves a hash name from user input, or throws `ERR_UNSUPPORTED_HASH_ALGORITHM`. */
export function hashAlgorithm(name: string, field = 'hash_algorithm'): HashAlgorithm {
  const found = lookup(HASH_ALGORITHMS, name);
  if (found === undefined) {
    throw new UnsupportedHashAlgorithmError(
      notAllowedMessage(field, name, '', HASH_ALGORITHM_NAMES),
      {
        field,
        allowed: HASH_ALGORITHM_NAMES,
      },
    );
  }
  return found;
}
