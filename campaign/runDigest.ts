/**
 * What a campaign keeps of one run: plain data, so that a run can be made in
 * a worker thread and only its digest sent back. Everything that needs the
 * whole run (its failure report, the known findings behind its violations,
 * the determinism check) happens where the run was made, as soon as it ends,
 * so a violation found is on disk before the digest travels anywhere.
 */
import { classifyViolations, type ConcurrentFindingName } from '../properties/concurrentFindings/classifyViolation.ts';
import type { Violation } from '../properties/violation.ts';
import { stableJson } from '../reports/stableJson.ts';
import { writeFailureReport } from '../reports/writeFailureReport.ts';
import type { RunOptions } from '../sim/runOptions.ts';
import { runSeed, type RunSettings, type SeedResult } from './runSeed.ts';

export interface RunDigest {
  readonly seed: string;
  readonly options: RunOptions;
  readonly stepsCount: number;
  readonly requestsCount: number;
  readonly violations: readonly Violation[];
  /** Per violation, in the same order: the known finding of Placement 8.0.0 that explains it, or null. */
  readonly findings: readonly (ConcurrentFindingName | null)[];
  /** The failure report's JSON file; null when nothing was violated or no report was asked for. */
  readonly reportPath: string | null;
  /** Whether a second run of the seed gave the same history, schedule and violations; null when not checked. */
  readonly deterministic: boolean | null;
}

export interface DigestSettings extends RunSettings {
  /** Where failure reports go; null writes none. */
  readonly reportDirectory: string | null;
  readonly checkDeterminism: boolean;
}

export function runAndDigest(seed: string, settings: DigestSettings): RunDigest {
  const result = runSeed(seed, settings);
  const failing = result.violations.length > 0;
  const reportPath =
    failing && settings.reportDirectory !== null ? writeFailureReport(settings.reportDirectory, seed, result, settings.target, settings.overrides) : null;
  return {
    seed,
    options: result.options,
    stepsCount: result.run.stepsCount,
    requestsCount: result.run.history.operations.length,
    violations: result.violations,
    findings: classifyViolations(result.record, result.violations),
    reportPath,
    deterministic: settings.checkDeterminism ? sameRun(result, runSeed(seed, settings)) : null,
  };
}

export function sameRun(first: SeedResult, second: SeedResult): boolean {
  return stableJson([first.run.history, first.run.schedule, first.violations]) === stableJson([second.run.history, second.run.schedule, second.violations]);
}
