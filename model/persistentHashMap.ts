/**
 * A persistent map from strings to values: every update returns a new map
 * that shares all but one path of small nodes with the old one, so old
 * states stay valid and cheap to keep (the linearizability checker keeps
 * thousands).
 *
 * It replaces immutable.js's Map for the model's consumers and iterates in
 * exactly the order that Map did, because that order reaches responses
 * (GET /resource_providers/{uuid}/allocations lists consumers in it):
 *   - up to 8 entries, until the map first grows past 8, entries sit in an
 *     array in insertion order, a removal moving the last entry into the gap;
 *   - after that (until the map is empty again) entries are ordered by their
 *     hash, 5 bits at a time from the lowest, in a trie of bitmap-indexed
 *     nodes; keys whose whole hash collides keep insertion order, a removal
 *     again moving the last into the gap.
 * The hash is immutable.js's string hash (Java's), so the orders agree.
 * What it does better: its hash cache is a native Map with room for many
 * more keys (immutable.js keeps 255 in an object and wipes them when full,
 * so with a few hundred live consumers nearly every lookup missed it), and
 * it has no generic key or ownership machinery.
 */

import { internalized } from './internalized.ts';

/** Above this many entries the array form becomes a trie (immutable.js's MAX_ARRAY_MAP_SIZE). */
const ARRAY_ENTRIES_MAX = 8;
const BITS = 5;
const MASK = 31;

/**
 * The entries of an empty map, with generic elements like every other
 * entries array: a literal `[]` would have small-integer elements, and the
 * code that reads entries would meet a second array shape at the first
 * insert into an empty map (once per benchmark round) and lose its
 * optimized code.
 */
const NO_ENTRIES: readonly Leaf<never>[] = emptyGenericArray();

function emptyGenericArray(): never[] {
  const array: unknown[] = [null];
  array.pop();
  return array as never[];
}

/**
 * A key with its hash, and the one copy of its text that leaves store (see
 * internalized.ts). Exported for callers that look a key up and then
 * update it: they hash it once (`mapKey`, `getByKey`, `setByKey`).
 */
export interface HashedKey {
  readonly hash: number;
  readonly key: string;
}

/**
 * Keys already hashed. Computing a hash walks the 36 characters of a uuid;
 * the engine's own Map finds a string it has seen for less. And since every
 * leaf stores the canonical copy kept here, the comparison of a looked-up
 * key with a leaf's is a pointer comparison. A memo of pure functions, so
 * invisible to callers (a leaf keeps a key from before a wipe: comparing
 * it is merely slower); wiped when full so that it stays bounded. Keys are
 * mostly one run's uuids: a few dozen runs' worth is all that pays.
 */
const hashedKeys = new Map<string, HashedKey>();
const HASHED_KEYS_MAX = 1_024;

function hashedKey(key: string): HashedKey {
  const known = hashedKeys.get(key);
  if (known !== undefined) return known;
  const canonical = internalized(key);
  const hashed: HashedKey = { hash: javaStringHash(canonical), key: canonical };
  if (hashedKeys.size >= HASHED_KEYS_MAX) hashedKeys.clear();
  hashedKeys.set(canonical, hashed);
  return hashed;
}

/** The key for `getByKey`, `setByKey` and `deleteByKey`. */
export function mapKey(text: string): HashedKey {
  return hashedKey(text);
}

/** immutable.js's `hash` of a string: Java's hashCode, its top bits folded into a small integer. */
export function stringHash(key: string): number {
  return hashedKey(key).hash;
}

function javaStringHash(key: string): number {
  let hashed = 0;
  for (let index = 0; index < key.length; index += 1) hashed = (Math.imul(31, hashed) + key.charCodeAt(index)) | 0;
  return ((hashed >>> 1) & 0x40000000) | (hashed & 0xbfffffff);
}

/*
 * Fields are declared with `declare` and assigned in the constructors: a
 * field declaration or parameter property compiles (ES2022) to a class
 * field, which runs an initializer function on every construction and
 * defines each field as `undefined` before the constructor writes it.
 * Nodes are built on every update, so that costs.
 *
 * Node kinds are told apart by a `tag` field rather than `instanceof`: a
 * field compare stays cheap however the classes are compiled (tsx names
 * classes with a static block, which changes their constructors' shape).
 */
