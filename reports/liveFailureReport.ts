/**
 * The failure report of a run on a live Placement: the program (which the
 * seed regenerates), the history the service produced (which no seed
 * regenerates: the interleaving was the service's), the consumer probes and
 * the violations. Same conventions as failureReport.ts, with `kind: 'live'`
 * so readers can tell the two apart.
 */
import type { LiveSeedResult } from '../campaign/runLiveSeed.ts';
import type { Violation } from '../properties/violation.ts';
import type { Operation } from '../sim/history.ts';
import type { ConsumerProbe } from '../sim/live/consumerProbe.ts';
import type { LiveTimings } from '../sim/live/runLive.ts';
import type { Program } from '../sim/program/program.ts';
import type { Scenario } from '../sim/program/generateScenarioProgram.ts';
import type { RunOptionOverrides, RunOptions } from '../sim/runOptions.ts';

export const LIVE_REPORT_SCHEMA_VERSION = 1;

/** What was run against: as given on the command line, and what is known of the service. */
export interface LiveTargetDescription {
  /** `placement:sqlite`, `placement:mariadb`, or the URL. */
  readonly target: string;
  readonly url: string;
  /** Known when this project started the service. */
  readonly database: string | null;
  readonly workers: number | null;
}

export interface LiveFailureReport {
  readonly schemaVersion: typeof LIVE_REPORT_SCHEMA_VERSION;
  readonly kind: 'live';
  readonly tool: { readonly version: string; readonly commit: string };
  readonly target: LiveTargetDescription;
  readonly scenario: Scenario;
  readonly overrides: RunOptionOverrides;
  readonly seed: string;
  readonly options: RunOptions;
  readonly program: Program;
  /** Invocation and completion in nanoseconds from the run's start. */
  readonly history: readonly Operation[];
  readonly consumerProbes: readonly ConsumerProbe[];
  readonly timings: LiveTimings;
  readonly violations: readonly Violation[];
  /** Linearizability searches that ran out of time (neither pass nor failure). */
  readonly undecided: readonly Violation[];
  /** Reruns the same program; the service decides the interleaving again. */
  readonly replay: string;
}

export function buildLiveFailureReport(
  seed: string,
  result: LiveSeedResult,
  target: LiveTargetDescription,
  scenario: Scenario,
  overrides: RunOptionOverrides,
  tool: LiveFailureReport['tool'],
  replay: string,
): LiveFailureReport {
  return {
    schemaVersion: LIVE_REPORT_SCHEMA_VERSION,
    kind: 'live',
    tool,
    target,
    scenario,
    overrides,
    seed,
    options: result.options,
    program: result.program,
    history: result.run.history.operations,
    consumerProbes: result.run.consumerProbes,
    timings: result.run.timings,
    violations: result.violations,
    undecided: result.undecided,
    replay,
  };
}
