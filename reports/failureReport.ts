/**
 * The failure report: everything needed to understand and replay one
 * failing run, as data with a schema version.
 */
import type { SeedResult } from '../campaign/runSeed.ts';
import type { ShrinkSize } from '../campaign/shrink.ts';
import type { TargetSettings } from '../campaign/targetSettings.ts';
import type { Violation } from '../properties/violation.ts';
import type { Operation } from '../sim/history.ts';
import type { Program } from '../sim/program/program.ts';
import type { RunOptionOverrides, RunOptions } from '../sim/runOptions.ts';

export const REPORT_SCHEMA_VERSION = 1;

export interface FailureReport {
  readonly schemaVersion: typeof REPORT_SCHEMA_VERSION;
  readonly tool: { readonly version: string; readonly commit: string };
  readonly target: TargetSettings;
  readonly overrides: RunOptionOverrides;
  readonly seed: string;
  readonly options: RunOptions;
  readonly program: Program;
  /** The scheduler's choices, one client index per step. */
  readonly schedule: readonly number[];
  readonly faults: SeedResult['run']['faults'];
  readonly history: readonly ReportOperation[];
  readonly violations: readonly Violation[];
  /** How the program and schedule were reduced, when they were. */
  readonly shrunk: { readonly attempts: number; readonly before: ShrinkSize; readonly after: ShrinkSize } | null;
  /** Reruns the seed as the campaign ran it (before shrinking). */
  readonly replay: string;
  /** Set on reports kept in the regression corpus (reports/regressions). */
  readonly regression?: RegressionExpectation;
}

export interface RegressionExpectation {
  /** `still-fails`: a defect or finding the harness must keep detecting; `now-passes`: a fixed bug. */
  readonly expectation: 'still-fails' | 'now-passes';
  readonly why: string;
}

export interface ReportOperation extends Operation {
  /** Statements the request ran on the in-process target, with their ticks. */
  readonly statements: readonly { readonly tick: number; readonly label: string; readonly transaction: string | null }[];
}

export function buildFailureReport(
  seed: string,
  result: SeedResult,
  target: TargetSettings,
  overrides: RunOptionOverrides,
  tool: FailureReport['tool'],
  replay: string,
  shrunk: FailureReport['shrunk'] = null,
): FailureReport {
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool,
    target,
    overrides,
    seed,
    options: result.options,
    program: result.program,
    schedule: result.run.schedule,
    faults: result.run.faults,
    history: result.run.history.operations.map((operation) => ({ ...operation, statements: result.run.details.get(operation.id)?.statements ?? [] })),
    violations: result.violations,
    shrunk,
    replay,
  };
}
