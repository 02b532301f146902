/**
 * A provider's per-resource-class values (its inventories, its usages): a
 * handful of entries, kept as two parallel arrays in insertion order.
 *
 * With so few keys a linear scan beats hashing, and a change copies two
 * short arrays where a native Map copy costs several times more. Updates
 * return a new map; the old one is never changed (states are shared).
 * Reads look like a ReadonlyMap's, so callers iterate it the same way.
 */
/**
 * An empty array with generic elements, the kind every other names and
 * items array ends up with. A literal `[]` would have small-integer
 * elements, so the hot loops over names and items would meet two array
 * shapes (every round of allocations starts from empty usages) and the
 * engine would drop their optimized code when the second one shows up.
 */
function emptyGenericArray(): never[] {
  const array: unknown[] = [null];
  array.pop();
  return array as never[];
}

export class ClassMap<V> implements ReadonlyMap<string, V> {
  private static readonly EMPTY = new ClassMap<never>(emptyGenericArray(), emptyGenericArray());

  /** Resource class names, in the order they were added. */
  declare readonly names: readonly string[];
  /** `items[i]` belongs to `names[i]`. */
  declare readonly items: readonly V[];

  /** Fields assigned here rather than as parameter properties: those compile to class fields, an initializer call per map. */
  private constructor(names: readonly string[], items: readonly V[]) {
    this.names = names;
    this.items = items;
  }

  static empty<V>(): ClassMap<V> {
    return ClassMap.EMPTY;
  }

  /** Later entries with the same name replace earlier ones in place, as `new Map(entries)` does. */
  static of<V>(entries: Iterable<readonly [string, V]>): ClassMap<V> {
    const names: string[] = [];
    const items: V[] = [];
    for (const [name, item] of entries) {
      const position = names.indexOf(name);
      if (position >= 0) {
        items[position] = item;
      } else {
        names.push(name);
        items.push(item);
      }
    }
    return names.length === 0 ? ClassMap.empty() : new ClassMap(names, items);
  }

  /** A map of names known to be distinct, taking ownership of the arrays (the caller must not change them). */
  static ofDistinct<V>(names: readonly string[], items: readonly V[]): ClassMap<V> {
    return names.length === 0 ? ClassMap.empty() : new ClassMap(names, items);
  }

  get size(): number {
    return this.names.length;
  }

  get(name: string): V | undefined {
    const position = this.positionOf(name);
    return position < 0 ? undefined : this.items[position];
  }

  has(name: string): boolean {
    return this.positionOf(name) >= 0;
  }

  /**
   * Where `name` sits, or -1. A plain loop rather than `indexOf`: for a
   * handful of names the engine inlines it, where `indexOf` is a call.
   */
  positionOf(name: string): number {
    const { names } = this;
    for (let index = 0; index < names.length; index += 1) if (names[index] === name) return index;
    return -1;
  }

  /** The map with `name` set: in place if present, appended otherwise. */
  with(name: string, item: V): ClassMap<V> {
    const position = this.positionOf(name);
    if (position < 0) return new ClassMap([...this.names, name], [...this.items, item]);
    const items = this.items.slice();
    items[position] = item;
    return new ClassMap(this.names, items);
  }

  /** The map without `name`; the later entries keep their order. */
  without(name: string): ClassMap<V> {
    const position = this.positionOf(name);
    if (position < 0) return this;
    if (this.names.length === 1) return ClassMap.empty();
    return new ClassMap(
      this.names.filter((_, index) => index !== position),
      this.items.filter((_, index) => index !== position),
    );
  }

  keys(): IterableIterator<string> {
    return this.names.values();
  }

  values(): IterableIterator<V> {
    return this.items.values();
  }

  entries(): IterableIterator<[string, V]> {
    return this.names.map((name, index): [string, V] => [name, this.items[index] as V]).values();
  }

  [Symbol.iterator](): IterableIterator<[string, V]> {
    return this.entries();
  }

  forEach(callback: (item: V, name: string, map: ReadonlyMap<string, V>) => void): void {
    this.names.forEach((name, index) => callback(this.items[index] as V, name, this));
  }
}
