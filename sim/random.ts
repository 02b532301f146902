/**
 * Seeded randomness. Every random choice in the harness comes from a
 * `Random` made from the run's root seed and a stream name, so subsystems
 * (workload, scheduler, faults) draw independently and a change in one does
 * not shift the others.
 */
const HEX_DIGITS = '0123456789abcdef';

/** 2^-32. */
const TWO_TO_MINUS_32 = 2.3283064365386963e-10;

/**
 * Baagøe's Mash, the hash that seeds Alea: each call folds its text into
 * the running state `n` and gives a number in [0, 1). As in seedrandom's
 * `lib/alea.js`, operation for operation, so it gives the same numbers.
 */
class Mash {
  private n = 0xefc8249d;

  hash(data: string): number {
    let n = this.n;
    for (let index = 0; index < data.length; index += 1) {
      n += data.charCodeAt(index);
      let h = 0.02519603282416938 * n;
      n = h >>> 0;
      h -= n;
      h *= n;
      n = h >>> 0;
      h -= n;
      n += h * 0x100000000; // 2^32
    }
    this.n = n;
    return (n >>> 0) * TWO_TO_MINUS_32;
  }
}

/**
 * Baagøe's Alea generator, as seedrandom's `alea` implements it (the same
 * seeding, the same arithmetic, so the same stream for the same seed; a test
 * compares them). Its own class rather than seedrandom's closure, because a
 * draw through the closure returns a freshly boxed number and stores boxed
 * numbers in the closure's state, allocations per draw, and the scheduler
 * draws twice a step. Here the state is a list of raw doubles (object fields
 * holding doubles may still be boxed), and a draw is a method the engine
 * inlines into its caller, so a draw allocates nothing.
 */
class Alea {
  /** c, s0, s1, s2 of the reference implementation. */
  private readonly state = new Float64Array(4);

  constructor(seed: string) {
    const state = this.state;
    const mash = new Mash();
    state[0] = 1;
    state[1] = mash.hash(' ');
    state[2] = mash.hash(' ');
    state[3] = mash.hash(' ');
    for (let index = 1; index <= 3; index += 1) {
      let value = (state[index] as number) - mash.hash(seed);
      if (value < 0) value += 1;
      state[index] = value;
    }
  }

  next(): number {
    const state = this.state;
    const t = 2091639 * (state[1] as number) + (state[0] as number) * TWO_TO_MINUS_32;
    const c = t | 0;
    state[0] = c;
    state[1] = state[2] as number;
    state[2] = state[3] as number;
    const drawn = t - c;
    state[3] = drawn;
    return drawn;
  }
}

export class Random {
  private readonly alea: Alea;

  constructor(seed: string) {
    this.alea = new Alea(seed);
  }

  /** A stream for one subsystem, derived from a root seed. */
  static stream(rootSeed: number | string, name: string): Random {
    return new Random(`${rootSeed}/${name}`);
  }

  /** A float in [0, 1). */
  next(): number {
    return this.alea.next();
  }

  /** An integer in [minimum, maximum], both inclusive. */
  integer(minimum: number, maximum: number): number {
    return minimum + Math.floor(this.alea.next() * (maximum - minimum + 1));
  }

  chance(probability: number): boolean {
    return this.alea.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Random.pick from an empty list');
    return items[Math.floor(this.alea.next() * items.length)] as T;
  }

  /** Picks by weight; entries with weight 0 are never chosen. */
  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    // Summed left to right, as a reduce would: the same total to the last bit.
    let total = 0;
    for (let index = 0; index < entries.length; index += 1) total += (entries[index] as readonly [T, number])[1];
    if (total <= 0) throw new Error('Random.weighted needs a positive total weight');
    let threshold = this.alea.next() * total;
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
