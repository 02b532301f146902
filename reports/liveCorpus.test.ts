/**
 * The live corpus is evidence, not a replayable test (a live interleaving is
 * the service's), but it must stay readable by `npm run replay`: a change to
 * the report format that strands these files fails here. Each file also
 * names its database and the invariant it was kept for; both must match what
 * the report records.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLiveFailureReport } from './readLiveFailureReport.ts';

const CORPUS = join('reports', 'regressions', 'live');
const files = readdirSync(CORPUS).filter((name) => name.endsWith('.json'));

/** The invariant a file name stands for, by the words the corpus uses in names. */
const INVARIANT_OF_NAME: readonly (readonly [string, string])[] = [
  ['over-allocation', 'capacity'],
  ['orphaned-allocations', 'usage-matches-allocations'],
  ['phantom-consumer', 'consumer-lifecycle'],
  ['provider-deleted-with-allocations', 'linearizable'],
  ['unexplained-consumer-conflict', 'linearizable'],
  ['delete-500', 'no-server-errors'],
];

describe('the live corpus', () => {
  it('is not empty', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  for (const name of files) {
    it(`${name} reads as a live report of what its name says`, () => {
      const read = readLiveFailureReport(join(CORPUS, name));
      if (read.kind !== 'ok') throw new Error(read.kind === 'error' ? read.message : `${name} is not a live report`);
      const database = name.split('-')[0];
      expect(read.report.target.database).toBe(database);
      const invariant = INVARIANT_OF_NAME.find(([words]) => name.includes(words))?.[1];
      expect(invariant, `${name}: no known invariant in its name`).toBeDefined();
      expect(read.report.violations.map((violation) => violation.invariant)).toContain(invariant);
    });
  }
});
