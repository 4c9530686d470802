/**
 * Errors carrying the gRPC status code Cloud KMS answers with. Operations throw these; the
 * server turns them into `{ code, details }` so the real client surfaces them exactly as it
 * does against the service (`err.code === 5` for NOT_FOUND, …).
 *
 * @module
 */
import { status, type Metadata } from '@grpc/grpc-js';
import { quotaErrorMetadata, type QuotaDetails } from './status-details';

export class KmsError extends Error {
  constructor(
    readonly code: status,
    message: string,
    /** Trailing metadata, e.g. `grpc-status-details-bin` with RetryInfo. */
    readonly metadata?: Metadata,
  ) {
    super(message);
    this.name = 'KmsError';
  }
}

export const invalidArgument = (message: string): KmsError =>
  new KmsError(status.INVALID_ARGUMENT, message);

export const failedPrecondition = (message: string): KmsError =>
  new KmsError(status.FAILED_PRECONDITION, message);

export const notFound = (name: string): KmsError =>
  new KmsError(status.NOT_FOUND, `${name} not found.`);

export const alreadyExists = (name: string): KmsError =>
  new KmsError(status.ALREADY_EXISTS, `${name} already exists.`);

/** A quota error with the ErrorInfo + RetryInfo details the service attaches. */
export const resourceExhausted = (message: string, quota: QuotaDetails): KmsError =>
  new KmsError(
    status.RESOURCE_EXHAUSTED,
    message,
    quotaErrorMetadata(status.RESOURCE_EXHAUSTED, message, quota),
  );

export const unavailable = (message: string): KmsError => new KmsError(status.UNAVAILABLE, message);
