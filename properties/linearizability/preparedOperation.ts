/**
 * An operation with what the search needs about it, each part worked out at
 * most once and only when first asked for: its decoded request, its parsed
 * observed response, and the provider generations it saw.
 *
 * Laziness matters because most operations of an illegal history are never
 * looked at: the search gives up at a dead end long before the last calls
 * become candidates (on the benchmark's histories, about 17 of 52 operations
 * are placed before the dead end). Every part is a pure function of the
 * operation, so working it out late gives what working it out early would.
 */
import { decodeRequest, type DecodedRequest } from '../../model/handle.ts';
import type { Operation } from '../../sim/history.ts';
import { observedProviderGenerations, type ProviderGenerationObservation } from './providerGenerationObservations.ts';
import { prepareObservedResponse, type PreparedResponse } from './responseMatch.ts';

export class PreparedOperation {
  readonly operation: Operation;
  /** The entities its footprint names, numbered within the history; `null`: anything (see `partition.ts`). */
  readonly entities: readonly number[] | null;
  /** False when the outcome is unknown: any response, any effect or none (`observed` is `null` then). */
  readonly outcomeKnown: boolean;
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
  private decodedRequest: DecodedRequest | undefined;
  private observedResponse: PreparedResponse | null | undefined;
  private generations: readonly ProviderGenerationObservation[] | undefined;

  constructor(operation: Operation, entities: readonly number[] | null) {
    const completion = operation.completion;
    this.operation = operation;
    this.entities = entities;
    this.invokedAt = operation.invokedAt;
    switch (completion.kind) {
      case 'response':
        this.outcomeKnown = true;
        this.observationallyPure = operation.request.method === 'GET' || completion.response.status >= 400;
        this.returnedAt = operation.completedAt ?? Number.POSITIVE_INFINITY;
        break;
      case 'unknown':
        // The request may still be in flight at the server when the client gives up, so
        // it may take effect at any later moment, whatever `completedAt` says.
        this.outcomeKnown = false;
        this.observationallyPure = false;
        this.returnedAt = Number.POSITIVE_INFINITY;
        break;
      default:
        assertNever(completion);
    }
  }

  /** The request as the model decodes it before reading any state: decoded once, answered in many states. */
  get decoded(): DecodedRequest {
    this.decodedRequest ??= decodeRequest(this.operation.request);
    return this.decodedRequest;
  }

  /** The observed response, parsed; `null` when the outcome is unknown. */
  get observed(): PreparedResponse | null {
    if (this.observedResponse === undefined) {
      const completion = this.operation.completion;
      this.observedResponse = completion.kind === 'response' ? prepareObservedResponse(completion.response) : null;
    }
    return this.observedResponse;
  }

  /** What its response says about provider generations (`providerGenerationObservations.ts`). */
  get observedGenerations(): readonly ProviderGenerationObservation[] {
    this.generations ??= observedProviderGenerations(this);
    return this.generations;
  }
}

export function prepareOperation(operation: Operation, entities: readonly number[] | null): PreparedOperation {
  return new PreparedOperation(operation, entities);
}

/** A request that cannot change anything, so that an unknown outcome of it constrains nothing. */
export function isReadOnlyRequest(operation: Operation): boolean {
  return operation.request.method === 'GET' || operation.request.method === 'HEAD';
}

function assertNever(value: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
}