const LEAF = 0;
const BRANCH = 1;
const COLLISION = 2;

class Leaf<V> {
  declare readonly tag: typeof LEAF;
  declare readonly hash: number;
  declare readonly key: string;
  declare readonly value: V;

  constructor(hash: number, key: string, value: V) {
    this.tag = LEAF;
    this.hash = hash;
    this.key = key;
    this.value = value;
  }
}

/** Children ordered by hash fragment; `bitmap` has one bit per fragment present. */
class Branch<V> {
  declare readonly tag: typeof BRANCH;
  declare readonly bitmap: number;
  declare readonly children: readonly Trie<V>[];

  constructor(bitmap: number, children: readonly Trie<V>[]) {
    this.tag = BRANCH;
    this.bitmap = bitmap;
    this.children = children;
  }
}

/** Keys whose hashes are equal in all 32 bits, in insertion order. */
class Collision<V> {
  declare readonly tag: typeof COLLISION;
  declare readonly hash: number;
  declare readonly leaves: readonly Leaf<V>[];

  constructor(hash: number, leaves: readonly Leaf<V>[]) {
    this.tag = COLLISION;
    this.hash = hash;
    this.leaves = leaves;
  }
}

type Trie<V> = Leaf<V> | Branch<V> | Collision<V>;

function popCount(bits: number): number {
  let x = bits - ((bits >> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >> 2) & 0x33333333);
  x = (x + (x >> 4)) & 0x0f0f0f0f;
  x += x >> 8;
  x += x >> 16;
  return x & 0x7f;
}

function lookup<V>(root: Trie<V>, hash: number, key: string): Leaf<V> | undefined {
  let node: Trie<V> = root;
  let shift = 0;
  // Bounded by the trie's depth: at most 7 levels of 5 bits.
  for (;;) {
    if (node.tag === BRANCH) {
      const bit = 1 << ((hash >>> shift) & MASK);
      if ((node.bitmap & bit) === 0) return undefined;
      const child: Trie<V> | undefined = node.children[popCount(node.bitmap & (bit - 1))];
      if (child === undefined) return undefined;
      node = child;
      shift += BITS;
    } else if (node.tag === LEAF) {
      return node.key === key ? node : undefined;
    } else {
      for (const leaf of node.leaves) if (leaf.key === key) return leaf;
      return undefined;
    }
  }
}

/** Joins two nodes with different hashes under as many branches as their hashes share fragments. */
function merge<V>(existing: Leaf<V> | Collision<V>, added: Leaf<V>, shift: number): Trie<V> {
  const existingFragment = (existing.hash >>> shift) & MASK;
  const addedFragment = (added.hash >>> shift) & MASK;
  if (existingFragment === addedFragment) return new Branch(1 << existingFragment, [merge(existing, added, shift + BITS)]);
  const children = existingFragment < addedFragment ? [existing, added] : [added, existing];
  return new Branch((1 << existingFragment) | (1 << addedFragment), children);
}

/**
 * Whether the last `insert` added a key rather than replacing one. A module
 * variable rather than a result object, to allocate nothing per call; it is
 * read right after the call that set it.
 */
let insertAdded = false;

function insert<V>(node: Trie<V>, shift: number, leaf: Leaf<V>): Trie<V> {
  if (node.tag === LEAF) {
    if (node.key === leaf.key) {
      insertAdded = false;
      return leaf;
    }
    insertAdded = true;
    if (node.hash === leaf.hash) return new Collision(leaf.hash, [node, leaf]);
    return merge(node, leaf, shift);
  }
  if (node.tag === COLLISION) {
    if (node.hash !== leaf.hash) {
      insertAdded = true;
      return merge(node, leaf, shift);
    }
    const leaves = node.leaves.slice();
    const position = leaves.findIndex((candidate) => candidate.key === leaf.key);
    insertAdded = position < 0;
    if (position < 0) leaves.push(leaf);
    else leaves[position] = leaf;
    return new Collision(node.hash, leaves);
  }
  const bit = 1 << ((leaf.hash >>> shift) & MASK);
  const position = popCount(node.bitmap & (bit - 1));
  const children = node.children.slice();
  const child = children[position];
  if ((node.bitmap & bit) !== 0 && child !== undefined) {
    children[position] = insert(child, shift + BITS, leaf);
    return new Branch(node.bitmap, children);
  }
  children.splice(position, 0, leaf);
  insertAdded = true;
  return new Branch(node.bitmap | bit, children);
}

