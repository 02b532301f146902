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

/**
 * The table's counts, added to run by run: a campaign tallies its failing
 * runs as they come instead of keeping them all until the end.
 */
export class FindingsTally {
  private readonly runsByFinding = new Map<ConcurrentFindingName, number>();
  private failingRuns = 0;
  private unexplained = 0;
  private firstUnexplained: string | null = null;

  add({ seed, violations, findings }: ClassifiedRun): void {
    this.failingRuns += 1;
    const names = new Set<ConcurrentFindingName>();
    violations.forEach((violation, index) => {
      const finding = findings[index] ?? null;
      if (finding === null) {
        this.unexplained += 1;
        this.firstUnexplained ??= `${seed} (${violation.invariant})`;
      } else {
        names.add(finding);
      }
    });
    for (const name of names) this.runsByFinding.set(name, (this.runsByFinding.get(name) ?? 0) + 1);
  }

  /** The table, or null when no failing run was added. */
  render(): string | null {
    if (this.failingRuns === 0) return null;
    const table = new Table({ head: ['known finding of Placement 8.0.0', 'runs', 'what it is'], wordWrap: true, colWidths: [36, 6, 70], style: { head: [], border: [] } });
    for (const [name, runs] of [...this.runsByFinding].sort((left, right) => right[1] - left[1])) table.push([name, runs, CONCURRENT_FINDINGS[name]]);
    table.push(['violations no known finding explains', this.unexplained, this.firstUnexplained === null ? '' : `first: seed ${this.firstUnexplained}`]);
    return table.toString();
  }
}

export function findingsTable(failingRuns: readonly ClassifiedRun[]): string | null {
  const tally = new FindingsTally();
  for (const run of failingRuns) tally.add(run);
  return tally.render();
}
