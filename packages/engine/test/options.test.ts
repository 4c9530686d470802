import { definedOnly, withDefaults } from '../src/options';

describe('withDefaults', () => {
  const defaults = { attempts: 5, delayMs: 100, name: 'x' };

  it('keeps a default when the option is undefined (unlike an object spread)', () => {
    expect({ ...defaults, ...{ attempts: undefined } }.attempts).toBeUndefined();
    expect(withDefaults(defaults, { attempts: undefined, delayMs: 7 })).toStrictEqual({
      attempts: 5,
      delayMs: 7,
      name: 'x',
    });
  });

  it('takes falsy values that are not undefined, ignores keys the defaults lack', () => {
    const wider = { attempts: 0, name: '', extra: 'ignored' };
    expect(withDefaults(defaults, wider)).toStrictEqual({ attempts: 0, delayMs: 100, name: '' });
  });

  it('returns a copy of the defaults for no options, never the defaults object itself', () => {
    const merged = withDefaults(defaults, undefined);
    expect(merged).toStrictEqual(defaults);
    expect(merged).not.toBe(defaults);
  });
});

describe('definedOnly', () => {
  it('drops undefined properties so they are absent, keeps null and falsy values', () => {
    const out = definedOnly({ a: 1, b: undefined, c: null, d: 0, e: '' });
    expect(out).toStrictEqual({ a: 1, c: null, d: 0, e: '' });
    expect(Object.keys(out)).not.toContain('b');
  });
});
