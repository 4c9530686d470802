/**
 * Typed readers for JSON 1.1 request members. Every reader throws AWS-style
 * `ValidationException`s, so operations read fields in one line and never see malformed input.
 * Blobs arrive as standard base64, timestamps as epoch seconds (the awsJson1_1 protocol, https://smithy.io/2.0/aws/protocols/aws-json-1_1-protocol.html).
 *
 * @module
 */
import { kmsError, validationError } from './errors';
import type { KmsStore } from './store';

export type Json = Readonly<Record<string, unknown>>;

/** An operation handler: request body in, response body out (`undefined` = empty 200). */
export type OperationResult = Record<string, unknown> | undefined;
export type Operation = (store: KmsStore, req: Json) => OperationResult | Promise<OperationResult>;

/** AWS names members in messages with a lower-case first letter ("keyId"). */
const memberName = (field: string): string => field.charAt(0).toLowerCase() + field.slice(1);

export function optionalString(req: Json, field: string): string | undefined {
  const v = req[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw kmsError('SerializationException', `${field} must be a string`);
  return v;
}

export function requiredString(req: Json, field: string): string {
  const v = optionalString(req, field);
  if (v === undefined)
    throw validationError(memberName(field), undefined, 'Member must not be null');
  return v;
}

export function stringWithin(
  req: Json,
  field: string,
  min: number,
  max: number,
): string | undefined {
  const v = optionalString(req, field);
  if (v !== undefined && (v.length < min || v.length > max))
    throw validationError(
      memberName(field),
      v,
      `Member must have length between ${min} and ${max}`,
    );
  return v;
}

export function optionalEnum<T extends string>(
  req: Json,
  field: string,
  allowed: readonly T[],
): T | undefined {
  const v = optionalString(req, field);
  if (v === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(v))
    throw validationError(
      memberName(field),
      v,
      `Member must satisfy enum value set: [${allowed.join(', ')}]`,
    );
  return v as T;
}

export function requiredEnum<T extends string>(req: Json, field: string, allowed: readonly T[]): T {
  const v = optionalEnum(req, field, allowed);
  if (v === undefined)
    throw validationError(memberName(field), undefined, 'Member must not be null');
  return v;
}

export function optionalInteger(
  req: Json,
  field: string,
  min: number,
  max: number,
): number | undefined {
  const v = req[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v))
    throw kmsError('SerializationException', `${field} must be an integer`);
  if (v < min || v > max)
    throw validationError(memberName(field), v, `Member must have value between ${min} and ${max}`);
  return v;
}

export function optionalBoolean(req: Json, field: string): boolean | undefined {
  const v = req[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean')
    throw kmsError('SerializationException', `${field} must be a boolean`);
  return v;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * A blob member: standard base64, decoded, with AWS's length constraint. The message shows no
 * value, as AWS's does for blobs ("1 validation error detected: Value at 'plaintext' failed to
 * satisfy constraint: Member must have length less than or equal to 4096", recorded).
 */
export function optionalBlob(
  req: Json,
  field: string,
  min: number,
  max: number,
): Buffer | undefined {
  const v = optionalString(req, field);
  if (v === undefined) return undefined;
  if (v.length % 4 !== 0 || !BASE64.test(v))
    throw kmsError('SerializationException', `${field} is not valid base64`);
  const bytes = Buffer.from(v, 'base64');
  const constraint =
    bytes.length > max
      ? `Member must have length less than or equal to ${max}`
      : bytes.length < min
        ? `Member must have length greater than or equal to ${min}`
        : undefined;
  if (constraint !== undefined)
    throw kmsError(
      'ValidationException',
      `1 validation error detected: Value at '${memberName(field)}' failed to satisfy constraint: ${constraint}`,
    );
  return bytes;
}

export function requiredBlob(req: Json, field: string, min: number, max: number): Buffer {
  const v = optionalBlob(req, field, min, max);
  if (v === undefined)
    throw validationError(memberName(field), undefined, 'Member must not be null');
  return v;
}

/** Epoch-seconds timestamp (fractions allowed) → milliseconds. */
export function optionalTimestampMs(req: Json, field: string): number | undefined {
  const v = req[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw kmsError('SerializationException', `${field} must be epoch seconds`);
  return Math.round(v * 1000);
}

/** A `Record<string,string>` member such as EncryptionContext. */
export function optionalStringMap(req: Json, field: string): Record<string, string> | undefined {
  const v = req[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v))
    throw kmsError('SerializationException', `${field} must be a map of strings`);
  const out: Record<string, string> = {};
  for (const [k, value] of Object.entries(v as Record<string, unknown>)) {
    if (typeof value !== 'string')
      throw kmsError('SerializationException', `${field}.${k} must be a string`);
    out[k] = value;
  }
  return out;
}

/** A list member whose items are objects (Tags) or strings (TagKeys). */
export function optionalList(req: Json, field: string): readonly unknown[] | undefined {
  const v = req[field];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw kmsError('SerializationException', `${field} must be a list`);
  return v as unknown[];
}

/** Epoch seconds for responses (the SDK parses fractional numbers). */
export const epochSeconds = (ms: number): number => ms / 1000;

/** One page of a list operation; the marker is the id of the first item of the next page. */
export function paginate<T>(
  items: readonly T[],
  idOf: (item: T) => string,
  limit: number,
  marker: string | undefined,
): { page: readonly T[]; nextMarker?: string } {
  let start = 0;
  if (marker !== undefined) {
    start = items.findIndex((i) => idOf(i) === marker);
    if (start < 0) throw kmsError('InvalidMarkerException', `Invalid marker: ${marker}`);
  }
  const page = items.slice(start, start + limit);
  const next = items[start + limit];
  return next === undefined ? { page } : { page, nextMarker: idOf(next) };
}
