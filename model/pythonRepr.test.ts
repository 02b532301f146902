import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pythonRepr } from './pythonRepr.ts';

describe('pythonRepr of integers', () => {
  it('writes the exact digits (toFixed(0)) below 1e21', () => {
    const integers = fc.oneof(
      fc.integer(),
      fc.constantFrom(0, -0, 2 ** 53, -(2 ** 53), 2 ** 53 + 2, 1e20, -1e20, 1e21 - 65536),
      fc.double({ min: -1e21, max: 1e21, noNaN: true }).map((value) => Math.trunc(value)),
    );
    fc.assert(
      fc.property(integers, (value) => {
        if (Math.abs(value) >= 1e21) return;
        expect(pythonRepr(value)).toBe(value.toFixed(0));
      }),
      { numRuns: 2000 },
    );
  });
});
