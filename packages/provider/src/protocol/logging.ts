/**
 * Provider logs: hclog JSON lines on stderr (`@level`, `@message`, `@timestamp`, `@module`),
 * which go-plugin parses line by line and Terraform shows under TF_LOG / TF_LOG_PROVIDER
 * (hashicorp/go-plugin `client.go` `logStderr`). stdout is reserved for the handshake line.
 *
 * Redaction is applied to every line: a field whose name suggests a secret is replaced, and
 * anything shaped like a PEM private key is cut out of messages and values, so no credential or
 * key material can be logged even by mistake.
 *
 * @module
 */

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';
const ORDER: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error'];

export const REDACTED = '[redacted]';
const SECRET_FIELD =
  /(secret|password|passphrase|pin$|^pin|token|credential|private|_wo$|material|plaintext|api_?key|access_key)/i;
const PEM_PRIVATE =
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g;

export function redactText(text: string): string {
  return text.replace(PEM_PRIVATE, REDACTED);
}

export function redactFields(fields: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (SECRET_FIELD.test(k)) out[k] = REDACTED;
    else if (typeof v === 'string') out[k] = redactText(v);
    else if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      out[k] = redactFields(v as Record<string, unknown>);
    } else out[k] = v;
  }
  return out;
}

/**
 * hclog's time layout `2006-01-02T15:04:05.000000Z07:00`: go-plugin drops a JSON line whose
 * timestamp does not parse with it (then shows it raw at DEBUG), so six fractional digits.
 */
export function hclogTimestamp(d: Date): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export interface Logger {
  readonly level: LogLevel | 'off';
  log(level: LogLevel, message: string, fields?: Readonly<Record<string, unknown>>): void;
  trace(message: string, fields?: Readonly<Record<string, unknown>>): void;
  debug(message: string, fields?: Readonly<Record<string, unknown>>): void;
  info(message: string, fields?: Readonly<Record<string, unknown>>): void;
  warn(message: string, fields?: Readonly<Record<string, unknown>>): void;
  error(message: string, fields?: Readonly<Record<string, unknown>>): void;
}

/** TF_LOG_PROVIDER, else TF_LOG (as terraform-plugin-log reads them); `JSON` means trace. */
export function levelFromEnv(env: NodeJS.ProcessEnv): LogLevel | 'off' {
  const raw = (env.TF_LOG_PROVIDER ?? env.TF_LOG ?? '').trim().toLowerCase();
  if (raw === 'json') return 'trace';
  return (ORDER as readonly string[]).includes(raw) ? (raw as LogLevel) : 'off';
}

export function createLogger(
  write: (line: string) => void,
  level: LogLevel | 'off',
  module = 'provider.terraform-provider-keyplane',
): Logger {
  const min = level === 'off' ? ORDER.length : ORDER.indexOf(level);
  const log = (lvl: LogLevel, message: string, fields: Readonly<Record<string, unknown>> = {}) => {
    if (ORDER.indexOf(lvl) < min) return;
    const line = {
      '@level': lvl,
      '@message': redactText(message),
      '@module': module,
      '@timestamp': hclogTimestamp(new Date()),
      ...redactFields(fields),
    };
    write(`${JSON.stringify(line)}\n`);
  };
  return {
    level,
    log,
    trace: (m, f) => {
      log('trace', m, f);
    },
    debug: (m, f) => {
      log('debug', m, f);
    },
    info: (m, f) => {
      log('info', m, f);
    },
    warn: (m, f) => {
      log('warn', m, f);
    },
    error: (m, f) => {
      log('error', m, f);
    },
  };
}

export function stderrLogger(env: NodeJS.ProcessEnv = process.env): Logger {
  return createLogger((line) => process.stderr.write(line), levelFromEnv(env));
}
