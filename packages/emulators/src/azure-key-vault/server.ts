/**
 * The HTTPS front door. Per request, in this order:
 *
 * 1. `/_keyplane/…` control calls (faults, quotas, health) — no auth, shared handler.
 * 2. Bearer challenge: without `Authorization: Bearer …` the answer is 401 with
 *    `WWW-Authenticate: Bearer authorization="…/<tenant>", resource="https://vault.azure.net"`
 *    (a Managed HSM names `https://managedhsm.azure.net` and sends no body, as recorded), so
 *    the SDK asks its credential for a token of the right scope. The SDK's first request of
 *    every client is sent this way on purpose (body stripped), and it replays with a token
 *    from the challenge. Any token is accepted.
 * 3. `api-version` must be present (the SDK sends the key as `api%2Dversion`, which
 *    URLSearchParams decodes); any value is accepted.
 * 4. Route match, then fault injection for the operation (latency, 503, dropped socket).
 * 5. The handler; quotas are charged inside it once the key (and so its quota group) is known.
 *
 * Unauthenticated probes never count against faults or quotas, so a test's `times: N` means N
 * real calls.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import { handleControl, type Controls } from '../common/control';
import { keepIdleConnections } from '../common/keep-alive';
import type { OperationContext, Service } from './context';
import { isObject, type Json } from './encoding';
import { VaultError, badParameter, operationNotSpecified, throttled, unauthorized } from './errors';
import { matchRoute, namesNoKey } from './routes';
import type { KeyStore } from './store';
import type { TlsMaterial } from './tls';

export interface VaultServerOptions {
  readonly store: KeyStore;
  readonly service: Service;
  readonly controls: Controls;
  readonly tls: TlsMaterial;
  /** Tenant named in the challenge's authorization URI (the SDK passes it to getToken). */
  readonly tenantId: string;
  /** The port actually bound, known once listening; used to recognise this vault's kids. */
  readonly port: () => number;
}

/** The token audience each service names in its 401 challenge. */
const CHALLENGE_RESOURCE: Readonly<Record<Service, string>> = {
  vault: 'https://vault.azure.net',
  'managed-hsm': 'https://managedhsm.azure.net',
};

/** Requests larger than this are refused; real key operations carry a few KB at most. */
const MAX_BODY_BYTES = 1024 * 1024;
const HOST_PATTERN = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

function send(
  res: ServerResponse,
  status: number,
  body?: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  const payload = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    ...(body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' }),
    'content-length': Buffer.byteLength(payload),
    'x-ms-request-id': randomUUID(),
    ...headers,
  });
  res.end(payload);
}

async function readBody(req: IncomingMessage): Promise<Json> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw badParameter('The request body is too large');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw badParameter('The request body is not valid JSON');
  }
  if (!isObject(parsed)) throw badParameter('The request body must be a JSON object');
  return parsed;
}

const hasBearerToken = (req: IncomingMessage): boolean =>
  /^Bearer\s+\S+/i.test(req.headers.authorization ?? '');

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  options: VaultServerOptions,
): Promise<void> {
  if (await handleControl(req, res, options.controls)) return;
  if (!hasBearerToken(req)) {
    req.resume();
    const challenge =
      `Bearer authorization="https://login.microsoftonline.com/${options.tenantId}", ` +
      `resource="${CHALLENGE_RESOURCE[options.service]}"`;
    const error = unauthorized();
    send(res, error.status, options.service === 'vault' ? error.body : undefined, {
      'www-authenticate': challenge,
    });
    return;
  }
  const url = new URL(req.url ?? '/', 'https://emulator.invalid');
  if (!url.searchParams.get('api-version')) {
    req.resume();
    throw badParameter('The api-version query parameter is missing or empty');
  }
  const match = matchRoute(req.method ?? 'GET', url.pathname);
  if (match === undefined) {
    req.resume();
    if (namesNoKey(url.pathname)) throw operationNotSpecified();
    throw new VaultError(404, 'NotFound', `No operation ${req.method ?? ''} ${url.pathname}`);
  }

  const fault = options.controls.faults.decide(match.operation);
  // Unref: a request held by a latency fault must not keep a test process alive after close.
  if (fault.latencyMs > 0) await sleep(fault.latencyMs, undefined, { ref: false });
  if (fault.action === 'drop') {
    req.socket.destroy();
    return;
  }
  if (fault.action === 'error') {
    req.resume();
    throw new VaultError(
      503,
      'ServiceUnavailable',
      'The service is temporarily unavailable (injected fault)',
    );
  }

  const body = await readBody(req);
  const port = options.port();
  const host = HOST_PATTERN.test(req.headers.host ?? '')
    ? (req.headers.host ?? '')
    : `127.0.0.1:${port}`;
  const ctx: OperationContext = {
    store: options.store,
    service: options.service,
    baseUrl: `https://${host}`,
    query: url.searchParams,
    charge: (group) => {
      const decision = options.controls.quotas.take(group);
      if (!decision.allowed) throw throttled(decision.retryAfterSeconds);
    },
    isThisVault: (kid) =>
      kid.protocol === 'https:' &&
      kid.port === String(port) &&
      ['127.0.0.1', 'localhost', host.replace(/:\d+$/, '')].includes(kid.hostname),
  };
  const result = await match.handler(ctx, match.params, body);
  send(res, result.status, result.body);
}

export function createVaultServer(options: VaultServerOptions): Server {
  return keepIdleConnections(
    createServer({ key: options.tls.keyPem, cert: options.tls.certPem }, (req, res) => {
      handle(req, res, options).catch((e: unknown) => {
        if (res.headersSent || res.destroyed) return;
        if (e instanceof VaultError) send(res, e.status, e.body, e.headers);
        else
          send(res, 500, { error: { code: 'InternalServerError', message: (e as Error).message } });
      });
    }),
  );
}