/** The node without `key`: the same node when absent, `null` when nothing is left. */
function remove<V>(node: Trie<V>, shift: number, hash: number, key: string): Trie<V> | null {
  if (node.tag === LEAF) return node.key === key ? null : node;
  if (node.tag === COLLISION) {
    const position = node.leaves.findIndex((candidate) => candidate.key === key);
    if (position < 0) return node;
    if (node.leaves.length === 2) return node.leaves[position ^ 1] ?? null;
    return new Collision(node.hash, withoutAt(node.leaves, position));
  }
  const bit = 1 << ((hash >>> shift) & MASK);
  if ((node.bitmap & bit) === 0) return node;
  const position = popCount(node.bitmap & (bit - 1));
  const child = node.children[position];
  if (child === undefined) return node;
  const replaced = remove(child, shift + BITS, hash, key);
  if (replaced === child) return node;
  if (replaced === null) {
    if (node.children.length === 1) return null;
    const other = node.children[position ^ 1];
    // A branch left with a single leaf collapses into it, as immutable.js's does.
    if (node.children.length === 2 && other !== undefined && other.tag !== BRANCH) return other;
    const children = node.children.slice();
    children.splice(position, 1);
    return new Branch(node.bitmap ^ bit, children);
  }
  if (node.children.length === 1 && replaced.tag !== BRANCH) return replaced;
  const children = node.children.slice();
  children[position] = replaced;
  return new Branch(node.bitmap, children);
}

/** A copy without the item at `position`, the last item moved into its place. */
function withoutAt<T>(items: readonly T[], position: number): T[] {
  const copy = items.slice();
  const last = copy.pop();
  if (position < copy.length && last !== undefined) copy[position] = last;
  return copy;
}

function collect<V, R>(node: Trie<V>, out: R[], pick: (leaf: Leaf<V>) => R): void {
  if (node.tag === LEAF) out.push(pick(node));
  else if (node.tag === COLLISION) for (const leaf of node.leaves) out.push(pick(leaf));
  else for (const child of node.children) collect(child, out, pick);
}

function mapTrie<V, W>(node: Trie<V>, mapper: (value: V, key: string) => W): Trie<W> {
  if (node.tag === LEAF) return new Leaf(node.hash, node.key, mapper(node.value, node.key));
  if (node.tag === COLLISION) return new Collision(node.hash, node.leaves.map((leaf) => new Leaf(leaf.hash, leaf.key, mapper(leaf.value, leaf.key))));
  return new Branch(node.bitmap, node.children.map((child) => mapTrie(child, mapper)));
}

export class PersistentHashMap<V> implements ReadonlyMap<string, V> {
  private static readonly EMPTY = new PersistentHashMap<never>(0, null, null);

  declare readonly size: number;
  /** The array form (insertion order), or `null` once the map is a trie or empty. */
  private declare readonly entriesArray: readonly Leaf<V>[] | null;
  private declare readonly trie: Trie<V> | null;

  private constructor(size: number, entriesArray: readonly Leaf<V>[] | null, trie: Trie<V> | null) {
    this.size = size;
    this.entriesArray = entriesArray;
    this.trie = trie;
  }

  static empty<V>(): PersistentHashMap<V> {
    return PersistentHashMap.EMPTY;
  }

  static of<V>(entries: Iterable<readonly [string, V]>): PersistentHashMap<V> {
    let map = PersistentHashMap.empty<V>();
    for (const [key, value] of entries) map = map.set(key, value);
    return map;
  }

