import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LinearizedSet } from './linearizedSet.ts';

describe('LinearizedSet', () => {
  it('gives equal keys exactly to equal sets, whatever the order of additions and removals', () => {
    const size = 70;
    const change = fc.record({ index: fc.integer({ min: 0, max: size - 1 }), add: fc.boolean() });
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: size, maxLength: size }), fc.array(change), fc.array(change), (unknown, left, right) => {
        const apply = (changes: readonly { index: number; add: boolean }[]): { set: LinearizedSet; members: Set<number> } => {
          const set = new LinearizedSet(unknown);
          const members = new Set<number>();
          for (const { index, add } of changes) {
            if (add) {
              set.add(index);
              members.add(index);
            } else {
              set.remove(index);
              members.delete(index);
            }
            expect(set.has(index)).toBe(add);
          }
          return { set, members };
        };
        const first = apply(left);
        const second = apply(right);
        const sameMembers = first.members.size === second.members.size && [...first.members].every((index) => second.members.has(index));
        expect(first.set.key() === second.set.key()).toBe(sameMembers);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps keys short when the set is a prefix plus a few', () => {
    const set = new LinearizedSet(new Array<boolean>(10_000).fill(false));
    for (let index = 0; index < 9_000; index += 1) set.add(index);
    set.add(9_010);
    expect(set.key().length).toBeLessThan(10);
  });

  it('refuses indices outside the set', () => {
    expect(() => new LinearizedSet([false]).add(1)).toThrow();
  });
});
