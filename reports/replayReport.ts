/**
 * Re-executes a report's program and schedule on the in-process target and
 * compares: the same history byte for byte, and the same violation.
 */
import { runProgram, type SeedResult } from '../campaign/runSeed.ts';
import type { InvariantName } from '../properties/violation.ts';
import type { FailureReport } from './failureReport.ts';
import { stableJson } from './stableJson.ts';

export interface ReplayOutcome {
  readonly result: SeedResult;
  readonly sameHistory: boolean;
  /** The first operation whose record differs, when the history differs. */
  readonly firstDifference: number | null;
  readonly expectedInvariants: readonly InvariantName[];
  readonly reproduced: boolean;
  readonly divergence: string | null;
}

export function replayReport(report: FailureReport): ReplayOutcome {
  const result = runProgram(report.options, report.program, { target: report.target, overrides: report.overrides }, report.schedule);
  const recorded = report.history.map(({ statements, ...operation }) => {
    void statements;
    return operation;
  });
  const replayed = result.run.history.operations;
  let firstDifference: number | null = null;
  const length = Math.max(recorded.length, replayed.length);
  for (let index = 0; index < length; index += 1) {
    if (stableJson(recorded[index] ?? null) !== stableJson(replayed[index] ?? null)) {
      firstDifference = recorded[index]?.id ?? replayed[index]?.id ?? index;
      break;
    }
  }
  const expectedInvariants = [...new Set(report.violations.map((violation) => violation.invariant))];
  const reproduced = result.violations.some((violation) => expectedInvariants.includes(violation.invariant));
  return { result, sameHistory: firstDifference === null, firstDifference, expectedInvariants, reproduced, divergence: result.run.divergence };
}
