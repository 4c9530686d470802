/**
 * Option objects and their defaults. Every optional input property in the engine's API is
 * declared `name?: T | undefined`: leaving it out and passing `undefined` mean the same thing
 * ("use the default"), so callers can forward their own optional values without conditional
 * spreads. `withDefaults` is the one place that turns such an object into a complete one.
 *
 * @module
 */

/** `T` with every property optional and `undefined` accepted as "not given". */
export type OptionsOf<T> = { readonly [K in keyof T]?: T[K] | undefined };

/** `T` with every property present and defined: what {@link withDefaults} returns. */
export type Resolved<T> = { readonly [K in keyof T]-?: Exclude<T[K], undefined> };

/**
 * `defaults` with each property `options` sets to something other than `undefined` replaced.
 * Only the keys of `defaults` are read, so an options object carrying extra properties (a wider
 * config passed through) cannot add keys. Unlike `{ ...defaults, ...options }`, an explicit
 * `undefined` keeps the default instead of erasing it.
 */
export function withDefaults<T extends object>(defaults: T, options: OptionsOf<T> | undefined): T {
  const merged = { ...defaults };
  if (options === undefined) return merged;
  for (const key of Object.keys(defaults) as (keyof T)[]) {
    const value = options[key];
    if (value !== undefined) merged[key] = value;
  }
  return merged;
}

/** `T` with the properties that may be `undefined` made optional instead (absent when unset). */
export type DefinedOnly<T> = {
  [K in keyof T as undefined extends T[K] ? never : K]: T[K];
} & {
  [K in keyof T as undefined extends T[K] ? K : never]?: Exclude<T[K], undefined>;
};

/**
 * A copy of `value` without its `undefined` properties: for handing options to an SDK or
 * writing a record whose optional fields must be absent, not `undefined`, when unset.
 */
export function definedOnly<T extends object>(value: T): DefinedOnly<T> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) if (v !== undefined) out[key] = v;
  return out as DefinedOnly<T>;
}