  get(key: string): V | undefined {
    return this.size === 0 ? undefined : this.leafOf(hashedKey(key))?.value;
  }

  getByKey(key: HashedKey): V | undefined {
    return this.leafOf(key)?.value;
  }

  has(key: string): boolean {
    return this.size !== 0 && this.leafOf(hashedKey(key)) !== undefined;
  }

  private leafOf({ hash, key }: HashedKey): Leaf<V> | undefined {
    if (this.entriesArray !== null) {
      for (const leaf of this.entriesArray) if (leaf.key === key) return leaf;
      return undefined;
    }
    return this.trie === null ? undefined : lookup(this.trie, hash, key);
  }

  set(text: string, value: V): PersistentHashMap<V> {
    return this.setByKey(hashedKey(text), value);
  }

  setByKey({ hash, key }: HashedKey, value: V): PersistentHashMap<V> {
    const leaf = new Leaf(hash, key, value);
    if (this.trie !== null) {
      const trie = insert(this.trie, 0, leaf);
      return new PersistentHashMap(insertAdded ? this.size + 1 : this.size, null, trie);
    }
    const entries: readonly Leaf<V>[] = this.entriesArray ?? NO_ENTRIES;
    const position = entries.findIndex((candidate) => candidate.key === key);
    if (position >= 0) {
      const replaced = entries.slice();
      replaced[position] = leaf;
      return new PersistentHashMap(this.size, replaced, null);
    }
    if (entries.length >= ARRAY_ENTRIES_MAX) {
      // The new key goes in first, then the old ones in order, as immutable.js's createNodes does:
      // it decides the order of keys whose hashes collide.
      let trie: Trie<V> = leaf;
      for (const entry of entries) trie = insert(trie, 0, entry);
      return new PersistentHashMap(this.size + 1, null, trie);
    }
    return new PersistentHashMap(this.size + 1, [...entries, leaf], null);
  }

  delete(text: string): PersistentHashMap<V> {
    return this.size === 0 ? this : this.deleteByKey(hashedKey(text));
  }

  deleteByKey({ hash, key }: HashedKey): PersistentHashMap<V> {
    if (this.size === 0) return this;
    if (this.entriesArray !== null) {
      const position = this.entriesArray.findIndex((candidate) => candidate.key === key);
      if (position < 0) return this;
      if (this.size === 1) return PersistentHashMap.empty();
      return new PersistentHashMap(this.size - 1, withoutAt(this.entriesArray, position), null);
    }
    if (this.trie === null) return this;
    const trie = remove(this.trie, 0, hash, key);
    if (trie === this.trie) return this;
    return trie === null ? PersistentHashMap.empty() : new PersistentHashMap(this.size - 1, null, trie);
  }

  /** Same keys in the same order, each value replaced by `mapper`'s. */
  map<W>(mapper: (value: V, key: string) => W): PersistentHashMap<W> {
    if (this.entriesArray !== null) {
      return new PersistentHashMap(
        this.size,
        this.entriesArray.map((leaf) => new Leaf(leaf.hash, leaf.key, mapper(leaf.value, leaf.key))),
        null,
      );
    }
    return this.trie === null ? PersistentHashMap.empty() : new PersistentHashMap(this.size, null, mapTrie(this.trie, mapper));
  }

  private pick<R>(pick: (leaf: Leaf<V>) => R): R[] {
    if (this.entriesArray !== null) return this.entriesArray.map(pick);
    const out: R[] = [];
    if (this.trie !== null) collect(this.trie, out, pick);
    return out;
  }

  keys(): IterableIterator<string> {
    return this.pick((leaf) => leaf.key).values();
  }

  values(): IterableIterator<V> {
    return this.pick((leaf) => leaf.value).values();
  }

  entries(): IterableIterator<[string, V]> {
    return this.pick((leaf): [string, V] => [leaf.key, leaf.value]).values();
  }

  [Symbol.iterator](): IterableIterator<[string, V]> {
    return this.entries();
  }

  forEach(callback: (value: V, key: string, map: ReadonlyMap<string, V>) => void): void {
    for (const [key, value] of this.entries()) callback(value, key, this);
  }
}
