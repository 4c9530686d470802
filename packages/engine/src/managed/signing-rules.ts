/**
 * How a managed key's parameters constrain signing: the found key must be of the family the
 * parameters name (a PKCS#11 `mechanism`, an AWS `key_type`, a GCP `algorithm`), the padding
 * they fix wins over the caller's default and refuses a contradicting explicit choice, and the
 * hash defaults to sha2-256 unless the key only has another one (GCP keys fix their hash).
 *
 * @module
 */
import type { HashAlgorithmName } from '../algorithms/hashes';
import { KEY_TYPES } from '../algorithms/key-types';
import { lookup } from '../algorithms/table';
import type { BackendKey, BackendSignOptions } from '../backends/contract';
import {
  InvalidArgumentError,
  UnsupportedKeyTypeError,
  UnsupportedOperationError,
} from '../errors';
import type { Binding } from './backend-binding';
import { PKCS11_MECHANISM_ROWS } from './parameters';
import type { ManagedKeyRecord } from './records';

export interface SignRequest {
  readonly hash?: HashAlgorithmName | undefined;
  readonly pss?: boolean | undefined;
  readonly input?: 'message' | 'digest' | undefined;
}

const familyOf = (key: BackendKey): string => lookup(KEY_TYPES, key.keyType)?.family ?? key.keyType;

/** Allowed values for the parameter that fixed the family, for refusals. */
function allowedFor(record: ManagedKeyRecord, family: string): string[] {
  if (record.type !== 'pkcs11') return [];
  return Object.entries(PKCS11_MECHANISM_ROWS)
    .filter(([, row]) => row.family === family && row.canSign)
    .map(([code, row]) => `${code} (${row.name})`);
}

/** Refuses a backend key that contradicts the entry's parameters. */
export function checkGenerationParameters(
  record: ManagedKeyRecord,
  binding: Binding,
  key: BackendKey,
): void {
  const rules = binding.signing;
  const family = familyOf(key);
  if (rules.family !== undefined && rules.family !== family) {
    const field = rules.field ?? 'type';
    const allowed = allowedFor(record, family);
    throw new UnsupportedKeyTypeError(
      `managed key '${record.name}': ${field} '${String(record.params[field])}' needs a ${rules.family} key, but the key in ${record.type} is ${key.keyType}` +
        (allowed.length > 0 ? `; for ${family} keys use ${field} ${allowed.join(' or ')}` : ''),
      { field, ...(allowed.length > 0 ? { allowed } : {}) },
    );
  }
  const scheme = rules.scheme;
  const wrongType = rules.keyType !== undefined && rules.keyType !== key.keyType;
  const wrongScheme =
    scheme !== undefined &&
    !key.signatures.some((s) => s.hash === scheme.hash && s.pss === scheme.pss);
  if (wrongType || wrongScheme) {
    const field = rules.keyTypeField ?? rules.field ?? 'type';
    const actual = key.signatures.map((s) => `${s.hash ?? 'pure'}${s.pss ? '/pss' : ''}`);
    throw new UnsupportedKeyTypeError(
      `managed key '${record.name}': ${field} '${String(record.params[field])}' does not match the key in ${record.type}, which is ${key.keyType}` +
        (wrongType ? '' : ` signing with ${[...new Set(actual)].join(', ')}`),
      { field },
    );
  }
}

/** Resolves the sign options for one request against the parameters and the key's schemes. */
export function signOptionsFor(
  resolved: { record: ManagedKeyRecord; binding: Binding; key: BackendKey },
  request: SignRequest,
): BackendSignOptions {
  const { record, binding, key } = resolved;
  const rules = binding.signing;
  if (!rules.canSign) {
    const field = rules.field ?? 'mechanism';
    throw new UnsupportedOperationError(
      `managed key '${record.name}': ${field} '${String(record.params[field])}' cannot sign; use one of ${allowedFor(record, familyOf(key)).join(', ')}`,
      { field, allowed: allowedFor(record, familyOf(key)) },
    );
  }
  if (rules.pss !== undefined && request.pss !== undefined && request.pss !== rules.pss) {
    const field = rules.field ?? 'mechanism';
    throw new InvalidArgumentError(
      `managed key '${record.name}' signs ${rules.pss ? 'with' : 'without'} PSS (${field} '${String(record.params[field])}'); use_pss=${String(request.pss)} contradicts it`,
      { field: 'use_pss', allowed: [String(rules.pss)] },
    );
  }
  // PSS is an RSA padding (RFC 8017 §8.1): asked for on another key it is refused, not dropped.
  if (request.pss === true && familyOf(key) !== 'rsa') {
    throw new InvalidArgumentError(
      `managed key '${record.name}' is ${key.keyType}: use_pss=true is for RSA keys only`,
      { field: 'use_pss', allowed: ['false'] },
    );
  }
  const pss = request.pss ?? rules.pss ?? false;
  if (key.keyType === 'ed25519') return { pss: false, input: request.input ?? 'message' };
  const hashes = key.signatures.filter((s) => s.pss === pss).map((s) => s.hash);
  const hash =
    request.hash ?? (hashes.includes('sha2-256') || hashes.length === 0 ? 'sha2-256' : hashes[0]);
  return { hash, pss: familyOf(key) === 'rsa' ? pss : false, input: request.input ?? 'message' };
}
