/**
 * Results of a pure computation, keyed by a string that determines them. Bounded: once `limit`
 * keys are held the cache starts over, so a long-running process (an editor, a search) cannot
 * grow it without end.
 */
export class BoundedCache<V> {
  private readonly entries = new Map<string, V>();

  constructor(private readonly limit: number) {}

  /** The value for `key`, computed by `compute` the first time it is asked for. */
  get(key: string, compute: () => V): V {
    const known = this.entries.get(key);
    if (known !== undefined) return known;
    if (this.entries.size >= this.limit) this.entries.clear();
    const value = compute();
    this.entries.set(key, value);
    return value;
  }
}

/** A number as a cache key part: exact (`String` round-trips doubles) and keeps -0 apart from 0. */
export function numberKey(n: number): string {
  return Object.is(n, -0) ? "-0" : String(n);
}
