/**
 * One run from one seed on an in-process target: derive the options,
 * generate the program, run it under a seeded (or recorded) schedule, check
 * every invariant.
 */
import { checkInvariant, checkRun } from '../properties/invariants/checkRun.ts';
import type { LinearizabilityOptions } from '../properties/linearizability/checkLinearizability.ts';
import type { RunRecord } from '../properties/runRecord.ts';
import type { InvariantName, Violation } from '../properties/violation.ts';
import { FaultPlan } from '../sim/faultPlan.ts';
import { generateProgram } from '../sim/program/generateProgram.ts';
import { generateScenarioProgram, type Scenario } from '../sim/program/generateScenarioProgram.ts';
import type { Program } from '../sim/program/program.ts';
import { Random } from '../sim/random.ts';
import { deriveRunOptions, type RunOptionOverrides, type RunOptions } from '../sim/runOptions.ts';
import { DEFAULT_RUN_LIMITS, runInProcess, type InProcessRun, type RunLimits } from '../sim/runInProcess.ts';
import { LenientReplayScheduler, RandomScheduler, ReplayScheduler, type Scheduler } from '../sim/schedule/scheduler.ts';
import { createTarget, type TargetSettings } from './targetSettings.ts';

/** Checker budget for in-process runs: a state count, never a clock, so verdicts replay. */
export const RUN_CHECK_STATES_MAX = 200_000;

/** The checker's options for every in-process run, one object (the checker only reads them): no clock, the state budget above. */
const RUN_CHECK_OPTIONS: LinearizabilityOptions = { now: () => 0, timeLimitMs: Number.MAX_SAFE_INTEGER, statesMax: RUN_CHECK_STATES_MAX };

export interface SeedResult {
  readonly options: RunOptions;
  readonly program: Program;
  readonly run: InProcessRun;
  readonly record: RunRecord;
  readonly violations: readonly Violation[];
}

export interface RunSettings {
  readonly target: TargetSettings;
  readonly overrides: RunOptionOverrides;
  readonly limits?: RunLimits;
  /** A targeted program generator (sim/program/generateScenarioProgram.ts); absent means the default one. */
  readonly scenario?: Scenario;
}

export function runSeed(seed: string, settings: RunSettings): SeedResult {
  const options = deriveRunOptions(seed, settings.overrides);
  const program = settings.scenario === undefined ? generateProgram(options) : generateScenarioProgram(settings.scenario, options);
  return runProgram(options, program, settings, null);
}

/**
 * How a run picks its interleaving: from the seed, by exactly following a
 * recorded schedule, or by following one where it still fits (shrinking).
 */
export type ScheduleSource =
  | { readonly kind: 'seeded' }
  | { readonly kind: 'replay'; readonly choices: readonly number[] }
  | { readonly kind: 'lenient'; readonly choices: readonly number[] };

function schedulerFor(source: ScheduleSource, options: RunOptions): Scheduler {
  switch (source.kind) {
    case 'seeded':
      return new RandomScheduler(Random.stream(options.seed, 'schedule'), options.switchProbability);
    case 'replay':
      return new ReplayScheduler(source.choices);
    case 'lenient':
      return new LenientReplayScheduler(source.choices);
    default:
      return assertNever(source);
  }
}

/** Runs a given program; with a recorded schedule it replays that interleaving exactly. */
export function runProgram(options: RunOptions, program: Program, settings: RunSettings, schedule: readonly number[] | null): SeedResult {
  return runProgramWith(options, program, settings, schedule === null ? { kind: 'seeded' } : { kind: 'replay', choices: schedule });
}

/**
 * `checked` names the one invariant to check, or `all`: a shrink asks each
 * candidate only about the invariant it shrinks, and its result's
 * `violations` then hold only that invariant's.
 */
export function runProgramWith(options: RunOptions, program: Program, settings: RunSettings, source: ScheduleSource, checked: InvariantName | 'all' = 'all'): SeedResult {
  const target = createTarget(settings.target);
  const scheduler = schedulerFor(source, options);
  const faults = new FaultPlan(options.faults, options.faultProbability, settings.target.isolation, Random.stream(options.seed, 'faults'));
  const run = runInProcess(program, target, scheduler, faults, settings.limits ?? DEFAULT_RUN_LIMITS);
  const record: RunRecord = {
    program,
    history: run.history,
    details: run.details,
    faults: run.faults,
    tables: target.tables(),
    stalled: run.stalled,
  };
  const violations =
    run.divergence !== null ? [] : checked === 'all' ? checkRun(record, RUN_CHECK_OPTIONS) : checkInvariant(record, checked, RUN_CHECK_OPTIONS);
  return { options, program, run, record, violations };
}

function assertNever(value: never): never {
  throw new Error(`unhandled schedule source: ${JSON.stringify(value)}`);
}
