/**
 * A sequence of planned requests for one client, run from an empty service:
 * a short setup that creates something to work on, then random requests.
 *
 * Shrinking works on the whole list, setup included, so a shrunk sequence
 * keeps only the requests the mismatch needs.
 */
import fc from 'fast-check';
import type { RequestPlan } from './action.ts';
import { requestPlanArbitrary, setupArbitrary } from './requestPlanArbitrary.ts';

export interface SequenceShape {
  /** Requests of the random part, at most; the setup adds up to ten. */
  readonly randomLengthMax: number;
}

export const defaultSequenceShape: SequenceShape = { randomLengthMax: 40 };

/** Two custom classes, four providers with their inventories. */
export const SETUP_LENGTH_MAX = 10;

export function sequenceArbitrary(shape: SequenceShape = defaultSequenceShape): fc.Arbitrary<readonly RequestPlan[]> {
  return fc
    .tuple(
      setupArbitrary,
      // size 'max': lengths spread over the whole range instead of fast-check's small default.
      fc.array(requestPlanArbitrary, { minLength: 1, maxLength: shape.randomLengthMax, size: 'max' }),
    )
    .map(([setup, random]) => [...setup, ...random]);
}
