/**
 * Namespace / key collection patterns: `*` inside one segment, `**` for whole segments (zero or
 * more), nothing else special; the precedence order used by namespace overrides.
 */
import { isValidPattern } from '@keyplane/engine';
import { NAME_PATTERN, comparePrecedence, compilePattern } from '../../src/policy/patterns';

const matches = (pattern: string, name: string) => compilePattern(pattern).matches(name);

describe('matching', () => {
  test.each([
    ['prod', 'prod', true],
    ['prod', 'prod/a', false],
    ['team-a/*', 'team-a/dev', true],
    ['team-a/*', 'team-a', false],
    ['team-a/*', 'team-a/dev/eu', false],
    ['prod/**', 'prod', true],
    ['prod/**', 'prod/payments', true],
    ['prod/**', 'prod/payments/eu', true],
    ['prod/**', 'production', false],
    ['**/eu', 'eu', true],
    ['**/eu', 'prod/payments/eu', true],
    ['**/eu', 'prod/eu/x', false],
    ['a/**/z', 'a/z', true],
    ['a/**/z', 'a/b/c/z', true],
    ['**', 'anything/at/all', true],
    ['eu-*', 'eu-west-1', true],
    ['eu-*', 'us-east-1', false],
    ['*-prod-*', 'kv-prod-01', true],
    ['*', '', true],
    ['projects/acme/locations/*/keyRings/*', 'projects/acme/locations/eu/keyRings/main', true],
    ['projects/acme/locations/*/keyRings/*', 'projects/other/locations/eu/keyRings/main', false],
    // Regular-expression characters are literal.
    ['a.b', 'axb', false],
    ['a.b', 'a.b', true],
    ['(x)+', '(x)+', true],
    ['Prod', 'prod', false],
  ])('%s ~ %j = %s', (pattern, name, expected) => {
    expect(isValidPattern(pattern)).toBe(true);
    expect(matches(pattern, name)).toBe(expected);
  });

  test('many ** segments stay fast (memoized)', () => {
    const pattern = Array.from({ length: 30 }, () => '**').join('/') + '/x';
    const name = Array.from({ length: 60 }, () => 'a').join('/');
    expect(matches(pattern, name)).toBe(false);
  });
});

describe('validity', () => {
  test.each(['', '/prod', 'prod/', 'a//b', 'a/***', 'a**', '**b', 'a/b**/c', '***'])(
    'refuses %j',
    (pattern) => {
      expect(isValidPattern(pattern)).toBe(false);
      expect(new RegExp(NAME_PATTERN, 'u').test(pattern)).toBe(false);
    },
  );
});

describe('precedence', () => {
  const order = (patterns: string[]) =>
    patterns
      .map(compilePattern)
      .sort(comparePrecedence)
      .map((p) => p.source);

  test('exact beats wildcard; then more literal characters', () => {
    expect(order(['prod/payments', 'prod/**', '**', 'prod/pay*'])).toEqual([
      '**',
      'prod/**',
      'prod/pay*',
      'prod/payments',
    ]);
    // A long pattern still yields to a short exact name.
    expect(order(['prod', 'prod/**/very-long-literal-*'])).toEqual([
      'prod/**/very-long-literal-*',
      'prod',
    ]);
  });
});
