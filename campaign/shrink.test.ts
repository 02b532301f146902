import { describe, expect, it } from 'vitest';
import { runProgramWith, runSeed } from './runSeed.ts';
import { breaksInvariant, shrinkFailure } from './shrink.ts';

describe('joint shrinking', () => {
  it('shrinks the over-allocation of a missing provider compare-and-set to 2 clients and at most 3 requests', () => {
    const settings = { target: { profile: 'placement-8.0.0' as const, isolation: 'readCommitted' as const, defects: ['no-provider-cas' as const] }, overrides: {} };
    const found = runSeed('1000', settings);
    expect(found.violations.some((violation) => violation.invariant === 'capacity')).toBe(true);
    const shrunk = shrinkFailure(found, 'capacity', settings);
    const [clients, requests] = shrunk.after;
    expect(clients).toBe(2);
    expect(requests).toBeLessThanOrEqual(3);
    expect(shrunk.result.violations.some((violation) => violation.invariant === 'capacity')).toBe(true);
    // Smaller in every respect that counts first, and the shrunk run replays on its own schedule.
    expect(shrunk.before[0]).toBeGreaterThanOrEqual(clients);
    expect(shrunk.before[1]).toBeGreaterThan(requests);
  });

  it('keeps only candidates the defect explains: the same program without the defect passes that invariant', () => {
    const settings = { target: { profile: 'placement-8.0.0' as const, isolation: 'serial' as const, defects: ['no-consumer-cleanup' as const] }, overrides: {} };
    const found = runSeed('1000', settings);
    const shrunk = shrinkFailure(found, 'consumer-lifecycle', settings);
    const withoutDefect = runProgramWith(shrunk.result.options, shrunk.result.program, { ...settings, target: { ...settings.target, defects: [] } }, {
      kind: 'lenient',
      choices: shrunk.result.run.schedule,
    });
    const lifecycle = (violations: readonly { invariant: string }[]): number => violations.filter((violation) => violation.invariant === 'consumer-lifecycle').length;
    expect(lifecycle(shrunk.result.violations)).toBeGreaterThan(lifecycle(withoutDefect.violations));
  });

  it('runs each distinct candidate once: a candidate tried again counts as an attempt without a run', () => {
    const settings = { target: { profile: 'placement-8.0.0' as const, isolation: 'snapshot' as const, defects: [] }, overrides: { clientsCount: 4, commandsPerClient: 10 } };
    const found = runSeed('50038', settings);
    const keeps = breaksInvariant('usage-matches-allocations');
    const asked: string[] = [];
    const shrunk = shrinkFailure(found, 'usage-matches-allocations', settings, 1_500, (candidate, schedule) => {
      asked.push(JSON.stringify([candidate.program, schedule]));
      return keeps(candidate, schedule);
    });
    expect(new Set(asked).size).toBe(asked.length);
    expect(asked.length).toBeLessThan(shrunk.attempts);
    // The same result as the default test of that invariant.
    const again = shrinkFailure(found, 'usage-matches-allocations', settings);
    expect(again.attempts).toBe(shrunk.attempts);
    expect(again.after).toEqual(shrunk.after);
    // The default test checks its candidates for that invariant alone, and its result again with all of them:
    // the result's violations are those the candidates checked with every invariant gave.
    expect(again.result.run.schedule).toEqual(shrunk.result.run.schedule);
    expect(again.result.violations).toEqual(shrunk.result.violations);
    expect(new Set(again.result.violations.map((violation) => violation.invariant)).size).toBeGreaterThan(1);
  });
});
