/**
 * Request-field readers shared by the operation handlers: byte fields (the SDK sends base64url,
 * documents and other tools use standard base64 — both are accepted, padded or not), epoch
 * seconds, and typed access to untrusted JSON without `any`.
 *
 * @module
 */
import { badParameter } from './errors';

export type Json = Record<string, unknown>;

const BASE64_ANY = /^[A-Za-z0-9+/_-]*={0,2}$/;

export const toBase64Url = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');

/** Decodes base64 or base64url (padded or not); refuses anything else with BadParameter. */
export function decodeBytes(value: unknown, field: string): Buffer {
  if (typeof value !== 'string' || value.length === 0)
    throw badParameter(`${field} must be a non-empty base64url string`);
  const unpadded = value.replace(/=+$/, '');
  if (!BASE64_ANY.test(value) || unpadded.length % 4 === 1)
    throw badParameter(`${field} is not valid base64url`);
  // Node's base64 decoder reads both alphabets.
  return Buffer.from(unpadded, 'base64');
}

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A JSON object field, or `{}` when absent; BadParameter when present but not an object. */
export function objectField(body: Json, field: string): Json {
  const value = body[field];
  if (value === undefined || value === null) return {};
  if (!isObject(value)) throw badParameter(`${field} must be an object`);
  return value;
}

export function optionalString(body: Json, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw badParameter(`${field} must be a string`);
  return value;
}

export function optionalInteger(body: Json, field: string): number | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value))
    throw badParameter(`${field} must be an integer`);
  return value;
}

export function optionalBoolean(body: Json, field: string): boolean | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw badParameter(`${field} must be a boolean`);
  return value;
}

export function optionalStringArray(body: Json, field: string): string[] | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((v): v is string => typeof v === 'string'))
    throw badParameter(`${field} must be an array of strings`);
  return value;
}

/** Tags: string → string, at most 15 (the service's limit). */
export function optionalTags(body: Json): Record<string, string> | undefined {
  const value = body.tags;
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw badParameter('tags must be an object of strings');
  const entries = Object.entries(value);
  if (entries.length > 15) throw badParameter('A maximum of 15 tags is allowed');
  const tags: Record<string, string> = {};
  for (const [k, v] of entries) {
    if (typeof v !== 'string') throw badParameter(`tag ${k} must be a string`);
    tags[k] = v;
  }
  return tags;
}
