/**
 * Seeded randomness. Every random choice in the harness comes from a
 * `Random` made from the run's root seed and a stream name, so subsystems
 * (workload, scheduler, faults) draw independently and a change in one does
 * not shift the others.
 */
import seedrandom from 'seedrandom';

export class Random {
  /**
   * Seeded at the first draw: seeding hashes the seed text, and some streams
   * are made but never drawn from (a run's fault stream when it injects no
   * faults). The draws are the same either way.
   */
  private seeded: seedrandom.PRNG | null = null;

  constructor(private readonly seed: string) {}

  private get generator(): seedrandom.PRNG {
    if (this.seeded === null) this.seeded = seedrandom.alea(this.seed);
    return this.seeded;
  }

  /** A stream for one subsystem, derived from a root seed. */
  static stream(rootSeed: number | string, name: string): Random {
    return new Random(`${rootSeed}/${name}`);
  }

  /** A float in [0, 1). */
  next(): number {
    return this.generator();
  }

  /** An integer in [minimum, maximum], both inclusive. */
  integer(minimum: number, maximum: number): number {
    return minimum + Math.floor(this.generator() * (maximum - minimum + 1));
  }

  chance(probability: number): boolean {
    return this.generator() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Random.pick from an empty list');
    return items[this.index(items.length)] as T;
  }

  /** A position in a list of `count` items (what `pick` draws): an integer in [0, count). */
  index(count: number): number {
    return Math.floor(this.generator() * count);
  }

  /** Picks by weight; entries with weight 0 are never chosen. */
  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    // Summed left to right, as a reduce would: the same total to the last bit.
    let total = 0;
    for (let index = 0; index < entries.length; index += 1) total += (entries[index] as readonly [T, number])[1];
    if (total <= 0) throw new Error('Random.weighted needs a positive total weight');
    let threshold = this.generator() * total;
    for (let index = 0; index < entries.length; index += 1) {
      const entry = entries[index] as readonly [T, number];
      threshold -= entry[1];
      if (threshold < 0) return entry[0];
    }
    return (entries[entries.length - 1] as readonly [T, number])[0];
  }

  /**
   * A uuid whose hex digits come from this stream: `xxxxxxxx-xxxx-4xxx-8xxx-xxxxxxxxxxxx`, each x
   * one draw, in order (the digit `integer(0, 15).toString(16)` gives). Written into a list of
   * character codes and made a string once, rather than joined from a string per digit: the
   * uuid is then one flat string, which every reader that hashes it (memos, maps, member
   * names) reads without first copying pieces together.
   */
  uuid(): string {
    const next = this.generator;
    for (let index = 0; index < UUID_DIGIT_POSITIONS.length; index += 1) {
      uuidCodes[UUID_DIGIT_POSITIONS[index] as number] = HEX_DIGIT_CODES[Math.floor(next() * 16)] as number;
    }
    return String.fromCharCode.apply(null, uuidCodes);
  }

  /** Spends the draws of a `uuid()` without writing it: the stream goes on as after one. */
  skipUuid(): void {
    const next = this.generator;
    for (let index = 0; index < UUID_DIGIT_POSITIONS.length; index += 1) next();
  }
}

const HEX_DIGIT_CODES: readonly number[] = Array.from('0123456789abcdef', (digit) => digit.charCodeAt(0));
const UUID_SHAPE = 'xxxxxxxx-xxxx-4xxx-8xxx-xxxxxxxxxxxx';
/** Where the drawn digits go, in draw order. */
const UUID_DIGIT_POSITIONS: readonly number[] = Array.from(UUID_SHAPE, (character, position) => (character === 'x' ? position : -1)).filter((position) => position >= 0);
/** The uuid being written: the shape's fixed characters, its digits overwritten by each `uuid()`. */
const uuidCodes: number[] = Array.from(UUID_SHAPE, (character) => (character === 'x' ? 0 : character.charCodeAt(0)));
