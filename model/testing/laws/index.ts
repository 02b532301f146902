/**
 * Every step law of the model, for property tests and for anyone checking
 * a recorded run of the model.
 */
import { allocationWritesRespectCapacity } from './allocationWritesRespectCapacity.ts';
import { consumerGenerations } from './consumerGenerations.ts';
import { consumersHaveAllocations } from './consumersHaveAllocations.ts';
import { failuresChangeNothing } from './failuresChangeNothing.ts';
import { providerGenerations } from './providerGenerations.ts';
import type { StepLaw } from './stepLaw.ts';
import { usageMatchesAllocations } from './usageMatchesAllocations.ts';

export type { StepLaw } from './stepLaw.ts';

export const STEP_LAWS: readonly StepLaw[] = [
  usageMatchesAllocations,
  consumersHaveAllocations,
  failuresChangeNothing,
  providerGenerations,
  consumerGenerations,
  allocationWritesRespectCapacity,
];
