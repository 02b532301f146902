/**
 * The model's entry point: one HTTP request in, the next state and the
 * response out. Pure: no I/O, no clock, no randomness; the input state is
 * never modified.
 *
 * The steps follow Placement's WSGI pipeline from the outside in: request
 * id and Accept default (request log), token (noauth2), microversion,
 * content headers, routing, the handler's decorators, policy, the handler.
 */
import type { ApiContext, Reply } from './api/context.ts';
import { matchRoute, type Guard } from './api/routes.ts';
import { error, raisedError, renderError, type ErrorContext, type PlacementError } from './errors.ts';
import type { HttpRequest, HttpResponse } from './http.ts';
import { negotiateMicroversion, type Microversion } from './microversion.ts';
import { withCounters, type State } from './state.ts';

export interface Handled {
  readonly state: State;
  readonly response: HttpResponse;
}

export function handle(state: State, request: HttpRequest): Handled {
  const counted = withCounters(state, state.counters.requests + 1, state.counters.uuids);
  const requestId = requestIdFor(counted.counters.requests);
  const headers = lowerCaseHeaders(request.headers);
  const rawAccept = headers['accept'];
  const accept = rawAccept === undefined || rawAccept === '' || rawAccept === '*/*' ? 'application/json' : rawAccept;
  const { path, query } = splitTarget(request.path);
  // What a refusal needs; refusing is a module function, not a closure made
  // per request (tsx names each closure it creates, at a cost per call).
  const refusal: Refusal = { state: counted, requestId, method: request.method, accept, contentType: headers['content-type'] };

  if (path !== '/' && headers['x-auth-token'] === undefined) return refuse(refusal, error(401, ''), null);
  const negotiated = negotiateMicroversion(headers['openstack-api-version']);
  if (negotiated.kind === 'unacceptable') return refuse(refusal, error(406, negotiated.message), null);
  if (negotiated.kind === 'malformed') return refuse(refusal, error(400, negotiated.message), null);
  const version = negotiated.version;
  if (request.body !== null && request.body.length > 0 && !headers['content-type']) {
    return refuse(refusal, raisedError(400, 'content-type header required when content-length > 0'), version);
  }
  const matched = matchRoute(request.method, path);
  if (matched.kind === 'notFound') return refuse(refusal, raisedError(404, ''), version);
  if (matched.kind === 'methodNotAllowed') {
    return refuse(refusal, { status: 405, message: 'The method specified is not allowed for this resource.', allow: matched.allow }, version);
  }
  for (const guard of matched.endpoint.guards) {
    const failure = checkGuard(guard, version, headers, accept);
    if (failure !== null) return refuse(refusal, failure, version);
  }
  if (matched.endpoint.policy !== null && !isAdmin(headers)) {
    return refuse(refusal, raisedError(403, `Policy does not allow ${matched.endpoint.policy} to be performed.`), version);
  }
  const context: ApiContext = {
    method: request.method,
    path,
    query,
    headers,
    body: request.body,
    microversion: version,
    requestId,
    origin: `http://${headers['host'] ?? 'localhost'}`,
    parameters: matched.parameters,
  };
  const reply: Reply = matched.endpoint.handler(counted, context);
  if (reply.kind === 'error') return refuse(refusal, reply.error, version);
  return { state: reply.state, response: reply.response };
}

interface Refusal {
  readonly state: State;
  readonly requestId: string;
  readonly method: string;
  readonly accept: string;
  readonly contentType: string | undefined;
}

function refuse(refusal: Refusal, failure: PlacementError, version: Microversion | null): Handled {
  const context: ErrorContext = {
    microversion: version,
    requestId: refusal.requestId,
    method: refusal.method,
    accept: refusal.accept,
    contentType: refusal.contentType,
  };
  return { state: refusal.state, response: renderError(failure, context) };
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
      const contentType = (headers['content-type'] ?? '').split(';')[0]?.trim() ?? '';
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

function acceptsJson(accept: string): boolean {
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
  return token.split(':')[0] === 'admin';
}

function lowerCaseHeaders(headers: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const name of Object.keys(headers)) {
    const value = headers[name];
    if (value !== undefined) result[name.toLowerCase()] = value;
  }
  return result;
}

const PATH_NEEDS_DECODING = /[%+]/;

/** Splits `path?query` and decodes the query as webob does (`+` is a space, blanks kept). */
export function splitTarget(target: string): { path: string; query: readonly (readonly [string, string])[] } {
  const questionMark = target.indexOf('?');
  const rawPath = questionMark < 0 ? target : target.slice(0, questionMark);
  const rawQuery = questionMark < 0 ? '' : target.slice(questionMark + 1);
  const query: (readonly [string, string])[] = [];
  for (const piece of rawQuery.split(/[&;]/)) {
    if (piece === '') continue;
    const equals = piece.indexOf('=');
    const name = equals < 0 ? piece : piece.slice(0, equals);
    const value = equals < 0 ? '' : piece.slice(equals + 1);
    query.push([decodeComponent(name), decodeComponent(value)]);
  }
  // A path with no escapes and no plus signs decodes to itself.
  const path = PATH_NEEDS_DECODING.test(rawPath) ? decodeComponent(rawPath.replace(/\+/g, '%2B')) : rawPath;
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

/** Request ids shaped like oslo's `req-<uuid>`, numbered from state. */
function requestIdFor(counter: number): string {
  return `req-00000000-0000-4000-8000-${counter.toString(16).padStart(12, '0')}`;
}

function assertNever(value: never): never {
  throw new Error(`unhandled guard: ${JSON.stringify(value)}`);
}
