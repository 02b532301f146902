/**
 * An operation with what the search needs precomputed once: its parsed
 * observed response and whether it can change the state at all.
 */
import { decodeRequest, type DecodedRequest } from '../../model/handle.ts';
import type { Operation } from '../../sim/history.ts';
import { prepareObservedResponse, type PreparedResponse } from './responseMatch.ts';

export interface PreparedOperation {
  readonly operation: Operation;
  /** The request as the model decodes it before reading any state: decoded once, answered in many states. */
  readonly decoded: DecodedRequest;
  /** The entities its footprint names, numbered within the history; `null`: anything (see `partition.ts`). */
  readonly entities: readonly number[] | null;
  /** `null` when the outcome is unknown: any response, any effect or none. */
  readonly observed: PreparedResponse | null;
  /**
   * True when the operation leaves the model's state unchanged in every
   * state where its observed response is explained: a GET, or a refused
   * request (the model changes nothing when it answers with an error). The
   * search may then place it as soon as it is explained, without trying it
   * anywhere later, because moving such an operation earlier never changes
   * what any other operation sees.
   */
  readonly observationallyPure: boolean;
  /** When it was called and when it returned; `Infinity` when its outcome is unknown. */
  readonly invokedAt: number;
  readonly returnedAt: number;
}

export function prepareOperation(operation: Operation, entities: readonly number[] | null): PreparedOperation {
  const completion = operation.completion;
  switch (completion.kind) {
    case 'response':
      return {
        operation,
        decoded: decodeRequest(operation.request),
        entities,
        observed: prepareObservedResponse(completion.response),
        observationallyPure: operation.request.method === 'GET' || completion.response.status >= 400,
        invokedAt: operation.invokedAt,
        returnedAt: operation.completedAt ?? Number.POSITIVE_INFINITY,
      };
    case 'unknown':
      // The request may still be in flight at the server when the client gives up, so
      // it may take effect at any later moment, whatever `completedAt` says.
      return {
        operation,
        decoded: decodeRequest(operation.request),
        entities,
        observed: null,
        observationallyPure: false,
        invokedAt: operation.invokedAt,
        returnedAt: Number.POSITIVE_INFINITY,
      };
    default:
      return assertNever(completion);
  }
}

/** A request that cannot change anything, so that an unknown outcome of it constrains nothing. */
export function isReadOnlyRequest(operation: Operation): boolean {
  return operation.request.method === 'GET' || operation.request.method === 'HEAD';
}

function assertNever(value: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
}
