/**
 * The table both fuzz campaigns (in-process and live) end with: how many
 * failing runs each known finding of Placement 8.0.0 explains, and how many
 * violations nothing known explains. Informational: it changes neither what
 * is reported nor the exit code.
 */
import Table from 'cli-table3';
import { CONCURRENT_FINDINGS, classifyViolations, type ConcurrentFindingName } from '../properties/concurrentFindings/classifyViolation.ts';
import type { RunRecord } from '../properties/runRecord.ts';
import type { Violation } from '../properties/violation.ts';

/** A failing run's violations with, per violation, the known finding that explains it (or null). */
export interface ClassifiedRun {
  readonly seed: string;
  readonly violations: readonly Violation[];
  readonly findings: readonly (ConcurrentFindingName | null)[];
}

export function classifyRun(seed: string, result: { readonly record: RunRecord; readonly violations: readonly Violation[] }): ClassifiedRun {
  return { seed, violations: result.violations, findings: classifyViolations(result.record, result.violations) };
}

export function findingsTable(failingRuns: readonly ClassifiedRun[]): string | null {
  if (failingRuns.length === 0) return null;
  const runsByFinding = new Map<ConcurrentFindingName, number>();
  let unexplained = 0;
  let firstUnexplained: string | null = null;
  for (const { seed, violations, findings } of failingRuns) {
    const names = new Set<ConcurrentFindingName>();
    violations.forEach((violation, index) => {
      const finding = findings[index] ?? null;
      if (finding === null) {
        unexplained += 1;
        firstUnexplained ??= `${seed} (${violation.invariant})`;
      } else {
        names.add(finding);
      }
    });
    for (const name of names) runsByFinding.set(name, (runsByFinding.get(name) ?? 0) + 1);
  }
  const table = new Table({ head: ['known finding of Placement 8.0.0', 'runs', 'what it is'], wordWrap: true, colWidths: [36, 6, 70], style: { head: [], border: [] } });
  for (const [name, runs] of [...runsByFinding].sort((left, right) => right[1] - left[1])) table.push([name, runs, CONCURRENT_FINDINGS[name]]);
  table.push(['violations no known finding explains', unexplained, firstUnexplained === null ? '' : `first: seed ${firstUnexplained}`]);
  return table.toString();
}
