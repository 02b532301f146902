import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AllocationRow } from './tables.ts';
import { sortById } from './view.ts';

function row(id: number): AllocationRow {
  return { id, providerUuid: `p${id % 3}`, consumerUuid: `c${id % 5}`, resourceClass: 'VCPU', used: id };
}

describe('sortById', () => {
  it('gives what sorting by id gives, for rows in any order, sorted or not', () => {
    const orders = fc.oneof(
      fc.uniqueArray(fc.integer({ min: 1, max: 200 }), { maxLength: 30 }),
      fc.uniqueArray(fc.integer({ min: 1, max: 200 }), { maxLength: 30 }).map((ids) => [...ids].sort((left, right) => left - right)),
    );
    fc.assert(
      fc.property(orders, (ids) => {
        const rows = ids.map(row);
        const expected = [...rows].sort((left, right) => left.id - right.id);
        expect(sortById([...rows])).toEqual(expected);
      }),
    );
  });
});
