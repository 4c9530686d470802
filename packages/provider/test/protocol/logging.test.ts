/**
 * Provider logs are hclog JSON lines, filtered by TF_LOG_PROVIDER / TF_LOG, and redacted: no
 * secret-named field and no PEM private key survives into a line.
 */
import { createLogger, redactText } from 'terraform-provider-keyplane';
import { levelFromEnv } from '../../src/protocol/logging';

const PRIVATE_PEM = [
  '-----BEGIN',
  'PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END',
  'PRIVATE KEY-----',
].join(' ');

it('writes hclog JSON with level, message, module and timestamp', () => {
  const lines: string[] = [];
  const log = createLogger((l) => lines.push(l), 'debug');
  log.trace('not shown');
  log.info('configured', { namespace: 'root' });
  expect(lines).toHaveLength(1);
  const entry = JSON.parse(lines[0] ?? '') as Record<string, unknown>;
  expect(entry).toMatchObject({
    '@level': 'info',
    '@message': 'configured',
    '@module': 'provider.terraform-provider-keyplane',
    namespace: 'root',
  });
  expect(new Date(String(entry['@timestamp'])).getTime()).not.toBeNaN();
});

it('redacts secret fields and private keys anywhere in a line', () => {
  const lines: string[] = [];
  const log = createLogger((l) => lines.push(l), 'trace');
  log.error(`failed with ${PRIVATE_PEM} inside`, {
    client_secret: 'hunter2',
    credentials_wo: { a: 'b' },
    nested: { pin: '1234', note: PRIVATE_PEM },
    ok: 'visible',
  });
  const text = lines.join('');
  expect(text).not.toContain('hunter2');
  expect(text).not.toContain('1234');
  expect(text).not.toContain('MIIEvQIBADANBgkqhkiG9w0BAQEFAASC');
  expect(text).toContain('visible');
  expect(redactText(`x ${PRIVATE_PEM} y`)).toBe('x [redacted] y');
});

it('takes the level from TF_LOG_PROVIDER, then TF_LOG', () => {
  expect(levelFromEnv({ TF_LOG: 'DEBUG' })).toBe('debug');
  expect(levelFromEnv({ TF_LOG: 'DEBUG', TF_LOG_PROVIDER: 'error' })).toBe('error');
  expect(levelFromEnv({ TF_LOG: 'json' })).toBe('trace');
  expect(levelFromEnv({})).toBe('off');
});
