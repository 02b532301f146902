import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Random } from './random.ts';

/** The simple formulations the loops in `Random` replace: same draws, same results. */
function weightedByReduce<T>(random: Random, entries: readonly (readonly [T, number])[]): T {
  const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
  let threshold = random.next() * total;
  for (const [item, weight] of entries) {
    threshold -= weight;
    if (threshold < 0) return item;
  }
  return (entries[entries.length - 1] as readonly [T, number])[0];
}

function uuidByToString(random: Random): string {
  const hex = (count: number): string => {
    let out = '';
    for (let index = 0; index < count; index += 1) out += random.integer(0, 15).toString(16);
    return out;
  };
  return `${hex(8)}-${hex(4)}-4${hex(3)}-8${hex(3)}-${hex(12)}`;
}

describe('Random', () => {
  it('weighted picks what the reduce-and-scan formulation picks', () => {
    fc.assert(
      fc.property(fc.string(), fc.array(fc.double({ min: 0, max: 10, noNaN: true }), { minLength: 1, maxLength: 10 }), (seed, weights) => {
        fc.pre(weights.reduce((sum, weight) => sum + weight, 0) > 0);
        const entries = weights.map((weight, index) => [index, weight] as const);
        const left = new Random(seed);
        const right = new Random(seed);
        for (let draw = 0; draw < 5; draw += 1) expect(left.weighted(entries)).toBe(weightedByReduce(right, entries));
      }),
    );
  });

  it('uuid gives the digits integer(0, 15).toString(16) gives', () => {
    fc.assert(
      fc.property(fc.string(), (seed) => {
        const left = new Random(seed);
        const right = new Random(seed);
        for (let draw = 0; draw < 3; draw += 1) expect(left.uuid()).toBe(uuidByToString(right));
      }),
    );
  });

  it('skipUuid leaves the stream where uuid leaves it', () => {
    fc.assert(
      fc.property(fc.string(), (seed) => {
        const left = new Random(seed);
        const right = new Random(seed);
        left.skipUuid();
        right.uuid();
        expect(left.next()).toBe(right.next());
      }),
    );
  });
});
