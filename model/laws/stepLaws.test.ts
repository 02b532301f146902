/**
 * The model's step laws hold after every request of random sequences,
 * valid and invalid, over many microversions.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { STEP_LAWS } from '../testing/laws/index.ts';
import { propertyParameters } from '../testing/propertySettings.ts';
import { describeStep, replay } from '../testing/replay.ts';
import { requestSequenceArbitrary } from '../testing/requestArbitrary.ts';

const RUNS = 300;

describe('model laws over random request sequences', () => {
  it.each(STEP_LAWS.map((law) => [law.name, law] as const))('%s', (_name, law) => {
    fc.assert(
      fc.property(requestSequenceArbitrary(), (specs) => {
        for (const step of replay(specs)) {
          const violation = law.check(step);
          if (violation !== null) throw new Error(`${law.name}: ${violation}\n  at ${describeStep(step)}`);
        }
      }),
      propertyParameters(RUNS),
    );
  });
});
