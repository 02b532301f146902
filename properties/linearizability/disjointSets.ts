/**
 * Disjoint sets of string keys (union-find with path halving and union by
 * size), for grouping operations that share a provider or consumer.
 */
export class DisjointSets {
  private readonly parents = new Map<string, string>();
  private readonly sizes = new Map<string, number>();

  /** The representative of the key's set; adds the key as a singleton if new. */
  find(key: string): string {
    if (!this.parents.has(key)) {
      this.parents.set(key, key);
      this.sizes.set(key, 1);
      return key;
    }
    let current = key;
    // Each step moves up the tree, whose height is at most log2 of the number of keys.
    for (;;) {
      const parent = this.parents.get(current) ?? current;
      if (parent === current) return current;
      const grandparent = this.parents.get(parent) ?? parent;
      this.parents.set(current, grandparent);
      current = grandparent;
    }
  }

  union(left: string, right: string): void {
    const leftRoot = this.find(left);
    const rightRoot = this.find(right);
    if (leftRoot === rightRoot) return;
    const leftSize = this.sizes.get(leftRoot) ?? 1;
    const rightSize = this.sizes.get(rightRoot) ?? 1;
    const [small, large] = leftSize < rightSize ? [leftRoot, rightRoot] : [rightRoot, leftRoot];
    this.parents.set(small, large);
    this.sizes.set(large, leftSize + rightSize);
  }

  /** Joins every key of the list into one set. */
  unionAll(keys: readonly string[]): void {
    const [first, ...rest] = keys;
    if (first === undefined) return;
    for (const key of rest) this.union(first, key);
  }
}
