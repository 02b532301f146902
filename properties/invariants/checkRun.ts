/**
 * Every invariant over a finished run, in a fixed order (`INVARIANT_NAMES`).
 */
import type { LinearizabilityOptions } from '../linearizability/checkLinearizability.ts';
import type { RunRecord } from '../runRecord.ts';
import { INVARIANT_NAMES, type InvariantName, type Violation } from '../violation.ts';
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
  return INVARIANT_NAMES.flatMap((invariant) => checkInvariant(run, invariant, linearizability));
}

/** One invariant over a finished run (a shrink asks only about the one it shrinks). */
export function checkInvariant(run: RunRecord, invariant: InvariantName, linearizability: LinearizabilityOptions): Violation[] {
  switch (invariant) {
    case 'capacity':
      return checkCapacity(run);
    case 'unit-constraints':
      return checkUnitConstraints(run);
    case 'usage-matches-allocations':
      return checkUsageMatchesAllocations(run);
    case 'consumer-lifecycle':
      return checkConsumerLifecycle(run);
    case 'generations':
      return checkGenerations(run);
    case 'atomicity':
      return checkAtomicity(run);
    case 'conflicts-justified':
      return checkConflictsJustified(run);
    case 'no-server-errors':
      return checkNoServerErrors(run);
    case 'linearizable':
      return checkLinearizable(run, linearizability);
    default:
      return assertNever(invariant);
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled invariant: ${String(value)}`);
}
