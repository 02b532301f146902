/**
 * Requests made once and sent many times, and the facts worked out from
 * them, kept on them.
 *
 * A client sends one request object for every request with the same
 * method, path, microversion and body (`placementRequestSending`, and the
 * reads and deletions of `sim/program/requestPaths.ts`), run after run.
 * Whatever is a function of the request alone (the model's decoding, the
 * checker's footprint, the in-process target's front door) is then the
 * same for every run that sends it, so it is worked out on the first
 * asking and kept in a private slot of the request (`RequestFact`): a
 * field read, where a memo keyed by the request or its text costs a
 * look-up that, cold, costs about what the fact does. The facts live and
 * die with the request, which the memos that share it already bound.
 *
 * Private fields are invisible to JSON, spreads, key listings, equality
 * and structured clones, so such a request reads and serializes as the
 * plain request it stands for. A copy of it (a history file, a worker's
 * clone) or a request made elsewhere carries no slots: its facts are
 * worked out on every asking, as for any request.
 */
import type { BodyCarrier, BodyReading, SentBody } from './api/context.ts';
import type { HttpRequest } from './http.ts';

/**
 * A fact about a request worked out from its method, path, headers and
 * body alone, and only read once made (callers must neither change it nor
 * use its identity for anything of their own): then keeping it is
 * invisible. `undefined` marks a slot not yet filled, so a fact is never
 * `undefined`.
 */
export class RequestFact<T extends NonNullable<unknown> | null> {
  readonly index: number;

  constructor(readonly compute: (request: HttpRequest) => T) {
    this.index = factsCount;
    factsCount += 1;
  }

  /** The fact about `request`: kept on it if it is a `SharedRequest`, worked out afresh otherwise. */
  of(request: HttpRequest): T {
    return SharedRequest.factOf(request, this);
  }
}

let factsCount = 0;

/**
 * A request of a client, made once for all the requests it stands for. A
 * request sending a `SentBody` carries the body's reading, so that whoever
 * reads the body through the request (the target, the model's decoding,
 * the checker's footprints) finds the reading, with its validation against
 * the schema made once for every request sending the body, without a
 * look-up by request or by text (hashing the text of a new body, a POST's
 * joined one, cost more than the rest of making its request). Every such
 * request carries the facts asked of it (`RequestFact`).
 */
export class SharedRequest implements HttpRequest {
  readonly #reading: BodyReading | null;
  /** Facts by `RequestFact.index`; made on the first fact asked. */
  #facts: unknown[] | null = null;

  constructor(
    readonly method: string,
    readonly path: string,
    readonly headers: Readonly<Record<string, string>>,
    body: SentBody | null,
  ) {
    this.body = body === null ? null : body.text;
    this.#reading = body === null ? null : body.reading;
  }

  readonly body: string | null;

  /** The reading `carrier` carries, if it is such a request sending a body read from its document. */
  static readingOf(carrier: BodyCarrier): BodyReading | null {
    return #reading in carrier ? carrier.#reading : null;
  }

  static factOf<T extends NonNullable<unknown> | null>(request: HttpRequest, fact: RequestFact<T>): T {
    if (!(#facts in request)) return fact.compute(request);
    let facts = request.#facts;
    if (facts === null) {
      facts = [];
      request.#facts = facts;
    }
    const known = facts[fact.index];
    if (known !== undefined) return known as T;
    const value = fact.compute(request);
    facts[fact.index] = value;
    return value;
  }
}
