/**
 * The laws prove themselves: each deliberately broken handler must be
 * caught by the law it breaks, from the same seed the real tests use.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkingPurity } from '../testing/checkingPurity.ts';
import { brokenHandler, type BrokenHandlerName } from '../testing/brokenHandlers.ts';
import { firstDivergence } from '../testing/firstDivergence.ts';
import { allocationWritesRespectCapacity } from '../testing/laws/allocationWritesRespectCapacity.ts';
import { consumerGenerations } from '../testing/laws/consumerGenerations.ts';
import { consumersHaveAllocations } from '../testing/laws/consumersHaveAllocations.ts';
import { failuresChangeNothing } from '../testing/laws/failuresChangeNothing.ts';
import { providerGenerations } from '../testing/laws/providerGenerations.ts';
import type { StepLaw } from '../testing/laws/stepLaw.ts';
import { usageMatchesAllocations } from '../testing/laws/usageMatchesAllocations.ts';
import { propertyParameters } from '../testing/propertySettings.ts';
import { replay } from '../testing/replay.ts';
import { requestSequenceArbitrary } from '../testing/requestArbitrary.ts';

const RUNS = 300;

/** True when some generated sequence makes `law` fail under `broken`. */
function lawCatches(law: StepLaw, broken: BrokenHandlerName): boolean {
  const outcome = fc.check(
    fc.property(requestSequenceArbitrary(), (specs) => replay(specs, { handler: brokenHandler(broken) }).every((step) => law.check(step) === null)),
    { ...propertyParameters(RUNS), endOnFailure: true },
  );
  return outcome.failed;
}

describe('the laws catch deliberately broken models', () => {
  it.each([
    [providerGenerations, 'forgetsProviderGenerationOnAllocationWrite'],
    [consumerGenerations, 'bumpsConsumerGenerationTwice'],
    [usageMatchesAllocations, 'leavesUsageAfterDelete'],
    [consumersHaveAllocations, 'keepsEmptiedConsumers'],
    [failuresChangeNothing, 'leaksStateOnFailure'],
    [allocationWritesRespectCapacity, 'shrinksInventoryOnAllocationWrite'],
  ].map(([law, broken]) => [(law as StepLaw).name, broken as BrokenHandlerName, law as StepLaw] as const))(
    '"%s" catches %s',
    (_name, broken, law) => {
      // The same laws hold for the real model on this seed (stepLaws.test.ts),
      // so a catch here is the damage, not noise.
      expect(lawCatches(law, broken)).toBe(true);
    },
  );

  it('the purity check catches a handler that writes to its input', () => {
    const outcome = fc.check(
      fc.property(requestSequenceArbitrary(), (specs) => {
        replay(specs, { handler: checkingPurity(brokenHandler('mutatesItsInput')) });
      }),
      { ...propertyParameters(RUNS), endOnFailure: true },
    );
    expect(outcome.failed).toBe(true);
    expect(String(outcome.errorInstance)).toContain('the input state changed during PUT /traits/');
  });

  it('the determinism check catches a handler with hidden state', () => {
    const outcome = fc.check(
      fc.property(requestSequenceArbitrary(), (specs) => firstDivergence(specs, { handler: brokenHandler('numbersResponsesFromAGlobal') }) === null),
      { ...propertyParameters(RUNS), endOnFailure: true },
    );
    expect(outcome.failed).toBe(true);
  });
});
