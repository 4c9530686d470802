/**
 * Errors carrying the gRPC status code Cloud KMS answers with. Operations throw these; the
 * server turns them into `{ code, details }` so the real client surfaces them exactly as it
 * does against the service (`err.code === 5` for NOT_FOUND, …).
 *
 * @module
 */
import { status } from '@grpc/grpc-js';

export class KmsError extends Error {
  constructor(
    readonly code: status,
    message: string,
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

export const resourceExhausted = (message: string): KmsError =>
  new KmsError(status.RESOURCE_EXHAUSTED, message);

export const unavailable = (message: string): KmsError => new KmsError(status.UNAVAILABLE, message);
