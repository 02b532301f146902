/**
 * Runs one sequence of planned requests against the model (from an empty
 * state) and against the real service (just reset), request by request,
 * and decides the sequence's verdict.
 *
 * The first difference ends the sequence: from there on the two sides may
 * hold different states, so later comparisons would say nothing new. A
 * difference that a registered finding explains is counted as explained,
 * not as a failure.
 */
import { emptyState, handle, type HttpRequest, type HttpResponse, type State } from '../../model/index.ts';
import type { Completion } from '../../sim/history.ts';
import type { Finding } from '../findings.ts';
import type { RequestPlan } from './action.ts';
import { compareResponses, type Difference } from './compareResponses.ts';
import type { ConformanceTarget, Database } from './conformanceTarget.ts';
import { materialiseAction } from './materialiseAction.ts';

/** One request as both sides saw it. */
export interface ComparedStep {
  readonly index: number;
  readonly request: HttpRequest;
  readonly stateBefore: State;
  readonly stateAfter: State;
  readonly model: HttpResponse;
  readonly real: Completion;
  /** Empty when the responses match after normalisation, or when the real side is unknown. */
  readonly differences: readonly Difference[];
}

export type SequenceVerdict =
  | { readonly kind: 'matched' }
  | { readonly kind: 'explained'; readonly finding: string; readonly index: number }
  | { readonly kind: 'mismatch'; readonly index: number; readonly differences: readonly Difference[] }
  /** The real service gave no response (timeout, connection error): nothing to compare. */
  | { readonly kind: 'inconclusive'; readonly index: number; readonly reason: string }
  /** The service could not be reset: a setup failure, not a verdict on the service. */
  | { readonly kind: 'resetFailed'; readonly message: string };

export interface SequenceRun {
  readonly steps: readonly ComparedStep[];
  readonly verdict: SequenceVerdict;
  /** Requests planned but not sent because the sequence ended early. */
  readonly requestsNotSent: number;
  /** Nanoseconds spent waiting for the real service's answers, the reset included. */
  readonly serviceWaitNs: number;
}

export interface RunContext {
  readonly target: ConformanceTarget;
  readonly findings: readonly Finding[];
  /** Transforms the model's responses; only tests that prove the harness catches a wrong model use it. */
  readonly mutateModelResponse?: (request: HttpRequest, response: HttpResponse) => HttpResponse;
}

/** Runs planned requests, materialising each against the model's state at that point. */
export function runPlannedSequence(plans: readonly RequestPlan[], context: RunContext): Promise<SequenceRun> {
  return runSequence(plans.length, (state, index) => materialiseAction(plans[index] ?? failMissing(index), state), context);
}

/** Runs concrete requests, as recorded in a report. */
export function runRecordedSequence(requests: readonly HttpRequest[], context: RunContext): Promise<SequenceRun> {
  return runSequence(requests.length, (_state, index) => requests[index] ?? failMissing(index), context);
}

function failMissing(index: number): never {
  throw new Error(`no request at index ${index}`);
}

async function runSequence(length: number, requestAt: (state: State, index: number) => HttpRequest, context: RunContext): Promise<SequenceRun> {
  const reset = await context.target.reset();
  if (reset.kind === 'failed') return { steps: [], verdict: { kind: 'resetFailed', message: reset.message }, requestsNotSent: length, serviceWaitNs: 0 };
  const steps: ComparedStep[] = [];
  let state = emptyState();
  let serviceWaitNs = reset.elapsedNs;
  for (let index = 0; index < length; index += 1) {
    const request = requestAt(state, index);
    const handled = handle(state, request);
    const model = context.mutateModelResponse === undefined ? handled.response : context.mutateModelResponse(request, handled.response);
    const timed = await context.target.send(request);
    serviceWaitNs += timed.endedNs - timed.startedNs;
    const real = timed.completion;
    const differences = real.kind === 'response' ? compareMismatch(model, real.response) : [];
    steps.push({ index, request, stateBefore: state, stateAfter: handled.state, model, real, differences });
    state = handled.state;
    const verdict = stepVerdict(steps, context);
    if (verdict !== null) return { steps, verdict, requestsNotSent: length - index - 1, serviceWaitNs };
  }
  return { steps, verdict: { kind: 'matched' }, requestsNotSent: 0, serviceWaitNs };
}

function compareMismatch(model: HttpResponse, real: HttpResponse): readonly Difference[] {
  const comparison = compareResponses(model, real);
  return comparison.kind === 'match' ? [] : comparison.differences;
}

/** `null` while the sequence should go on. */
function stepVerdict(steps: readonly ComparedStep[], context: RunContext): SequenceVerdict | null {
  const last = steps[steps.length - 1];
  if (last === undefined) return null;
  if (last.real.kind === 'unknown') return { kind: 'inconclusive', index: last.index, reason: last.real.reason };
  if (last.differences.length === 0) return null;
  const database: Database = context.target.database;
  const finding = context.findings.find((candidate) => candidate.databases.includes(database) && candidate.explains({ steps, database }));
  if (finding !== undefined) return { kind: 'explained', finding: finding.name, index: last.index };
  return { kind: 'mismatch', index: last.index, differences: last.differences };
}
