/**
 * Everything the model decides about a request before it reads any state:
 * headers, target, microversion, route, the route's guards and policy.
 *
 * These steps follow Placement's WSGI pipeline from the outside in: token
 * (noauth2), microversion, content headers, routing, the handler's
 * decorators, policy. None of them looks at the data, so a request decoded
 * once can be answered in many states (`answer` in `handle.ts`): the
 * linearizability checker asks the same request of many states.
 */
import { passOnSentBody, type Handler, type RequestContext } from './api/context.ts';
import { matchRoute, type Endpoint, type Guard } from './api/routes.ts';
import { error, raisedError, type PlacementError } from './errors.ts';
import type { HttpRequest } from './http.ts';
import { negotiateMicroversion, type Microversion } from './microversion.ts';
import { RequestFact } from './sharedRequest.ts';

/** What a refusal's rendering needs to know about the request. */
export interface RefusalSubject {
  readonly method: string;
  /** The Accept header after Placement defaulted a missing or `*\/*` one. */
  readonly accept: string;
  readonly contentType: string | undefined;
}

/** An `ApiContext` but for its request id, which counts requests and so comes from the state. */
export type StatelessContext = RequestContext;

export type DecodedRequest =
  /** Refused before any handler runs; `version` is `null` when the failure came before the microversion was known. */
  | { readonly kind: 'refused'; readonly failure: PlacementError; readonly version: Microversion | null; readonly subject: RefusalSubject }
  | {
      readonly kind: 'routed';
      readonly endpoint: Endpoint;
      /** The endpoint's handler with its reading of the request done (`Endpoint.prepare`): answers in any state. */
      readonly handler: Handler;
      readonly context: StatelessContext;
      readonly subject: RefusalSubject;
    };

/**
 * The decoding is a function of the request alone, and only read (the
 * checker answers it in many states), so a request made once for every run
 * that sends it (`SharedRequest`) is decoded once.
 */
export function decodeRequest(request: HttpRequest): DecodedRequest {
  return DECODED.of(request);
}

const DECODED = new RequestFact(decodeUncached);

function decodeUncached(request: HttpRequest): DecodedRequest {
  const headers = lowerCaseHeaders(request.headers);
  const rawAccept = headers['accept'];
  const accept = rawAccept === undefined || rawAccept === '' || rawAccept === '*/*' ? 'application/json' : rawAccept;
  const { path, query } = splitTarget(request.path);
  const subject: RefusalSubject = { method: request.method, accept, contentType: headers['content-type'] };

  if (path !== '/' && headers['x-auth-token'] === undefined) return refused(error(401, ''), null, subject);
  const negotiated = negotiateMicroversion(headers['openstack-api-version']);
  if (negotiated.kind === 'unacceptable') return refused(error(406, negotiated.message), null, subject);
  if (negotiated.kind === 'malformed') return refused(error(400, negotiated.message), null, subject);
  const version = negotiated.version;
  if (request.body !== null && request.body.length > 0 && !headers['content-type']) {
    return refused(raisedError(400, 'content-type header required when content-length > 0'), version, subject);
  }
  const matched = matchRoute(request.method, path);
  if (matched.kind === 'notFound') return refused(raisedError(404, ''), version, subject);
  if (matched.kind === 'methodNotAllowed') {
    return refused({ status: 405, message: 'The method specified is not allowed for this resource.', allow: matched.allow }, version, subject);
  }
  for (const guard of matched.endpoint.guards) {
    const failure = checkGuard(guard, version, headers, accept);
    if (failure !== null) return refused(failure, version, subject);
  }
  if (matched.endpoint.policy !== null && !isAdmin(headers)) {
    return refused(raisedError(403, `Policy does not allow ${matched.endpoint.policy} to be performed.`), version, subject);
  }
  const context: StatelessContext = {
    method: request.method,
    path,
    query,
    headers,
    body: request.body,
    microversion: version,
    origin: headers['host'] === undefined ? DEFAULT_ORIGIN : `http://${headers['host']}`,
    parameters: matched.parameters,
  };
  // The endpoint's reading of the body (`prepare`) finds the request's document, if it was sent from one.
  passOnSentBody(request, context);
  const { endpoint } = matched;
  return { kind: 'routed', endpoint, handler: endpoint.prepare === undefined ? endpoint.handler : endpoint.prepare(context), context, subject };
}

/** Where a request without a Host header was addressed (`webob`'s default). */
const DEFAULT_ORIGIN = 'http://localhost';

function refused(failure: PlacementError, version: Microversion | null, subject: RefusalSubject): DecodedRequest {
  return { kind: 'refused', failure, version, subject };
}

