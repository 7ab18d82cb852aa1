/**
 * Results of pure functions of a string (a `$ref`, a description), kept so that the many reads
 * of one document's strings compute each once. Bounded: no document can grow one without limit.
 */
export class Remembered<T> {
  readonly #known = new Map<string, T>();

  constructor(readonly limit = 50_000) {}

  /** `compute()`'s value for `key`, computed the first time (a throw is not kept). */
  get(key: string, compute: () => T): T {
    const known = this.#known.get(key);
    if (known !== undefined) return known;
    const value = compute();
    if (this.#known.size >= this.limit) this.#known.clear();
    this.#known.set(key, value);
    return value;
  }
}
