/**
 * The model never modifies the state it is given: every state is deeply
 * frozen before `handle` sees it (a write to it throws), and its value is
 * compared before and after the call (for anything freezing cannot reach).
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { deepFreeze } from '../../test/deepFreeze.ts';
import { handle } from '../handle.ts';
import { checkingPurity } from '../testing/checkingPurity.ts';
import { propertyParameters } from '../testing/propertySettings.ts';
import { replay } from '../testing/replay.ts';
import { requestSequenceArbitrary } from '../testing/requestArbitrary.ts';

describe('purity', () => {
  it('handle leaves a deeply frozen input state untouched', () => {
    fc.assert(
      fc.property(requestSequenceArbitrary(), (specs) => {
        // Steps share structure, so one `seen` set across the sequence keeps
        // deepFreeze from visiting (and re-freezing) what it froze already.
        const frozen = new Set<unknown>();
        replay(specs, { handler: checkingPurity(handle), prepare: (state) => deepFreeze(state, frozen) });
      }),
      propertyParameters(200),
    );
  });
});
