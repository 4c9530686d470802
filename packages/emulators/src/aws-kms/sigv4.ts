/**
 * Signature Version 4 verification of requests against the credentials the emulator was
 * started with (https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html,
 * "Elements of an AWS API request signature"): the canonical request is rebuilt from the
 * method, path, query, the signed headers and the SHA-256 of the body actually received, and
 * the signature recomputed with the secret key of the access key named in the credential scope.
 *
 * Hand-written with node:crypto rather than with @smithy/signature-v4: that is the library the
 * AWS SDK signs with, and a verifier sharing the signer's code would accept the signer's bugs.
 *
 * Failures answer as AWS does (recorded): an unknown access key is UnrecognizedClientException
 * "The security token included in the request is invalid.", a wrong signature (wrong secret,
 * altered request) InvalidSignatureException, no signature MissingAuthenticationTokenException.
 *
 * @module
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { kmsError } from './errors';

export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

export interface SignedRequest {
  readonly method: string;
  /** Path and query as received (`req.url`). */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';
const SERVICE = 'kms';
/** Requests signed more than 15 minutes away from the server's clock are refused. */
const MAX_SKEW_MS = 15 * 60_000;

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/;

const sha256Hex = (data: string | Buffer): string =>
  createHash('sha256').update(data).digest('hex');
const hmac = (key: Buffer | string, data: string): Buffer =>
  createHmac('sha256', key).update(data, 'utf8').digest();

const invalidSignature = (): Error =>
  kmsError(
    'InvalidSignatureException',
    'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
  );

/** RFC 3986 unreserved characters stay, everything else is %XX (uppercase), as SigV4 wants. */
const uriEncode = (value: string): string =>
  encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );

function canonicalQuery(search: string): string {
  const params = new URLSearchParams(search);
  return [...params.entries()]
    .map(([k, v]) => [uriEncode(k), uriEncode(v)] as const)
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

/** Each path segment encoded once (non-S3 services encode the already-encoded path again). */
function canonicalPath(pathname: string): string {
  const segments = pathname.split('/').map((s) => uriEncode(uriEncode(decodeURIComponent(s))));
  const path = segments.join('/');
  return path === '' ? '/' : path;
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  if (v === undefined) return undefined;
  return (Array.isArray(v) ? v.join(',') : v).trim().replace(/\s+/g, ' ');
}

/** `20240101T000000Z` → ms. */
function parseAmzDate(value: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (m === null) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return Date.UTC(y, mo - 1, d, h, mi, s);
}

/**
 * Throws the AWS error a request with this signature gets; returns the access key id when the
 * signature is valid for one of `credentials` in `region`.
 */
export function verifySigV4(
  request: SignedRequest,
  credentials: ReadonlyMap<string, string>,
  region: string,
  now: number = Date.now(),
): string {
  const authorization = headerValue(request.headers, 'authorization');
  if (authorization === undefined)
    throw kmsError('MissingAuthenticationTokenException', 'Missing Authentication Token');
  const m = AUTHORIZATION.exec(authorization);
  if (m === null)
    throw kmsError(
      'IncompleteSignatureException',
      `Authorization header requires '${ALGORITHM} Credential=…, SignedHeaders=…, Signature=…'.`,
    );
  const [
    ,
    accessKeyId = '',
    date = '',
    scopeRegion = '',
    service = '',
    signedHeaders = '',
    signature = '',
  ] = m;
  const secret = credentials.get(accessKeyId);
  if (secret === undefined)
    throw kmsError(
      'UnrecognizedClientException',
      'The security token included in the request is invalid.',
    );
  if (scopeRegion !== region)
    throw kmsError(
      'InvalidSignatureException',
      `Credential should be scoped to a valid region, not '${scopeRegion}'. `,
    );
  if (service !== SERVICE)
    throw kmsError(
      'InvalidSignatureException',
      `Credential should be scoped to correct service: '${SERVICE}'. `,
    );
  const amzDate = headerValue(request.headers, 'x-amz-date') ?? '';
  const signedAt = parseAmzDate(amzDate);
  if (signedAt === undefined || !amzDate.startsWith(date)) throw invalidSignature();
  if (Math.abs(now - signedAt) > MAX_SKEW_MS)
    throw kmsError(
      'InvalidSignatureException',
      `Signature expired: ${amzDate} is now earlier or later than 15 minutes from the server's time.`,
    );
  const names = signedHeaders.split(';');
  if (!names.includes('host')) throw invalidSignature();
  const url = new URL(request.url, 'http://emulator.invalid');
  const canonicalRequest = [
    request.method,
    canonicalPath(url.pathname),
    canonicalQuery(url.search),
    ...names.map((n) => `${n}:${headerValue(request.headers, n) ?? ''}`),
    '',
    signedHeaders,
    sha256Hex(request.body),
  ].join('\n');
  const scope = `${date}/${scopeRegion}/${service}/aws4_request`;
  const stringToSign = [ALGORITHM, amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  const signingKey = hmac(
    hmac(hmac(hmac(`AWS4${secret}`, date), scopeRegion), service),
    'aws4_request',
  );
  const expected = hmac(signingKey, stringToSign);
  if (!timingSafeEqual(expected, Buffer.from(signature, 'hex'))) throw invalidSignature();
  return accessKeyId;
}
