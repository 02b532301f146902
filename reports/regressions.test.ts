import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFailureReport } from './readFailureReport.ts';
import { replayReport } from './replayReport.ts';

const CORPUS = join('reports', 'regressions');
const files = readdirSync(CORPUS).filter((name) => name.endsWith('.json'));

describe('the regression corpus', () => {
  it('is not empty', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  for (const name of files) {
    it(`replays ${name} as it expects`, () => {
      const read = readFailureReport(join(CORPUS, name));
      if (read.kind === 'error') throw new Error(read.message);
      const expectation = read.report.regression;
      expect(expectation, `${name} has no "regression" expectation`).toBeDefined();
      const outcome = replayReport(read.report);
      expect(outcome.divergence).toBeNull();
      if (expectation?.expectation === 'still-fails') {
        expect(outcome.sameHistory, `${name}: the history changed from operation #${outcome.firstDifference ?? '?'}`).toBe(true);
        expect(outcome.reproduced, `${name}: ${expectation.why}`).toBe(true);
      } else {
        expect(outcome.reproduced, `${name} should pass now: ${expectation?.why ?? ''}`).toBe(false);
      }
    });
  }
});
