/**
 * The HTTP surface of the model: a request and a response as plain data.
 *
 * Header names are lower-case. Bodies are raw text so that malformed JSON,
 * wrong content types and oversized payloads can be expressed exactly as a
 * client would send them.
 */
import { rememberSentBody, type SentBody, type SentRequest } from './api/context.ts';
import { SharedRequest } from './sharedRequest.ts';
import type { Inventory } from './state.ts';

export interface HttpRequest {
  readonly method: string;
  /** Path with optional query string, e.g. `/resource_providers?name=x`. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | null;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** Raw response body; the empty string when the service sends none. */
  readonly body: string;
}

/** An inventory's six fields as request bodies name them, in Placement's order. */
export function inventoryRequestFields(inventory: Inventory): Record<string, number> {
  return {
    total: inventory.total,
    reserved: inventory.reserved,
    min_unit: inventory.minUnit,
    max_unit: inventory.maxUnit,
    step_size: inventory.stepSize,
    allocation_ratio: inventory.allocationRatio,
  };
}

/** Builds a request with the usual headers of an admin client at a microversion. */
export function placementRequest(
  method: string,
  path: string,
  options: { readonly microversion?: string; readonly body?: unknown; readonly token?: string } = {},
): HttpRequest {
  const document = options.body;
  if (document === undefined) return { method, path, headers: clientHeaders(options.token ?? 'admin', options.microversion, false), body: null };
  if (typeof document === 'string') return { method, path, headers: clientHeaders(options.token ?? 'admin', options.microversion, true), body: document };
  const request: HttpRequest = { method, path, headers: clientHeaders(options.token ?? 'admin', options.microversion, true), body: JSON.stringify(document) };
  // Whoever reads this body through the request (the target, the model) gets the document back without parsing.
  rememberSentBody(request, document);
  return request;
}

/**
 * A request of the usual admin client at a microversion that sends a body
 * made once (`sentBody`): the request carries the body's text and its
 * reading (`SharedRequest`), so neither text nor document is made for the
 * request itself, and its readers share the reading. The request is made
 * once too, for every request with the same method, path and microversion
 * sending the body (requests are only read), so a client makes no object
 * per request wherever the body is reused, as programs do from run to
 * run, and what is worked out from the request alone is worked out once
 * (`RequestFact`).
 */
export function placementRequestSending(method: string, path: string, microversion: string, body: SentBody): HttpRequest {
  const sent = body.requests;
  for (let index = 0; index < sent.length; index += 1) {
    const known = (sent[index] as SentRequest).request;
    if (known.path === path && known.method === method && (sent[index] as SentRequest).microversion === microversion) return known;
  }
  const request = new SharedRequest(method, path, clientHeaders('admin', microversion, true), body);
  // A body is sent to a few paths at a few microversions; past these, requests are made afresh.
  if (sent.length < REQUESTS_PER_BODY_MAX) sent.push({ microversion, request });
  return request;
}

/**
 * A request of the usual admin client at a microversion without a body,
 * as `placementRequest` makes it, to be made once and sent many times
 * (`sim/program/requestPaths.ts` keeps them by path): it carries what is
 * worked out from it alone (`SharedRequest`).
 */
export function sharedRequestWithoutBody(method: string, path: string, microversion: string): HttpRequest {
  return new SharedRequest(method, path, clientHeaders('admin', microversion, false), null);
}

const REQUESTS_PER_BODY_MAX = 8;

/**
 * A client's headers, one frozen object per token, microversion and
 * presence of a body: requests only read their headers, and a run sends a
 * few dozen requests with the same few (whoever reads one next, like the
 * microversion negotiation's memo, finds its strings already hashed).
 * Bounded by wiping.
 */
const sharedHeaders = new Map<string, Map<string | undefined, [Readonly<Record<string, string>> | undefined, Readonly<Record<string, string>> | undefined]>>();
const SHARED_HEADERS_MAX = 64;

function clientHeaders(token: string, microversion: string | undefined, hasBody: boolean): Readonly<Record<string, string>> {
  let byVersion = sharedHeaders.get(token);
  if (byVersion === undefined) {
    if (sharedHeaders.size >= SHARED_HEADERS_MAX) sharedHeaders.clear();
    byVersion = new Map();
    sharedHeaders.set(token, byVersion);
  }
  let pair = byVersion.get(microversion);
  if (pair === undefined) {
    if (byVersion.size >= SHARED_HEADERS_MAX) byVersion.clear();
    pair = [undefined, undefined];
    byVersion.set(microversion, pair);
  }
  const slot = hasBody ? 1 : 0;
  let headers = pair[slot];
  if (headers === undefined) {
    const built: Record<string, string> = { 'x-auth-token': token, accept: 'application/json' };
    if (microversion !== undefined) built['openstack-api-version'] = `placement ${microversion}`;
    if (hasBody) built['content-type'] = 'application/json';
    headers = Object.freeze(built);
    pair[slot] = headers;
  }
  return headers;
}
