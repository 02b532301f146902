import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectedConsumerGeneration } from './knowledge.ts';

/** The regular expression the scan replaces. */
function byRegExp(detail: string): number | null | undefined {
  const match = /consumer generation conflict - expected (null|\d+) but got/.exec(detail);
  if (match === null) return undefined;
  return match[1] === 'null' ? null : Number(match[1]);
}

const PIECES = ['consumer generation conflict - expected ', 'null', ' but got', ' but go', '0', '7', '12', '99999999999999999999', 'x', ' ', '-', 'nul', '\n'];

describe('expectedConsumerGeneration', () => {
  it('reads what the regular expression captures', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...PIECES), fc.string({ maxLength: 3 })), { maxLength: 12 }), (pieces) => {
        const detail = pieces.join('');
        expect(expectedConsumerGeneration(detail)).toBe(byRegExp(detail));
      }),
      { numRuns: 2_000 },
    );
  });

  it('reads a real conflict detail', () => {
    const detail = 'There was a conflict when trying to complete your request.\n\n consumer generation conflict - expected 3 but got 1  ';
    expect(expectedConsumerGeneration(detail)).toBe(3);
    expect(expectedConsumerGeneration('consumer generation conflict - expected null but got 0')).toBe(null);
    expect(expectedConsumerGeneration('no conflict here')).toBe(undefined);
  });
});
