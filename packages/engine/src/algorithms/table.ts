/**
 * Null-prototype lookup tables. A name coming from user input must never resolve to
 * `Object.prototype` members (`toString`, `constructor`, …), so every table goes through here.
 */
export function table<K extends string, V>(rows: Record<K, V>): Readonly<Record<K, V>> {
  return Object.freeze(Object.assign(Object.create(null) as Record<K, V>, rows));
}

/** Own-key lookup in a table built by {@link table}. */
export function lookup<K extends string, V>(
  rows: Readonly<Record<K, V>>,
  name: string,
): V | undefined {
  return Object.prototype.hasOwnProperty.call(rows, name) ? rows[name as K] : undefined;
}

/** The table's keys, in declaration order. */
export function names<K extends string>(rows: Readonly<Record<K, unknown>>): K[] {
  return Object.keys(rows) as K[];
}
