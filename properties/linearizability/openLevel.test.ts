import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Entry } from './entryList.ts';
import { sortByPriority, type LevelContext, type TryingPriority } from './openLevel.ts';

function entryFor(operationIndex: number): Entry {
  return { kind: 'call', operationIndex, match: null, previous: null, next: null };
}

/** Only the priorities take part in sorting. */
function contextWith(priorities: readonly TryingPriority[]): LevelContext {
  return { operations: [], priorities, observationsOf: () => [], results: undefined as never };
}

const priorityArbitrary: fc.Arbitrary<TryingPriority> = fc.record({ tier: fc.integer({ min: 0, max: 2 }), time: fc.integer({ min: 0, max: 5 }) });

describe('sortByPriority', () => {
  it('orders candidates as Array.prototype.sort with the (tier, time, index) comparator does', () => {
    fc.assert(
      fc.property(fc.array(priorityArbitrary, { maxLength: 12 }), fc.infiniteStream(fc.nat()), (priorities, shuffle) => {
        const indices = priorities.map((_, index) => index);
        // Any starting order: the candidates come in list order, which is not the index order.
        for (let index = indices.length - 1; index > 0; index -= 1) {
          const other = (shuffle.next().value as number) % (index + 1);
          [indices[index], indices[other]] = [indices[other] ?? 0, indices[index] ?? 0];
        }
        const candidates = indices.map(entryFor);
        const byLibrarySort = [...indices].sort((left, right) => {
          const leftPriority = priorities[left] ?? { tier: 0, time: 0 };
          const rightPriority = priorities[right] ?? { tier: 0, time: 0 };
          return leftPriority.tier - rightPriority.tier || leftPriority.time - rightPriority.time || left - right;
        });
        sortByPriority(candidates, contextWith(priorities));
        expect(candidates.map((entry) => entry.operationIndex)).toEqual(byLibrarySort);
      }),
    );
  });
});
