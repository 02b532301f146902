/**
 * The model's entry point: one HTTP request in, the next state and the
 * response out. Pure: no I/O, no clock, no randomness; the input state is
 * never modified.
 *
 * Handling is decoding (`decodeRequest.ts`: everything decided before the
 * data is read) and then answering in a state. Callers that ask one request
 * of many states decode it once and call `answer`, which also leaves a
 * refusal unrendered until someone needs its bytes (`renderAnswer`).
 */
import { passOnSentBody, type ApiContext, type JsonResponse, type Reply } from './api/context.ts';
import { renderJson } from './api/respond.ts';
import { decodeRequest, type DecodedRequest, type RefusalSubject } from './decodeRequest.ts';
import { renderError, type ErrorContext, type PlacementError } from './errors.ts';
import type { HttpRequest, HttpResponse } from './http.ts';
import type { Microversion } from './microversion.ts';
import { withCounters, type State } from './state.ts';

export { decodeRequest, splitTarget, type DecodedRequest } from './decodeRequest.ts';

export interface Handled {
  readonly state: State;
  readonly response: HttpResponse;
}

/**
 * A request's answer in one state, before a refusal is rendered: the state
 * after it is final either way, and `renderAnswer` gives the exact response.
 */
export type Answer =
  | { readonly kind: 'response'; readonly state: State; readonly response: HttpResponse }
  /** A JSON response with its document unrendered (see `Reply`). */
  | { readonly kind: 'json'; readonly state: State; readonly json: JsonResponse }
  | { readonly kind: 'refusal'; readonly state: State; readonly failure: PlacementError; readonly context: ErrorContext };

export function handle(state: State, request: HttpRequest): Handled {
  return renderAnswer(answer(state, decodeRequest(request)));
}

/** `handle` of the request `decoded` came from, with a refusal left unrendered. */
export function answer(state: State, decoded: DecodedRequest): Answer {
  const counted = withCounters(state, state.counters.requests + 1, state.counters.uuids);
  const requestId = requestIdFor(counted.counters.requests);
  switch (decoded.kind) {
    case 'refused':
      return refusal(counted, decoded.failure, errorContext(decoded.subject, decoded.version, requestId));
    case 'routed': {
      const stateless = decoded.context;
      const context: ApiContext = {
        method: stateless.method,
        path: stateless.path,
        query: stateless.query,
        headers: stateless.headers,
        body: stateless.body,
        microversion: stateless.microversion,
        requestId,
        origin: stateless.origin,
        parameters: stateless.parameters,
      };
      // A handler without `prepare` reads the body per answer, through this context.
      if (decoded.endpoint.prepare === undefined) passOnSentBody(stateless, context);
      const reply: Reply = decoded.handler(counted, context);
      switch (reply.kind) {
        case 'error':
          return refusal(counted, reply.error, errorContext(decoded.subject, stateless.microversion, requestId));
        // A reply of these kinds has exactly the fields of the answer (kind, state, and the
        // response or document), and both are read-only: it is the answer, not copied.
        case 'json':
          return reply;
        case 'response':
          return reply;
        default:
          return assertNever(reply);
      }
    }
    default:
      return assertNever(decoded);
  }
}

export function renderAnswer(given: Answer): Handled {
  switch (given.kind) {
    case 'response':
      return { state: given.state, response: given.response };
    case 'json':
      return { state: given.state, response: renderJson(given.json) };
    case 'refusal':
      return { state: given.state, response: renderError(given.failure, given.context) };
    default:
      return assertNever(given);
  }
}

function refusal(state: State, failure: PlacementError, context: ErrorContext): Answer {
  return { kind: 'refusal', state, failure, context };
}

function errorContext(subject: RefusalSubject, version: Microversion | null, requestId: string): ErrorContext {
  return { microversion: version, requestId, method: subject.method, accept: subject.accept, contentType: subject.contentType };
}

/** Request ids shaped like oslo's `req-<uuid>`, numbered from state. */
function requestIdFor(counter: number): string {
  // The checker answers many requests with the same few counters: their ids are kept, not rebuilt.
  const known = requestIds[counter];
  if (known !== undefined) return known;
  const id = `req-00000000-0000-4000-8000-${counter.toString(16).padStart(12, '0')}`;
  if (Number.isInteger(counter) && counter >= 0 && counter < REQUEST_IDS_KEPT) requestIds[counter] = id;
  return id;
}

/** Ids of the first requests of a state's life, which is as far as a run's requests go; a fixed bound. */
const REQUEST_IDS_KEPT = 4096;
const requestIds: string[] = [];

function assertNever(value: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
}
