/**
 * Shared run-time controls every emulator exposes on its own port under `/_keyplane/…`:
 * `GET|PUT /_keyplane/faults`, `GET|PUT /_keyplane/quotas`, `GET /_keyplane/usage` (requests
 * admitted per quota group), `GET /_keyplane/health`.
 * (The GCP emulator speaks gRPC only, so it serves these on a small side HTTP port.)
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultInjector, FaultTable } from './faults';
import type { QuotaTable, RateLimiter } from './rate-limiter';
import { ControlTableError } from './table-error';

export interface Controls {
  readonly faults: FaultInjector;
  readonly quotas: RateLimiter;
}

export const CONTROL_PREFIX = '/_keyplane/';

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as unknown;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** Handles a control request; returns false when the path is not a control path. */
export async function handleControl(
  req: IncomingMessage,
  res: ServerResponse,
  controls: Controls,
): Promise<boolean> {
  const path = (req.url ?? '').split('?')[0] ?? '';
  if (!path.startsWith(CONTROL_PREFIX)) return false;
  const what = path.slice(CONTROL_PREFIX.length);
  try {
    if (what === 'health') send(res, 200, { ok: true });
    else if (what === 'faults' && req.method === 'GET') send(res, 200, controls.faults.table);
    else if (what === 'faults' && req.method === 'PUT') {
      controls.faults.configure((await readJson(req)) as FaultTable);
      send(res, 200, controls.faults.table);
    } else if (what === 'quotas' && req.method === 'GET') send(res, 200, controls.quotas.table);
    else if (what === 'quotas' && req.method === 'PUT') {
      controls.quotas.configure((await readJson(req)) as QuotaTable);
      send(res, 200, controls.quotas.table);
    } else if (what === 'usage' && req.method === 'GET') send(res, 200, controls.quotas.usage());
    else send(res, 404, { error: `unknown control ${req.method ?? ''} ${path}` });
  } catch (e) {
    // A refused table names its field (ControlTableError): say which, so scripts can point at it.
    const field = e instanceof ControlTableError ? { field: e.field } : {};
    send(res, 400, { error: (e as Error).message, ...field });
  }
  return true;
}
