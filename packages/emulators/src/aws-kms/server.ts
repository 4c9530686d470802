/**
 * HTTP front of the AWS KMS emulator: `POST /` with `X-Amz-Target: TrentService.<Operation>` and
 * an `application/x-amz-json-1.1` body (AWS JSON 1.1 protocol), errors as `{"__type","message"}`
 * with 400/500. Per request, in this order: control endpoint (`/_keyplane/…`), SigV4
 * verification against the configured credentials (sigv4.ts), operation lookup, injected
 * faults, quotas, the operation.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { keepIdleConnections } from '../common/keep-alive';
import { handleControl } from '../common/control';
import type { FaultInjector } from '../common/faults';
import type { RateLimiter } from '../common/rate-limiter';
import { kmsError, toWireError, type KmsError } from './errors';
import * as aliasesTags from './operations-aliases-tags';
import * as crypto from './operations-crypto';
import * as dataKeys from './operations-data-keys';
import * as imports from './operations-import';
import * as lifecycle from './operations-lifecycle';
import * as rotation from './operations-rotation';
import { quotaGroups } from './quotas';
import type { Json, Operation } from './request';
import { verifySigV4 } from './sigv4';
import type { KmsStore } from './store';

const TARGET_PREFIX = 'TrentService.';
const CONTENT_TYPE = 'application/x-amz-json-1.1';
/** KMS blobs are at most a few KiB; anything this large is not a KMS request. */
const MAX_BODY_BYTES = 1024 * 1024;

/** Every implemented operation, listed explicitly so helpers exported by a module never become routes. */
const OPERATIONS: Readonly<Record<string, Operation>> = {
  CreateKey: lifecycle.CreateKey,
  DescribeKey: lifecycle.DescribeKey,
  ListKeys: lifecycle.ListKeys,
  UpdateKeyDescription: lifecycle.UpdateKeyDescription,
  EnableKey: lifecycle.EnableKey,
  DisableKey: lifecycle.DisableKey,
  ScheduleKeyDeletion: lifecycle.ScheduleKeyDeletion,
  CancelKeyDeletion: lifecycle.CancelKeyDeletion,
  CreateAlias: aliasesTags.CreateAlias,
  UpdateAlias: aliasesTags.UpdateAlias,
  DeleteAlias: aliasesTags.DeleteAlias,
  ListAliases: aliasesTags.ListAliases,
  TagResource: aliasesTags.TagResource,
  UntagResource: aliasesTags.UntagResource,
  ListResourceTags: aliasesTags.ListResourceTags,
  GetParametersForImport: imports.GetParametersForImport,
  ImportKeyMaterial: imports.ImportKeyMaterial,
  DeleteImportedKeyMaterial: imports.DeleteImportedKeyMaterial,
  RotateKeyOnDemand: rotation.RotateKeyOnDemand,
  ListKeyRotations: rotation.ListKeyRotations,
  Encrypt: crypto.Encrypt,
  GenerateDataKey: dataKeys.GenerateDataKey,
  GenerateDataKeyWithoutPlaintext: dataKeys.GenerateDataKeyWithoutPlaintext,
  ReEncrypt: dataKeys.ReEncrypt,
  GenerateRandom: dataKeys.GenerateRandom,
  Decrypt: crypto.Decrypt,
  Sign: crypto.Sign,
  Verify: crypto.Verify,
  GetPublicKey: crypto.GetPublicKey,
  GenerateMac: crypto.GenerateMac,
  VerifyMac: crypto.VerifyMac,
};

/** The operation names fault rules may name. */
export const AWS_KMS_OPERATION_NAMES: readonly string[] = Object.keys(OPERATIONS);

export interface ServerDeps {
  readonly store: KmsStore;
  /** Access key id → secret access key: the only credentials whose signatures are accepted. */
  readonly credentials: ReadonlyMap<string, string>;
  readonly faults: FaultInjector;
  readonly quotas: RateLimiter;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': CONTENT_TYPE,
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
  });
  res.end(text);
}

function sendError(res: ServerResponse, e: unknown): void {
  const { status, body } = toWireError(e);
  send(res, status, body);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY_BYTES) throw kmsError('ValidationException', 'Request body is too large');
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

function parseBody(text: string): Json {
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw kmsError('SerializationException', 'Request body is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw kmsError('SerializationException', 'Request body must be a JSON object');
  return parsed as Json;
}

function operationOf(req: IncomingMessage): { name: string; run: Operation } {
  const target = req.headers['x-amz-target'];
  const value = Array.isArray(target) ? target[0] : target;
  const name = value?.startsWith(TARGET_PREFIX) === true ? value.slice(TARGET_PREFIX.length) : '';
  const run = Object.hasOwn(OPERATIONS, name) ? OPERATIONS[name] : undefined;
  if (req.method !== 'POST' || run === undefined)
    throw kmsError(
      'UnknownOperationException',
      `Unknown operation ${req.method ?? ''} ${req.url ?? ''} X-Amz-Target: ${value ?? '(none)'}`,
    );
  return { name, run };
}

const sleep = (ms: number, _value?: undefined, options?: { ref: boolean }): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    if (options?.ref === false) timer.unref();
  });

const throttled = (): KmsError =>
  kmsError(
    'ThrottlingException',
    'You have exceeded the rate at which you may call KMS. Reduce the frequency of your calls.',
  );

async function handle(req: IncomingMessage, res: ServerResponse, deps: ServerDeps): Promise<void> {
  if (await handleControl(req, res, deps)) return;
  const raw = await readBody(req);
  verifySigV4(
    { method: req.method ?? '', url: req.url ?? '/', headers: req.headers, body: raw },
    deps.credentials,
    deps.store.region,
  );
  const op = operationOf(req);
  const body = parseBody(raw.toString('utf8'));

  const fault = deps.faults.decide(op.name);
  // Unref: a request held by a latency fault must not keep a test process alive after close.
  if (fault.latencyMs > 0) await sleep(fault.latencyMs, undefined, { ref: false });
  if (fault.action === 'drop') {
    // No answer at all: the client sees a reset connection, as with a network failure.
    req.socket.destroy();
    return;
  }
  if (fault.action === 'error')
    throw kmsError('KMSInternalException', `Injected fault for ${op.name} (Keyplane emulator)`);

  deps.store.sweep();
  for (const group of quotaGroups(op.name, body, deps.store))
    if (!deps.quotas.take(group).allowed) throw throttled();

  send(res, 200, await op.run(deps.store, body));
}

export function createKmsServer(deps: ServerDeps): Server {
  return keepIdleConnections(
    createServer((req, res) => {
      handle(req, res, deps).catch((e: unknown) => {
        if (!res.headersSent && !res.destroyed) sendError(res, e);
      });
    }),
  );
}
