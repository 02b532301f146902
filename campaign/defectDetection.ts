/**
 * Does the harness catch a defect? A defect is detected on a seed when the
 * run with the defect breaks the defect's invariant more often than the same
 * seed, same schedule choices, without it. (The undefected 8.0.0 profile has
 * findings of its own, so "any violation" would prove nothing.)
 */
import type { InvariantName } from '../properties/violation.ts';
import type { DefectName } from '../sim/defects.ts';
import type { FaultKind, RunOptionOverrides } from '../sim/runOptions.ts';
import type { Isolation } from '../sim/store/store.ts';
import { runSeed } from './runSeed.ts';

export interface DefectExpectation {
  readonly defect: DefectName;
  /** The invariant that must catch it. */
  readonly invariant: InvariantName;
  /** The isolation level under which the defect matters. */
  readonly isolation: Isolation;
  /** Faults the defect needs to show (most need none). */
  readonly faults: readonly FaultKind[];
}

export const DEFECT_EXPECTATIONS: readonly DefectExpectation[] = [
  { defect: 'no-provider-cas', invariant: 'capacity', isolation: 'readCommitted', faults: [] },
  { defect: 'no-consumer-cas', invariant: 'linearizable', isolation: 'serial', faults: [] },
  { defect: 'capacity-outside-transaction', invariant: 'capacity', isolation: 'serial', faults: [] },
  { defect: 'no-server-retry', invariant: 'conflicts-justified', isolation: 'serial', faults: [] },
  { defect: 'post-per-consumer', invariant: 'atomicity', isolation: 'serial', faults: [] },
  { defect: 'no-consumer-cleanup', invariant: 'consumer-lifecycle', isolation: 'serial', faults: [] },
  { defect: 'keep-emptied-consumers', invariant: 'consumer-lifecycle', isolation: 'serial', faults: [] },
  { defect: 'cleanup-errors-propagate', invariant: 'no-server-errors', isolation: 'serial', faults: ['fail-consumer-cleanup'] },
  { defect: 'delete-consumer-unconditionally', invariant: 'usage-matches-allocations', isolation: 'serial', faults: [] },
  { defect: 'no-inventory-generation-check', invariant: 'linearizable', isolation: 'serial', faults: [] },
  { defect: 'no-unit-constraints', invariant: 'unit-constraints', isolation: 'serial', faults: [] },
];

export interface Detection {
  readonly seed: string;
  /** Runs made before and including the detecting one. */
  readonly runs: number;
}

function countOf(seed: string, expectation: DefectExpectation, defects: readonly DefectName[], overrides: RunOptionOverrides): number {
  const result = runSeed(seed, {
    target: { profile: 'placement-8.0.0', isolation: expectation.isolation, defects },
    overrides: { ...overrides, ...(expectation.faults.length > 0 ? { faults: expectation.faults } : {}) },
  });
  return result.violations.filter((violation) => violation.invariant === expectation.invariant).length;
}

/** The first of `seeds` on which the defect is detected, or `null`. */
export function detectDefect(expectation: DefectExpectation, seeds: readonly string[], overrides: RunOptionOverrides = {}): Detection | null {
  let runs = 0;
  for (const seed of seeds) {
    runs += 1;
    const withDefect = countOf(seed, expectation, [expectation.defect], overrides);
    if (withDefect === 0) continue;
    if (withDefect > countOf(seed, expectation, [], overrides)) return { seed, runs };
  }
  return null;
}
