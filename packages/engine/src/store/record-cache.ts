/**
 * The store's read cache: records read outside transactions, by kind → namespace → parent →
 * name. Nested maps keyed by the caller's own strings, so a hit hashes no new string: a joined
 * key was built, flattened, hashed and compared character by character on each of the three
 * reads of every sign (bench/callgrind.ts).
 *
 * @module
 */
import type { StoreRecord } from './contract';

type Level<T> = Map<string, T>;

export class RecordCache {
  private readonly byKind: Level<Level<Level<Level<StoreRecord>>>> = new Map();

  get(kind: string, namespace: string, parent: string, name: string): StoreRecord | undefined {
    return this.byKind.get(kind)?.get(namespace)?.get(parent)?.get(name);
  }

  set(kind: string, namespace: string, parent: string, name: string, record: StoreRecord): void {
    const byNamespace = getOrAdd(this.byKind, kind);
    const byParent = getOrAdd(byNamespace, namespace);
    getOrAdd(byParent, parent).set(name, record);
  }

  clear(): void {
    this.byKind.clear();
  }
}

function getOrAdd<T>(map: Level<Level<T>>, key: string): Level<T> {
  let next = map.get(key);
  if (next === undefined) map.set(key, (next = new Map<string, T>()));
  return next;
}
