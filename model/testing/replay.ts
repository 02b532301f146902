/**
 * Runs a sequence of request specs through a handler, one at a time, and
 * records every step: the state before and after, the request as sent and
 * the response. Laws are checked over these steps.
 */
import { handle, type Handled } from '../handle.ts';
import type { HttpRequest, HttpResponse } from '../http.ts';
import { emptyState, type State } from '../state.ts';
import { renderRequest, stateGenerations } from './renderRequest.ts';
import type { RequestSpec } from './requestSpec.ts';

/** `handle`, or a deliberately broken stand-in that laws must catch. */
export type Handler = (state: State, request: HttpRequest) => Handled;

export interface Step {
  readonly index: number;
  readonly spec: RequestSpec;
  readonly request: HttpRequest;
  readonly before: State;
  readonly after: State;
  readonly response: HttpResponse;
}

export interface ReplayOptions {
  readonly handler?: Handler;
  readonly initial?: State;
  /** Called on each state before it is handed to the handler (to freeze it). */
  readonly prepare?: (state: State) => State;
}

export function replay(specs: readonly RequestSpec[], options: ReplayOptions = {}): readonly Step[] {
  const handler = options.handler ?? handle;
  const steps: Step[] = [];
  let state = options.initial ?? emptyState();
  specs.forEach((spec, index) => {
    const before = options.prepare === undefined ? state : options.prepare(state);
    const request = renderRequest(spec, stateGenerations(before));
    const handled = handler(before, request);
    steps.push({ index, spec, request, before, after: handled.state, response: handled.response });
    state = handled.state;
  });
  return steps;
}

/** One line that names the step, for violation messages. */
export function describeStep(step: Step): string {
  return `step ${step.index}: ${step.request.method} ${step.request.path} -> ${step.response.status} ${step.response.body.slice(0, 300)}`;
}
