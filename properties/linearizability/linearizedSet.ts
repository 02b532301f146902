/**
 * The set of operations linearized so far, with a compact canonical key for
 * the memo.
 *
 * A plain bitset would make every memo entry as large as the partition
 * (1.25 KB for 10,000 operations). But the search only ever linearizes
 * operations called before the earliest pending return, so the set is
 * "every operation up to some point, plus a few beyond it". The key
 * therefore counts the leading full 16-bit words and spells out only the
 * words from the first incomplete one to the last non-empty one: its size
 * follows the concurrency, not the length of the history. Operations whose
 * outcome is unknown never return, so they live in a second bitset of their
 * own, which stays sparse at the front instead of holding the first one open.
 */

const WORD_BITS = 16;

class CompactBitset {
  private readonly words: Uint16Array;
  private readonly lastWordMask: number;
  /** Exact: words before it are full, the word at it is not (or it is the length). */
  private fullWords = 0;
  /** Upper bound of the last non-zero word; tightened when a key is made. */
  private high = -1;

  constructor(readonly size: number) {
    this.words = new Uint16Array(Math.ceil(size / WORD_BITS));
    const remainder = size % WORD_BITS;
    this.lastWordMask = remainder === 0 ? 0xffff : (1 << remainder) - 1;
    this.advanceFullWords();
  }

  has(index: number): boolean {
    return ((this.words[index >>> 4] ?? 0) & (1 << (index & 15))) !== 0;
  }

  add(index: number): void {
    this.check(index);
    const word = index >>> 4;
    this.words[word] = (this.words[word] ?? 0) | (1 << (index & 15));
    if (word > this.high) this.high = word;
    if (word === this.fullWords) this.advanceFullWords();
  }

  remove(index: number): void {
    this.check(index);
    const word = index >>> 4;
    this.words[word] = (this.words[word] ?? 0) & ~(1 << (index & 15));
    if (word < this.fullWords) this.fullWords = word;
  }

  key(): string {
    while (this.high >= 0 && this.words[this.high] === 0) this.high -= 1;
    let text = this.fullWords.toString(36);
    if (this.high >= this.fullWords) {
      text += ':';
      for (let word = this.fullWords; word <= this.high; word += 1) text += String.fromCharCode(this.words[word] ?? 0);
    }
    return text;
  }

  private advanceFullWords(): void {
    while (this.fullWords < this.words.length && this.words[this.fullWords] === this.maskOf(this.fullWords)) this.fullWords += 1;
  }

  private maskOf(word: number): number {
    return word === this.words.length - 1 ? this.lastWordMask : 0xffff;
  }

  private check(index: number): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.size) throw new Error(`bit ${index} outside a set of ${this.size}`);
  }
}

export class LinearizedSet {
  private readonly known: CompactBitset;
  private readonly unknown: CompactBitset;
  /** Position of each operation within its own bitset. */
  private readonly slots: readonly number[];
  private readonly isUnknown: readonly boolean[];

  /** `unknownOutcome[i]` tells whether operation i has an unknown outcome. */
  constructor(unknownOutcome: readonly boolean[]) {
    let knownCount = 0;
    let unknownCount = 0;
    this.slots = unknownOutcome.map((unknown) => (unknown ? unknownCount++ : knownCount++));
    this.isUnknown = unknownOutcome;
    this.known = new CompactBitset(knownCount);
    this.unknown = new CompactBitset(unknownCount);
  }

  has(operationIndex: number): boolean {
    return this.bitsetOf(operationIndex).has(this.slotOf(operationIndex));
  }

  add(operationIndex: number): void {
    this.bitsetOf(operationIndex).add(this.slotOf(operationIndex));
  }

  remove(operationIndex: number): void {
    this.bitsetOf(operationIndex).remove(this.slotOf(operationIndex));
  }

  /** Equal for two moments of the search exactly when the sets are equal. */
  key(): string {
    return this.unknown.size === 0 ? this.known.key() : `${this.known.key()}/${this.unknown.key()}`;
  }

  private bitsetOf(operationIndex: number): CompactBitset {
    return this.isUnknown[operationIndex] === true ? this.unknown : this.known;
  }

  private slotOf(operationIndex: number): number {
    const slot = this.slots[operationIndex];
    if (slot === undefined) throw new Error(`operation ${operationIndex} outside the set`);
    return slot;
  }
}
