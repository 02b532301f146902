/**
 * One run from one seed on a live Placement: derive the options, generate
 * the program (the same program the in-process target gets for the seed
 * and scenario), run it with concurrent clients, check every invariant.
 *
 * Unlike in-process runs, a live run's interleaving is the service's: the
 * same seed replays the same program, not the same history. The
 * linearizability check therefore runs on a real clock, and a search that
 * runs out of time is reported as undecided, never as a pass.
 */
import { checkRun } from '../properties/invariants/checkRun.ts';
import { checkLinearizable } from '../properties/invariants/linearizable.ts';
import { DEFAULT_STATES_MAX, type LinearizabilityOptions } from '../properties/linearizability/checkLinearizability.ts';
import type { RunRecord } from '../properties/runRecord.ts';
import type { Violation } from '../properties/violation.ts';
import type { Operation } from '../sim/history.ts';
import { monotonicNs } from '../sim/http/monotonicNs.ts';
import type { ResetAuthority } from '../sim/live/resetAuthority.ts';
import { runLive, type LiveLimits, type LiveRun, type LiveRunProblem } from '../sim/live/runLive.ts';
import type { StartGate } from '../sim/live/startOrderGate.ts';
import { generateScenarioProgram, type Scenario } from '../sim/program/generateScenarioProgram.ts';
import type { Program } from '../sim/program/program.ts';
import { deriveRunOptions, type RunOptionOverrides, type RunOptions } from '../sim/runOptions.ts';

/** Default wall-clock budget of one run's linearizability search. */
export const LIVE_CHECK_TIME_LIMIT_MS = 20_000;

export interface LiveSettings {
  readonly authority: ResetAuthority;
  readonly overrides: RunOptionOverrides;
  readonly scenario: Scenario;
  readonly limits: LiveLimits;
  readonly checkTimeLimitMs: number;
}

export interface LiveSeedResult {
  readonly options: RunOptions;
  readonly program: Program;
  readonly run: LiveRun;
  readonly record: RunRecord;
  /** Violations with a verdict. */
  readonly violations: readonly Violation[];
  /** Linearizability searches that ran out of budget: neither a pass nor a failure. */
  readonly undecided: readonly Violation[];
  /** Milliseconds the checks took. */
  readonly checkMs: number;
}

export async function runLiveSeed(seed: string, settings: LiveSettings): Promise<LiveSeedResult | LiveRunProblem> {
  const options = deriveRunOptions(seed, settings.overrides);
  const program = generateScenarioProgram(settings.scenario, options);
  return runLiveProgram(options, program, settings);
}

/** What running and checking a given program needs (the seed and scenario only choose the program). */
export type LiveProgramSettings = Pick<LiveSettings, 'authority' | 'limits' | 'checkTimeLimitMs'>;

/**
 * Runs a given program and checks it exactly as a campaign run is checked.
 * A replay passes the program recorded in a report (not one regenerated
 * from its seed, which another version could generate differently) and a
 * start gate in the recorded order.
 */
export async function runLiveProgram(
  options: RunOptions,
  program: Program,
  settings: LiveProgramSettings,
  gate: StartGate | null = null,
): Promise<LiveSeedResult | LiveRunProblem> {
  const run = await runLive(program, settings.authority, settings.limits, gate);
  if ('kind' in run) return run;
  const record: RunRecord = {
    program,
    history: run.history,
    details: new Map(),
    faults: [],
    tables: null,
    stalled: run.stalled,
    liveConsumerProbes: run.consumerProbes,
  };
  const checkStart = monotonicNs();
  const budget = { now: () => monotonicNs() / 1e6, timeLimitMs: settings.checkTimeLimitMs, statesMax: DEFAULT_STATES_MAX };
  const all = refineLinearizability(record, checkRun(record, budget), budget);
  const checkMs = (monotonicNs() - checkStart) / 1e6;
  return {
    options,
    program,
    run,
    record,
    violations: all.filter((violation) => !isUndecided(violation)),
    undecided: all.filter(isUndecided),
    checkMs,
  };
}

/**
 * The model never answers 5xx, so one server error makes every history
 * illegal and hides whatever else is wrong. On the in-process target that
 * is settled by the fault plan (a 5xx it injected is left out); a live
 * target has no fault plan, so a 5xx is taken for what it is: a request
 * that may or may not have taken effect (an unknown outcome). The 5xx
 * itself stays a no-server-errors violation. Only when the first search
 * found the history illegal and it has 5xx answers is it searched again.
 */
function refineLinearizability(record: RunRecord, violations: readonly Violation[], budget: LinearizabilityOptions): Violation[] {
  const illegal = violations.some((violation) => violation.invariant === 'linearizable' && !isUndecided(violation));
  const serverErrors = record.history.operations.filter((operation) => operation.completion.kind === 'response' && operation.completion.response.status >= 500);
  if (!illegal || serverErrors.length === 0) return [...violations];
  const operations = record.history.operations.map((operation): Operation => {
    if (operation.completion.kind !== 'response' || operation.completion.response.status < 500) return operation;
    return { ...operation, completedAt: null, completion: { kind: 'unknown', reason: `answered ${operation.completion.response.status}` } };
  });
  const recheck = checkLinearizable({ ...record, history: { operations } }, { ...budget, timeLimitMs: budget.timeLimitMs }).map((violation) => ({
    ...violation,
    data: { ...violation.data, serverErrorsTakenAsUnknown: serverErrors.map((operation) => operation.id) },
  }));
  return [...violations.filter((violation) => violation.invariant !== 'linearizable'), ...recheck];
}

/** checkLinearizable reports an exhausted budget as a violation carrying the reason; here it is its own verdict. */
export function isUndecided(violation: Violation): boolean {
  return violation.invariant === 'linearizable' && violation.data['reason'] !== undefined;
}
