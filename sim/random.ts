/**
 * Seeded randomness. Every random choice in the harness comes from a
 * `Random` made from the run's root seed and a stream name, so subsystems
 * (workload, scheduler, faults) draw independently and a change in one does
 * not shift the others.
 */
import seedrandom from 'seedrandom';

export class Random {
  private readonly generator: seedrandom.PRNG;

  constructor(seed: string) {
    this.generator = seedrandom.alea(seed);
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
    const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
    if (total <= 0) throw new Error('Random.weighted needs a positive total weight');
    let threshold = this.generator() * total;
    for (const [item, weight] of entries) {
      threshold -= weight;
      if (threshold < 0) return item;
    }
    return (entries[entries.length - 1] as readonly [T, number])[0];
  }

  /** A uuid whose hex digits come from this stream. */
  uuid(): string {
    const hex = (count: number): string => {
      let out = '';
      for (let index = 0; index < count; index += 1) out += this.integer(0, 15).toString(16);
      return out;
    };
    return `${hex(8)}-${hex(4)}-4${hex(3)}-8${hex(3)}-${hex(12)}`;
  }
}
