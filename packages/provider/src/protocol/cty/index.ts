/**
 * The cty value layer: types, exact numbers, unknowns, paths, msgpack and JSON codecs.
 *
 * @module
 */
export * from './types';
export * from './number';
export * from './values';
export * from './path';
export * from './msgpack';
export * from './json';
