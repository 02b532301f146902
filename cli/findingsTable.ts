/**
 * The table both fuzz campaigns (in-process and live) end with: how many
 * failing runs each known finding of Placement 8.0.0 explains, and how many
 * violations nothing known explains. Informational: it changes neither what
 * is reported nor the exit code.
 */
import Table from 'cli-table3';
import { CONCURRENT_FINDINGS, classifyViolation, type ConcurrentFindingName } from '../properties/concurrentFindings/classifyViolation.ts';
import type { RunRecord } from '../properties/runRecord.ts';
import type { Violation } from '../properties/violation.ts';

export interface ClassifiableRun {
  readonly seed: string;
  readonly result: { readonly record: RunRecord; readonly violations: readonly Violation[] };
}

export function findingsTable(failingRuns: readonly ClassifiableRun[]): string | null {
  if (failingRuns.length === 0) return null;
  const runsByFinding = new Map<ConcurrentFindingName, number>();
  let unexplained = 0;
  let firstUnexplained: string | null = null;
  for (const { seed, result } of failingRuns) {
    const names = new Set<ConcurrentFindingName>();
    for (const violation of result.violations) {
      const finding = classifyViolation(result.record, violation);
      if (finding === null) {
        unexplained += 1;
        firstUnexplained ??= `${seed} (${violation.invariant})`;
      } else {
        names.add(finding);
      }
    }
    for (const name of names) runsByFinding.set(name, (runsByFinding.get(name) ?? 0) + 1);
  }
  const table = new Table({ head: ['known finding of Placement 8.0.0', 'runs', 'what it is'], wordWrap: true, colWidths: [36, 6, 70], style: { head: [], border: [] } });
  for (const [name, runs] of [...runsByFinding].sort((left, right) => right[1] - left[1])) table.push([name, runs, CONCURRENT_FINDINGS[name]]);
  table.push(['violations no known finding explains', unexplained, firstUnexplained === null ? '' : `first: seed ${firstUnexplained}`]);
  return table.toString();
}
