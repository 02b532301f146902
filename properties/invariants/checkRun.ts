/**
 * Every invariant over a finished run, in a fixed order.
 */
import type { LinearizabilityOptions } from '../linearizability/checkLinearizability.ts';
import type { RunRecord } from '../runRecord.ts';
import type { Violation } from '../violation.ts';
import { checkAtomicity } from './atomicity.ts';
import { checkCapacity } from './capacity.ts';
import { checkConflictsJustified } from './conflictsJustified.ts';
import { checkConsumerLifecycle } from './consumerLifecycle.ts';
import { checkGenerations } from './generations.ts';
import { checkLinearizable } from './linearizable.ts';
import { checkNoServerErrors } from './noServerErrors.ts';
import { checkUnitConstraints } from './unitConstraints.ts';
import { checkUsageMatchesAllocations } from './usageMatchesAllocations.ts';

export function checkRun(run: RunRecord, linearizability: LinearizabilityOptions): Violation[] {
  return [
    ...checkCapacity(run),
    ...checkUnitConstraints(run),
    ...checkUsageMatchesAllocations(run),
    ...checkConsumerLifecycle(run),
    ...checkGenerations(run),
    ...checkAtomicity(run),
    ...checkConflictsJustified(run),
    ...checkNoServerErrors(run),
    ...checkLinearizable(run, linearizability),
  ];
}
