/**
 * Paging, filtering and ordering for the List* calls. Page tokens are opaque to clients; here
 * they are base64url JSON `{parent, offset}` so a token from another collection is refused
 * (INVALID_ARGUMENT, like the service). Filters support the single-clause subset of
 * https://google.aip.dev/160 that key management code uses (`state=ENABLED`,
 * `labels.env=prod`, `purpose!=MAC`, `name:foo`); anything richer is refused clearly rather
 * than silently ignored.
 *
 * @module
 */
import { invalidArgument } from './errors';

export interface ListRequest {
  readonly parent: string;
  readonly pageSize: number;
  readonly pageToken: string;
  readonly filter?: string;
  readonly orderBy?: string;
}

export interface Page<T> {
  readonly items: T[];
  readonly nextPageToken: string;
  readonly totalSize: number;
}

const MAX_PAGE_SIZE = 1000;

const snakeToCamel = (s: string): string =>
  s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** Reads a dotted field path (`labels.env`, `version_template.algorithm`) from a view. */
function fieldOf(item: object, path: string): string | undefined {
  let value: unknown = item;
  for (const part of path.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    const record = value as Record<string, unknown>;
    value = part in record ? record[part] : record[snakeToCamel(part)];
  }
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : undefined;
}

const CLAUSE = /^\s*([A-Za-z_][\w.]*)\s*(!=|=|:)\s*"?([^"]*?)"?\s*$/;

function applyFilter<T extends object>(items: T[], filter: string): T[] {
  if (filter.trim() === '') return items;
  const m = CLAUSE.exec(filter);
  if (m?.[1] === undefined || m[2] === undefined || m[3] === undefined)
    throw invalidArgument(
      `Filter "${filter}" is not supported by the emulator: use one clause such as state=ENABLED.`,
    );
  const [, path, op, expected] = m;
  return items.filter((item) => {
    const actual = fieldOf(item, path);
    if (op === '=') return actual === expected;
    if (op === '!=') return actual !== expected;
    return actual?.includes(expected) ?? false;
  });
}

function applyOrder<T extends object>(items: T[], orderBy: string): T[] {
  if (orderBy.trim() === '') return items;
  const m = /^\s*([A-Za-z_][\w.]*)(\s+(asc|desc))?\s*$/.exec(orderBy);
  if (m?.[1] === undefined)
    throw invalidArgument(`order_by "${orderBy}" is not supported: use "<field> [asc|desc]".`);
  const path = m[1];
  const sign = m[3] === 'desc' ? -1 : 1;
  return [...items].sort(
    (a, b) => sign * (fieldOf(a, path) ?? '').localeCompare(fieldOf(b, path) ?? ''),
  );
}

function decodeToken(token: string, parent: string): number {
  if (token === '') return 0;
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {
      parent?: unknown;
      offset?: unknown;
    };
    if (parsed.parent === parent && typeof parsed.offset === 'number' && parsed.offset >= 0)
      return parsed.offset;
  } catch {
    // fall through to the error below
  }
  throw invalidArgument(`Invalid page_token "${token}".`);
}

/** Filters, orders and pages `views` (proto-shaped objects) for a List* request. */
export function paginate<T extends object>(views: T[], req: ListRequest): Page<T> {
  if (req.pageSize < 0) throw invalidArgument('page_size must not be negative.');
  const size = req.pageSize === 0 ? MAX_PAGE_SIZE : Math.min(req.pageSize, MAX_PAGE_SIZE);
  const all = applyOrder(applyFilter(views, req.filter ?? ''), req.orderBy ?? '');
  const offset = decodeToken(req.pageToken, req.parent);
  const items = all.slice(offset, offset + size);
  const next = offset + size;
  return {
    items,
    nextPageToken:
      next < all.length
        ? Buffer.from(JSON.stringify({ parent: req.parent, offset: next })).toString('base64url')
        : '',
    totalSize: all.length,
  };
}
