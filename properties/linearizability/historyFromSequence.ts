/**
 * Builds concurrent histories that are linearizable by construction: run a
 * sequence of requests on the model one after another, then give each
 * request an interval around its place in the sequence. The sequence itself
 * is then an order consistent with real time that explains every response.
 * Used by the property tests and the benchmark.
 */
import { handle, type HttpRequest, type State } from '../../model/index.ts';
import type { History, Operation } from '../../sim/history.ts';

/** What becomes of a request in the history. */
export type SequencedOutcome =
  /** Applied at its place; the client saw the response. */
  | 'response'
  /** Applied at its place; the client timed out. */
  | 'unknownApplied'
  /** Never applied; the client timed out. */
  | 'unknownLost';

export interface SequencedRequest {
  readonly client: number;
  /** The request, or how to make it from the state at its place (to name current generations). */
  readonly request: HttpRequest | ((state: State) => HttpRequest);
  readonly outcome: SequencedOutcome;
  /** How long before its place in the sequence it was called, in ticks (< spacing x spread). */
  readonly leadTicks: number;
  /** How long after its place it returned, in ticks. */
  readonly lagTicks: number;
}

export interface SequencedHistory {
  readonly history: History;
  /** The model's state after the whole sequence (lost requests left out). */
  readonly finalState: State;
  /** Ids in the order the requests were applied (lost requests left out). */
  readonly order: readonly number[];
}

/** Ticks between two consecutive places in the sequence. */
export const SEQUENCE_SPACING_TICKS = 10;

export function historyFromSequence(initialState: State, steps: readonly SequencedRequest[]): SequencedHistory {
  let state = initialState;
  const operations: Operation[] = [];
  const order: number[] = [];
  const stepsByClient = new Map<number, number>();
  steps.forEach((step, index) => {
    const place = (index + 1) * SEQUENCE_SPACING_TICKS;
    const clientStep = stepsByClient.get(step.client) ?? 0;
    stepsByClient.set(step.client, clientStep + 1);
    const invokedAt = place - Math.max(0, step.leadTicks);
    const completedAt = place + Math.max(0, step.lagTicks);
    const request = typeof step.request === 'function' ? step.request(state) : step.request;
    const base = { id: index, client: step.client, step: clientStep, request, invokedAt };
    if (step.outcome === 'unknownLost') {
      operations.push({ ...base, completedAt: null, completion: { kind: 'unknown', reason: 'timeout' } });
      return;
    }
    const handled = handle(state, request);
    state = handled.state;
    order.push(index);
    if (step.outcome === 'unknownApplied') {
      operations.push({ ...base, completedAt, completion: { kind: 'unknown', reason: 'timeout' } });
    } else {
      operations.push({ ...base, completedAt, completion: { kind: 'response', response: handled.response } });
    }
  });
  operations.sort((left, right) => left.invokedAt - right.invokedAt || left.id - right.id);
  return { history: { operations }, finalState: state, order };
}
