/**
 * The shared duration grammar (rotation_period, max_rotation_period): Go/Vault unit spellings,
 * exact seconds, round trips through formatDuration, and refusals naming the field.
 */
import { DURATION_PATTERN, formatDuration, parseDuration } from '@keyplane/engine';
import { expectKeyplaneError } from '../crypto-helpers/expect-error';

describe('parseDuration', () => {
  test.each([
    ['2160h', 2160 * 3600],
    ['90d', 90 * 86_400],
    ['1h30m', 5400],
    ['1d12h', 36 * 3600],
    ['45s', 45],
    ['0h', 0],
    // Go accepts repeated and unordered units; so do we.
    ['30m1h', 5400],
  ])('%s = %i s', (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
  });

  test.each(['', '90', '2160', '1.5h', '1w', '2160H', ' 1h', '1h ', '-1h', 'h', '1hh', '1e3s'])(
    'refuses %j naming the field',
    (text) => {
      const e = expectKeyplaneError(
        () => parseDuration(text, 'rotation_period'),
        'ERR_INVALID_ARGUMENT',
        /^rotation_period '.*' is not a duration; write <number><unit>… with units d, h, m, s/,
      );
      expect(e.field).toBe('rotation_period');
      expect(e.allowed).toEqual(['d', 'h', 'm', 's']);
    },
  );

  test('refuses overlong text without echoing all of it', () => {
    const text = '1h'.repeat(40);
    const e = expectKeyplaneError(() => parseDuration(text), 'ERR_INVALID_ARGUMENT');
    expect(e.message).not.toContain(text);
  });

  test('the largest accepted text is still exact', () => {
    const text = '999999999d'.repeat(6);
    expect(text.length).toBeLessThanOrEqual(64);
    expect(parseDuration(text)).toBe(6 * 999_999_999 * 86_400);
    expect(Number.isSafeInteger(parseDuration(text))).toBe(true);
  });

  test('DURATION_PATTERN agrees with the parser', () => {
    const re = new RegExp(DURATION_PATTERN);
    for (const ok of ['2160h', '1h30m', '0s']) expect(re.test(ok)).toBe(true);
    for (const bad of ['90', '1.5h', '1w']) expect(re.test(bad)).toBe(false);
  });
});

describe('formatDuration', () => {
  test.each([
    [2160 * 3600, '2160h'],
    [5400, '1h30m'],
    [3661, '1h1m1s'],
    [45, '45s'],
    [0, '0s'],
  ])('%i s = %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
    expect(parseDuration(text)).toBe(seconds);
  });

  test.each([-1, 1.5, Number.NaN])('refuses %d', (n) => {
    expectKeyplaneError(() => formatDuration(n), 'ERR_INVALID_ARGUMENT');
  });
});
