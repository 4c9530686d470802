/**
 * Rich gRPC error details: the `google.rpc.Status` a Google API puts in the
 * `grpc-status-details-bin` trailer next to the status code (https://google.aip.dev/193,
 * https://cloud.google.com/apis/design/errors#error_details). Quota errors carry an ErrorInfo
 * (`RATE_LIMIT_EXCEEDED`, domain `googleapis.com`, the quota metric) and a RetryInfo whose
 * `retry_delay` says when to try again — what google-gax decodes into `error.statusDetails`.
 *
 * The messages are encoded with protobufjs from the common protos shipped in google-gax, the
 * same files the client decodes with.
 *
 * @module
 */
import { Metadata } from '@grpc/grpc-js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Root, type Type } from 'protobufjs';
import { protoIncludeDirs } from './proto';

interface DetailTypes {
  readonly status: Type;
  readonly retryInfo: Type;
  readonly errorInfo: Type;
}

let types: DetailTypes | undefined;

function detailTypes(): DetailTypes {
  if (types === undefined) {
    const root = new Root();
    const dirs = protoIncludeDirs();
    root.resolvePath = (_origin, target) =>
      dirs.map((d) => join(d, target)).find((p) => existsSync(p)) ?? target;
    root.loadSync(['google/rpc/status.proto', 'google/rpc/error_details.proto']);
    types = {
      status: root.lookupType('google.rpc.Status'),
      retryInfo: root.lookupType('google.rpc.RetryInfo'),
      errorInfo: root.lookupType('google.rpc.ErrorInfo'),
    };
  }
  return types;
}

const any = (type: Type, value: object): { type_url: string; value: Uint8Array } => ({
  type_url: `type.googleapis.com/${type.fullName.replace(/^\./, '')}`,
  value: type.encode(type.create(value)).finish(),
});

/** What a RESOURCE_EXHAUSTED for a quota says besides its message. */
export interface QuotaDetails {
  /** The quota metric, e.g. `crypto_requests`. */
  readonly metric: string;
  readonly retryAfterMs: number;
}

/** Trailing metadata with `grpc-status-details-bin` for a quota error. */
export function quotaErrorMetadata(code: number, message: string, quota: QuotaDetails): Metadata {
  const t = detailTypes();
  const ms = Math.max(0, Math.ceil(quota.retryAfterMs));
  const status = t.status.encode(
    t.status.create({
      code,
      message,
      details: [
        any(t.errorInfo, {
          reason: 'RATE_LIMIT_EXCEEDED',
          domain: 'googleapis.com',
          metadata: {
            service: 'cloudkms.googleapis.com',
            quota_metric: `cloudkms.googleapis.com/${quota.metric}`,
          },
        }),
        any(t.retryInfo, {
          retryDelay: { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1_000_000 },
        }),
      ],
    }),
  );
  const metadata = new Metadata();
  metadata.set('grpc-status-details-bin', Buffer.from(status.finish()));
  return metadata;
}
