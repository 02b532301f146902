/**
 * One replay attempt of a live failure report: re-send the report's
 * recorded program (not one regenerated from its seed) with the same
 * clients, each client request held back until every request recorded
 * before it has been sent, check the run as a live campaign checks its runs,
 * and compare. Only the start order is ours to repeat; what happens inside
 * the service is the service's again, so an attempt may or may not
 * reproduce, and the caller tries more than once.
 */
import { runLiveProgram, type LiveProgramSettings, type LiveSeedResult } from '../campaign/runLiveSeed.ts';
import type { InvariantName } from '../properties/violation.ts';
import type { Completion, Operation } from '../sim/history.ts';
import type { LiveRunProblem } from '../sim/live/runLive.ts';
import { createStartOrderGate, type RecordedStart } from '../sim/live/startOrderGate.ts';
import type { LiveFailureReport } from './liveFailureReport.ts';

/** How closely the attempt followed the recording, for the verdict line. */
export interface ReplayFidelity {
  /** Client requests in the recording. */
  readonly recordedRequests: number;
  /** Of those, the ones the attempt sent (a client stops at an unknown outcome). */
  readonly sentRecorded: number;
  /** Requests the attempt sent that the recording does not have. */
  readonly extraRequests: number;
  /** The recorded requests the attempt sent started in their recorded order. */
  readonly inRecordedOrder: boolean;
  /** Of the recorded requests the attempt sent, those answered with the recorded status. */
  readonly sameStatus: number;
}

export interface LiveReplayAttempt {
  readonly result: LiveSeedResult;
  /** The invariants the report's violations broke. */
  readonly expectedInvariants: readonly InvariantName[];
  /** The expected invariants this attempt broke again. */
  readonly reproducedInvariants: readonly InvariantName[];
  readonly reproduced: boolean;
  readonly fidelity: ReplayFidelity;
}

export async function replayLiveAttempt(report: LiveFailureReport, settings: LiveProgramSettings): Promise<LiveReplayAttempt | LiveRunProblem> {
  const recorded = clientOperationsByInvocation(report.history);
  const gate = createStartOrderGate(recorded.map(({ client, step }): RecordedStart => ({ client, step })));
  const result = await runLiveProgram(report.options, report.program, settings, gate);
  if ('kind' in result) return result;
  const expectedInvariants = invariantsToReproduce(report.violations.map((violation) => violation.invariant));
  const found = new Set(result.violations.map((violation) => violation.invariant));
  const reproducedInvariants = expectedInvariants.filter((invariant) => found.has(invariant));
  return {
    result,
    expectedInvariants,
    reproducedInvariants,
    reproduced: reproducedInvariants.length > 0,
    fidelity: compareWithRecording(recorded, clientOperationsByInvocation(result.run.history.operations)),
  };
}

/**
 * What a live replay must break again. An unexplained response breaks
 * `linearizable` in almost any disturbed run, so when a report also broke a
 * specific invariant (capacity, consumer-lifecycle, ...), that one decides;
 * `linearizable` decides only when it is all the report has.
 */
export function invariantsToReproduce(invariants: readonly InvariantName[]): readonly InvariantName[] {
  const distinct = [...new Set(invariants)];
  const specific = distinct.filter((invariant) => invariant !== 'linearizable');
  return specific.length > 0 ? specific : distinct;
}

/** The concurrent clients' requests (not setup, not snapshot) in invocation order. */
export function clientOperationsByInvocation(operations: readonly Operation[]): readonly Operation[] {
  return operations.filter((operation) => operation.client >= 0).sort((left, right) => left.invokedAt - right.invokedAt || left.id - right.id);
}

function compareWithRecording(recorded: readonly Operation[], replayed: readonly Operation[]): ReplayFidelity {
  const keyOf = (operation: Operation): string => `${operation.client}:${operation.step}`;
  const recordedByKey = new Map(recorded.map((operation) => [keyOf(operation), operation] as const));
  const replayedKeys = new Set(replayed.map(keyOf));
  const sentRecorded = replayed.filter((operation) => recordedByKey.has(keyOf(operation)));
  const expectedOrder = recorded.map(keyOf).filter((key) => replayedKeys.has(key));
  return {
    recordedRequests: recorded.length,
    sentRecorded: sentRecorded.length,
    extraRequests: replayed.length - sentRecorded.length,
    inRecordedOrder: sentRecorded.map(keyOf).join(' ') === expectedOrder.join(' '),
    sameStatus: sentRecorded.filter((operation) => statusOf(operation.completion) === statusOf(recordedByKey.get(keyOf(operation))?.completion)).length,
  };
}

function statusOf(completion: Completion | undefined): number | 'unknown' | null {
  if (completion === undefined) return null;
  return completion.kind === 'response' ? completion.response.status : 'unknown';
}
