/**
 * Reading values off gax responses. gax loads the protos with `enums: String, longs: String`,
 * but the generated types also allow numbers / Long, so every read goes through here.
 *
 * @module
 */
import { protos } from '@google-cloud/kms';
import { InvalidArgumentError } from '../../errors';
import type { KeyRef } from '../contract';

const v1 = protos.google.cloud.kms.v1;

/** Enum names the request types accept (rows hold plain strings). */
export type AlgorithmEnum = keyof typeof v1.CryptoKeyVersion.CryptoKeyVersionAlgorithm;
export type ImportMethodEnum = keyof typeof v1.ImportJob.ImportMethod;

type EnumValue = string | number | null | undefined;

/** An enum field as its name (protobufjs enums map numbers back to names). */
function enumName(value: EnumValue, names: Readonly<Record<number, string>>): string {
  if (typeof value === 'number') return names[value] ?? String(value);
  return value ?? '';
}

export const stateName = (v: EnumValue): string =>
  enumName(v, v1.CryptoKeyVersion.CryptoKeyVersionState);
export const algorithmName = (v: EnumValue): string =>
  enumName(v, v1.CryptoKeyVersion.CryptoKeyVersionAlgorithm);
export const protectionName = (v: EnumValue): string => enumName(v, v1.ProtectionLevel);
export const jobStateName = (v: EnumValue): string => enumName(v, v1.ImportJob.ImportJobState);
export const importMethodName = (v: EnumValue): string => enumName(v, v1.ImportJob.ImportMethod);

/** Bytes fields (Buffer over gRPC; base64 strings only in JSON fallback mode). */
export function toBuffer(value: Uint8Array | string | null | undefined): Buffer {
  if (typeof value === 'string') return Buffer.from(value, 'base64');
  return Buffer.from(value ?? new Uint8Array());
}

/** The version number at the end of a CryptoKeyVersion resource name. */
export function versionNumber(name: string | null | undefined): string {
  return (name ?? '').split('/').pop() ?? '';
}

type Long = number | string | { toString(): string } | null | undefined;

export function timestampOf(
  t: { seconds?: Long; nanos?: number | null } | null | undefined,
): Date | undefined {
  if (t === null || t === undefined) return undefined;
  const seconds = Number(String(t.seconds ?? 0));
  return new Date(seconds * 1000 + Math.floor((t.nanos ?? 0) / 1e6));
}

const KEY_ID = /^[a-zA-Z0-9_-]{1,63}$/;

/** A crypto key id and optional version number, checked before they enter a resource name. */
export function checkRef(ref: KeyRef): void {
  if (!KEY_ID.test(ref.name)) {
    throw new InvalidArgumentError(
      `name '${ref.name}' is not a GCP crypto key id (1-63 letters, digits, '_' or '-')`,
      { field: 'name' },
    );
  }
  if (ref.version !== undefined && !/^[1-9]\d{0,17}$/.test(ref.version)) {
    throw new InvalidArgumentError(
      `version '${ref.version}' is not a GCP crypto key version number`,
      { field: 'version' },
    );
  }
}
