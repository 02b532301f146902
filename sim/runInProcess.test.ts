import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runSeed } from '../campaign/runSeed.ts';
import { ISOLATIONS } from './store/store.ts';

describe('runInProcess', () => {
  it('lists operations in the order sorting by invocation tick, then id, gives', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.constantFrom(...ISOLATIONS), (seed, isolation) => {
        const result = runSeed(String(seed), { target: { profile: 'placement-8.0.0', isolation, defects: [] }, overrides: { clientsCount: 4, commandsPerClient: 6 } });
        const operations = result.run.history.operations;
        const sorted = [...operations].sort((left, right) => left.invokedAt - right.invokedAt || left.id - right.id);
        expect(operations.map((operation) => operation.id)).toEqual(sorted.map((operation) => operation.id));
        expect(new Set(operations.map((operation) => operation.id)).size).toBe(operations.length);
      }),
      { numRuns: 40 },
    );
  });
});
