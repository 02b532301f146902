/**
 * The named concurrent findings of Placement 8.0.0, recognised in runs of
 * the in-process profile: each rule names the finding the run really shows,
 * and a run of the ideal profile shows none.
 */
import { describe, expect, it } from 'vitest';
import { runSeed, type SeedResult } from '../../campaign/runSeed.ts';
import { classifyViolation } from './classifyViolation.ts';

function serialRun(seed: string): SeedResult {
  return runSeed(seed, { target: { profile: 'placement-8.0.0', isolation: 'serial', defects: [] }, overrides: {} });
}

function findingsOf(result: SeedResult): Record<string, string | null> {
  return Object.fromEntries(result.violations.map((violation) => [violation.invariant, classifyViolation(result.record, violation)]));
}

describe('classifyViolation', () => {
  it('names a consumer deleted by a failed write\'s clean-up under a concurrent write, then recreated at generation 0 (seed 1131)', () => {
    // #3 (POST, 409) auto-created the consumer; #6 wrote 2 VCPU for it (204); #3's clean-up
    // deleted the row; #8 recreated it at generation 0, so #17's stale generation 1 succeeded.
    const findings = findingsOf(serialRun('1131'));
    expect(findings['linearizable']).toBe('consumer-deleted-under-allocations');
  });

  it.each([
    ['1000', ['linearizable=in-flight-consumer-visible']],
    ['1001', ['linearizable=empty-allocations-create-consumer']],
    [
      '1003',
      [
        'consumer-lifecycle=unknown-provider-leaves-consumer',
        'consumer-lifecycle=unknown-provider-leaves-consumer',
        'consumer-lifecycle=empty-allocations-create-consumer',
        'linearizable=unknown-provider-leaves-consumer',
      ],
    ],
    ['1006', ['linearizable=delete-allocations-without-effect']],
    // #4 (null generation) found the consumer #5 (null generation) had just created and took it over: both 204.
    ['1172', ['linearizable=concurrent-create-overwritten']],
    // #6 (before 1.28, so no generation) auto-created the consumer, #10 wrote to it, #6's clean-up deleted it.
    ['1165', ['linearizable=consumer-deleted-under-allocations']],
    // #6 (before 1.28, so no generation) auto-created the consumer; #8 (null generation) met it in flight: 409 "expected 0 but got None".
    ['1256', ['linearizable=in-flight-consumer-visible']],
    // #4 (null generation) auto-created the consumer; #11 gave generation 0 while #4 was in flight and passed the check.
    ['1350', ['linearizable=in-flight-consumer-visible']],
  ])('names the findings of seed %s', (seed, expected) => {
    const result = serialRun(seed);
    expect(result.violations.map((violation) => `${violation.invariant}=${classifyViolation(result.record, violation) ?? 'none'}`)).toEqual(expected);
  });

  it.each([
    // #15 gave consumer generation 1 at t87; #12 moved the consumer to generation 2 at t99 and #19 filled the
    // provider at t114, so #15's capacity check (after both) refused it: 409 for capacity, not for its stale generation.
    ['1269', 'readCommitted', ['linearizable=capacity-conflict-over-stale-generation']],
    // #10's retry checked capacity against its first attempt's snapshot and over-allocated; later writes
    // brought usage back under capacity, so only the responses show it.
    ['1206', 'snapshot', ['linearizable=stale-snapshot-over-allocation']],
  ] as const)('names the findings of seed %s under %s isolation', (seed, isolation, expected) => {
    const result = runSeed(seed, { target: { profile: 'placement-8.0.0', isolation, defects: [] }, overrides: {} });
    expect(result.violations.map((violation) => `${violation.invariant}=${classifyViolation(result.record, violation) ?? 'none'}`)).toEqual(expected);
  });

  it('has nothing to name in runs of the ideal profile', () => {
    for (const seed of ['1000', '1131']) {
      const result = runSeed(seed, { target: { profile: 'ideal', isolation: 'serial', defects: [] }, overrides: {} });
      expect(result.violations).toEqual([]);
    }
  });
});
