/**
 * The model is deterministic: the same sequence from the same state gives
 * byte-identical responses (headers included) and equal states, counters
 * included, after every step.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { firstDivergence } from '../testing/firstDivergence.ts';
import { propertyParameters } from '../testing/propertySettings.ts';
import { requestSequenceArbitrary } from '../testing/requestArbitrary.ts';

describe('determinism', () => {
  it('replays every sequence byte for byte', () => {
    fc.assert(
      fc.property(requestSequenceArbitrary(), (specs) => {
        const divergence = firstDivergence(specs);
        if (divergence !== null) throw new Error(`replays differ at ${divergence}`);
      }),
      propertyParameters(200),
    );
  });
});