function checkGuard(guard: Guard, version: Microversion, headers: Readonly<Record<string, string>>, accept: string): PlacementError | null {
  switch (guard.kind) {
    case 'version':
      if (version < guard.min || (guard.max !== undefined && version > guard.max)) {
        return guard.status === 405 ? { status: 405, message: '' } : error(404, '');
      }
      return null;
    case 'content': {
      if (guard.below !== undefined && version >= guard.below) return null;
      const contentType = mediaType(headers['content-type'] ?? '');
      if (contentType === 'application/json') return null;
      const shown = contentType === '' ? 'None' : contentType;
      return error(415, `The media type ${shown} is not supported, use application/json`);
    }
    case 'accept':
      return acceptsJson(accept) ? null : error(406, 'Only application/json is provided');
    default:
      return assertNever(guard);
  }
}

/** The header up to its first `;`, trimmed. */
function mediaType(header: string): string {
  const semicolon = header.indexOf(';');
  return (semicolon < 0 ? header : header.slice(0, semicolon)).trim();
}

function acceptsJson(accept: string): boolean {
  // What clients almost always send; the general reading below gives the same.
  if (accept === 'application/json') return true;
  return accept.split(',').some((range) => {
    const [mediaRange = '', ...parameters] = range.split(';').map((part) => part.trim().toLowerCase());
    const quality = parameters.find((parameter) => parameter.startsWith('q='));
    if (quality !== undefined && Number.parseFloat(quality.slice(2)) <= 0) return false;
    return mediaRange === 'application/json' || mediaRange === 'application/*' || mediaRange === '*/*';
  });
}

/** noauth2: the token's user part `admin`, or an explicit admin role. */
function isAdmin(headers: Readonly<Record<string, string>>): boolean {
  const roles = headers['x-roles'];
  if (roles !== undefined) return roles.split(',').map((role) => role.trim()).includes('admin');
  const token = headers['x-auth-token'] ?? '';
  const colon = token.indexOf(':');
  return (colon < 0 ? token : token.slice(0, colon)) === 'admin';
}

function lowerCaseHeaders(headers: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
  // Clients send lower-case names (see http.ts): then the headers are their own lower-cased copy, and
  // handlers only read them.
  if (lowerCaseHeaderObjects.has(headers)) return headers;
  if (hasLowerCaseNames(headers)) {
    // Only a frozen object is sure to stay as it was checked.
    if (Object.isFrozen(headers)) lowerCaseHeaderObjects.add(headers);
    return headers;
  }
  const result: Record<string, string> = {};
  for (const name of Object.keys(headers)) {
    const value = headers[name];
    if (value !== undefined) result[name.toLowerCase()] = value;
  }
  return result;
}

/** Frozen header objects already found lower-case (clients share them between requests). Held weakly. */
const lowerCaseHeaderObjects = new WeakSet<Readonly<Record<string, string>>>();

function hasLowerCaseNames(headers: Readonly<Record<string, string>>): boolean {
  for (const name in headers) {
    if (!Object.prototype.hasOwnProperty.call(headers, name)) return false;
    if (headers[name] === undefined || name.toLowerCase() !== name) return false;
  }
  return true;
}

/** Splits `path?query` and decodes the query as webob does (`+` is a space, blanks kept). */
export function splitTarget(target: string): RequestTarget {
  let split = splitTargets.get(target);
  if (split === undefined) {
    split = splitTargetUncached(target);
    if (splitTargets.size >= SPLIT_TARGETS_MAX) splitTargets.clear();
    splitTargets.set(target, split);
  }
  return split;
}

export interface RequestTarget {
  readonly path: string;
  readonly query: readonly (readonly [string, string])[];
}

/**
 * Targets split so far: a run names each of a few dozen paths several times
 * (the target, the footprints, the model in every state it is asked in).
 * A memo of a pure function with immutable results, bounded by wiping, at
 * about ten runs' worth: paths name a run's own uuids, so older entries only
 * cost the collector.
 */
const splitTargets = new Map<string, RequestTarget>();
const SPLIT_TARGETS_MAX = 512;

function splitTargetUncached(target: string): RequestTarget {
  const questionMark = target.indexOf('?');
  const rawPath = questionMark < 0 ? target : target.slice(0, questionMark);
  const rawQuery = questionMark < 0 ? '' : target.slice(questionMark + 1);
  const query: (readonly [string, string])[] = [];
  // An empty query has no pieces; most targets have none.
  const pieces = rawQuery === '' ? [] : rawQuery.split(/[&;]/);
  for (const piece of pieces) {
    if (piece === '') continue;
    const equals = piece.indexOf('=');
    const name = equals < 0 ? piece : piece.slice(0, equals);
    const value = equals < 0 ? '' : piece.slice(equals + 1);
    query.push([decodeComponent(name), decodeComponent(value)]);
  }
  // A path with no escapes and no plus signs decodes to itself.
  const path = rawPath.includes('%') || rawPath.includes('+') ? decodeComponent(rawPath.replace(/\+/g, '%2B')) : rawPath;
  return { path, query };
}

function decodeComponent(value: string): string {
  const spaced = value.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled guard: ${JSON.stringify(value)}`);
}
