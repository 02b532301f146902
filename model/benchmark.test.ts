/**
 * The benchmark measures what it claims: a deterministic workload that
 * mixes successful and refused allocation writes with inventory updates,
 * rates computed from the injected clock, and a final state that is still
 * a valid model state. Throughput itself is not asserted (machines differ).
 */
import { describe, expect, it } from 'vitest';
import { applyCommand } from './applyCommand.ts';
import { benchmarkModel, benchmarkState } from './benchmark.ts';
import { benchmarkWorkload } from './benchmarkWorkload.ts';
import type { State } from './state.ts';
import { usageProblem } from './testing/laws/usageMatchesAllocations.ts';

/** A clock that advances exactly 1 ms per reading, so every round "takes" 1 ms. */
function steppingClock(): () => number {
  let now = 0;
  return () => (now += 1);
}

const small = { commandsCount: 3000, requestsCount: 300, rounds: 3 } as const;

describe('benchmarkModel', () => {
  it('computes rates from the injected clock', () => {
    const result = benchmarkModel({ ...small, nowMilliseconds: steppingClock() });
    expect(result.commandsPerSecondByRound).toEqual([3_000_000, 3_000_000, 3_000_000]);
    expect(result.requestsPerSecond).toBe(300_000);
    expect(result.options).toMatchObject({ seed: 1, providersCount: 10, commandsCount: 3000, rounds: 3 });
  });

  it('runs a mix where allocation writes both succeed and get refused', () => {
    const { outcomes } = benchmarkModel({ ...small, nowMilliseconds: steppingClock() });
    const count = (key: string): number => outcomes[key] ?? 0;
    expect(count('writeAllocations ok')).toBeGreaterThan(1000);
    expect(count('writeAllocations error')).toBeGreaterThan(100);
    expect(count('deleteAllocations ok')).toBeGreaterThan(50);
    expect(count('updateInventory ok')).toBeGreaterThan(100);
    expect(Object.values(outcomes).reduce((sum, value) => sum + value, 0)).toBe(3000);
  });

  it('is deterministic for a seed and different across seeds', () => {
    const first = benchmarkModel({ ...small, nowMilliseconds: steppingClock() }).outcomes;
    expect(benchmarkModel({ ...small, nowMilliseconds: steppingClock() }).outcomes).toEqual(first);
    expect(benchmarkModel({ ...small, seed: 2, nowMilliseconds: steppingClock() }).outcomes).not.toEqual(first);
  });

  it('starts from 10 providers and leaves a valid state behind', () => {
    let state: State = benchmarkState(10);
    expect(state.providers.size).toBe(10);
    for (const step of benchmarkWorkload({ seed: 1, providersCount: 10, consumersCount: 400, stepsCount: 3000 })) {
      if (step.kind !== 'command') continue;
      const outcome = applyCommand(state, step.command);
      if (outcome.kind === 'ok') state = outcome.state;
    }
    expect(state.consumers.size).toBeGreaterThan(100);
    expect(usageProblem(state)).toBeNull();
  });
});
