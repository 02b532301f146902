/**
 * Seeded randomness. Every random choice in the harness comes from a
 * `Random` made from the run's root seed and a stream name, so subsystems
 * (workload, scheduler, faults) draw independently and a change in one does
 * not shift the others.
 */
import seedrandom from 'seedrandom';

const HEX_DIGITS = '0123456789abcdef';

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
    return items[Math.floor(this.generator() * items.length)] as T;
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

  /** A uuid whose hex digits come from this stream. */
  uuid(): string {
    return `${this.hex(8)}-${this.hex(4)}-4${this.hex(3)}-8${this.hex(3)}-${this.hex(12)}`;
  }

  /** `count` hex digits, each one draw (the digit `integer(0, 15).toString(16)` gives). */
  private hex(count: number): string {
    let out = '';
    for (let index = 0; index < count; index += 1) out += HEX_DIGITS.charAt(this.integer(0, 15));
    return out;
  }
}
