/**
 * gRPC status → retry decision and KeyplaneError. Cloud KMS answers with canonical codes
 * (https://cloud.google.com/kms/docs/reference/rpc): the retryable ones are throttling
 * (RESOURCE_EXHAUSTED), UNAVAILABLE, DEADLINE_EXCEEDED and INTERNAL; a response failing its
 * CRC32C check is transient corruption and retried as well.
 *
 * @module
 */
import { lookup, table } from '../../algorithms/table';
import {
  AlreadyExistsError,
  AuthenticationFailedError,
  BackendError,
  DecryptionFailedError,
  KeyStateError,
  NotFoundError,
  isKeyplaneError,
} from '../../errors';
import { errorCodeOf, transientNetworkCode, type RetryDecision } from '../common/retry';
import { IntegrityError } from './crc32c';

/** What a request is about, so a failure can name it (field + the ref's name). */
export interface Subject {
  readonly field: string;
  /** Human-readable name; contains the KeyRef name for key requests. */
  readonly name: string;
  /** INVALID_ARGUMENT from a decrypt means wrong key / AAD / ciphertext. */
  readonly decrypt?: boolean;
}

type Kind = 'not-found' | 'exists' | 'state' | 'auth' | 'retry' | 'invalid' | 'other';

interface StatusRow {
  readonly name: string;
  readonly kind: Kind;
}

/** Canonical gRPC codes (grpc/status.h). */
const STATUS = table<string, StatusRow>({
  '1': { name: 'CANCELLED', kind: 'other' },
  '2': { name: 'UNKNOWN', kind: 'other' },
  '3': { name: 'INVALID_ARGUMENT', kind: 'invalid' },
  '4': { name: 'DEADLINE_EXCEEDED', kind: 'retry' },
  '5': { name: 'NOT_FOUND', kind: 'not-found' },
  '6': { name: 'ALREADY_EXISTS', kind: 'exists' },
  '7': { name: 'PERMISSION_DENIED', kind: 'auth' },
  '8': { name: 'RESOURCE_EXHAUSTED', kind: 'retry' },
  '9': { name: 'FAILED_PRECONDITION', kind: 'state' },
  '10': { name: 'ABORTED', kind: 'other' },
  '11': { name: 'OUT_OF_RANGE', kind: 'other' },
  '12': { name: 'UNIMPLEMENTED', kind: 'other' },
  '13': { name: 'INTERNAL', kind: 'retry' },
  '14': { name: 'UNAVAILABLE', kind: 'retry' },
  '15': { name: 'DATA_LOSS', kind: 'other' },
  '16': { name: 'UNAUTHENTICATED', kind: 'auth' },
});

interface GrpcLike {
  readonly code?: unknown;
  readonly details?: unknown;
  readonly statusDetails?: unknown;
}

function statusOf(error: unknown): StatusRow | undefined {
  const code = (error as GrpcLike | undefined)?.code;
  return typeof code === 'number' ? lookup(STATUS, String(code)) : undefined;
}

/** google.rpc.RetryInfo.retry_delay, when gax decoded one into `statusDetails`. */
function retryDelayMs(error: unknown): number | undefined {
  const details = (error as GrpcLike).statusDetails;
  if (!Array.isArray(details)) return undefined;
  for (const d of details as unknown[]) {
    const delay = (
      d as { retryDelay?: { seconds?: string | number | null; nanos?: number | null } } | null
    )?.retryDelay;
    if (delay !== undefined) {
      // Long values arrive as decimal strings (gax loads protos with `longs: String`).
      const seconds = Number(delay.seconds ?? 0);
      const nanos = delay.nanos ?? 0;
      if (Number.isFinite(seconds) && Number.isFinite(nanos)) return seconds * 1000 + nanos / 1e6;
    }
  }
  return undefined;
}

export function classifyGcpError(error: unknown): RetryDecision {
  if (error instanceof IntegrityError) return { retryable: true, code: 'CRC32C_MISMATCH' };
  if (isKeyplaneError(error)) return { retryable: false };
  const row = statusOf(error);
  if (row === undefined) {
    // Not a gRPC status: a socket failure of the token request (google-auth-library), or local.
    const network = transientNetworkCode(error);
    return network === undefined ? { retryable: false } : { retryable: true, code: network };
  }
  if (row.kind !== 'retry') return { retryable: false, code: row.name };
  const retryAfterMs = retryDelayMs(error);
  return retryAfterMs === undefined
    ? { retryable: true, code: row.name }
    : { retryable: true, code: row.name, retryAfterMs };
}

/** The server's message, which names resources but never key material. */
function detailsOf(error: unknown): string {
  const details = (error as GrpcLike).details;
  if (typeof details === 'string' && details !== '') return details;
  return error instanceof Error ? error.message : String(error);
}

/** Maps a final failure of `what` on `subject` to a KeyplaneError. */
export function mapGcpError(error: unknown, what: string, subject: Subject): Error {
  if (isKeyplaneError(error)) return error;
  if (error instanceof IntegrityError) {
    return new BackendError(`gcpckms ${what}: ${error.message}`, {
      backendCode: 'CRC32C_MISMATCH',
      cause: error,
    });
  }
  const row = statusOf(error);
  const details = detailsOf(error);
  const field = subject.field;
  switch (row?.kind) {
    case 'not-found':
      return new NotFoundError(`gcpckms: ${subject.name} not found (${details})`, { field });
    case 'exists':
      return new AlreadyExistsError(`gcpckms: ${subject.name} already exists`, { field });
    case 'state':
      return new KeyStateError(`gcpckms ${what} on ${subject.name}: ${details}`, { field });
    case 'auth':
      return new AuthenticationFailedError(`gcpckms ${what}: ${row.name}: ${details}`, {
        cause: error,
      });
    case 'invalid':
      if (subject.decrypt === true) return new DecryptionFailedError({ cause: error });
      break;
    default:
      break;
  }
  return new BackendError(
    `gcpckms ${what} on ${subject.name}: ${row?.name ?? 'error'}: ${details}`,
    {
      backendCode: row?.name ?? errorCodeOf(error) ?? 'UNKNOWN',
      cause: error,
    },
  );
}
