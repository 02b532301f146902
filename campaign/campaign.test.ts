import { describe, expect, it } from 'vitest';
import { stableJson } from '../reports/stableJson.ts';
import { DEFECTS } from '../sim/defects.ts';
import { DEFECT_EXPECTATIONS, detectDefect } from './defectDetection.ts';
import { runProgram, runSeed } from './runSeed.ts';

const seeds = (first: number, count: number): string[] => Array.from({ length: count }, (_, index) => String(first + index));

describe('the ideal profile', () => {
  it('passes every invariant on 2,000 runs', () => {
    const failures: string[] = [];
    for (const seed of seeds(1, 2000)) {
      const result = runSeed(seed, { target: { profile: 'ideal', isolation: 'serial', defects: [] }, overrides: {} });
      for (const violation of result.violations) failures.push(`seed ${seed}: ${violation.invariant}: ${violation.summary}`);
    }
    expect(failures).toEqual([]);
  });
});

describe('defects', () => {
  it('has an expectation for every defect', () => {
    expect(DEFECT_EXPECTATIONS.map((expectation) => expectation.defect).sort()).toEqual(DEFECTS.map((defect) => defect.name).sort());
  });

  for (const expectation of DEFECT_EXPECTATIONS) {
    it(`catches ${expectation.defect} through ${expectation.invariant} within 200 fixed seeds`, () => {
      const detection = detectDefect(expectation, seeds(1000, 200));
      expect(detection, `${expectation.defect} was not detected`).not.toBeNull();
    });
  }
});

describe('determinism', () => {
  const settings = { target: { profile: 'placement-8.0.0' as const, isolation: 'snapshot' as const, defects: [] }, overrides: { faults: ['deadlock' as const, 'lost-connection' as const] } };

  it('gives the same bytes for the same seed', () => {
    for (const seed of seeds(500, 20)) {
      const first = runSeed(seed, settings);
      const second = runSeed(seed, settings);
      expect(stableJson([first.run.history, first.run.schedule, first.violations])).toBe(stableJson([second.run.history, second.run.schedule, second.violations]));
    }
  });

  it('replays a recorded schedule to the same history', () => {
    for (const seed of seeds(700, 20)) {
      const original = runSeed(seed, settings);
      const replayed = runProgram(original.options, original.program, settings, original.run.schedule);
      expect(replayed.run.divergence).toBeNull();
      expect(stableJson(replayed.run.history)).toBe(stableJson(original.run.history));
    }
  });
});
