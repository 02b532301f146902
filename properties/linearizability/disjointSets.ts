/**
 * Disjoint sets of small non-negative integers (union-find with path
 * halving and union by size), for grouping operations that share an entity.
 * Entities are numbered first (`partition.ts`), so that the sets work on
 * plain arrays rather than on maps of strings.
 */
export class DisjointSets {
  private readonly parents: number[] = [];
  private readonly sizes: number[] = [];

  /** The representative of the element's set; elements not seen yet are singletons. */
  find(element: number): number {
    this.include(element);
    let current = element;
    // Each step moves up the tree, whose height is at most log2 of the number of elements.
    for (;;) {
      const parent = this.parents[current] ?? current;
      if (parent === current) return current;
      const grandparent = this.parents[parent] ?? parent;
      this.parents[current] = grandparent;
      current = grandparent;
    }
  }

  union(left: number, right: number): void {
    const leftRoot = this.find(left);
    const rightRoot = this.find(right);
    if (leftRoot === rightRoot) return;
    const leftSize = this.sizes[leftRoot] ?? 1;
    const rightSize = this.sizes[rightRoot] ?? 1;
    const small = leftSize < rightSize ? leftRoot : rightRoot;
    const large = small === leftRoot ? rightRoot : leftRoot;
    this.parents[small] = large;
    this.sizes[large] = leftSize + rightSize;
  }

  /** Joins every element of the list into one set. */
  unionAll(elements: readonly number[]): void {
    const first = elements[0];
    if (first === undefined) return;
    for (let index = 1; index < elements.length; index += 1) this.union(first, elements[index] ?? first);
  }

  /** Makes every element up to `element` a member, in order, so the arrays stay packed. */
  private include(element: number): void {
    if (!Number.isInteger(element) || element < 0) throw new Error(`not a set element: ${element}`);
    for (let next = this.parents.length; next <= element; next += 1) {
      this.parents.push(next);
      this.sizes.push(1);
    }
  }
}
