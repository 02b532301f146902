/**
 * Building successful responses the way Placement's handlers do.
 */
import { formatMicroversion, type Microversion } from '../microversion.ts';
import { pythonJsonDumps } from '../pythonJsonDumps.ts';
import type { PythonValue } from '../pythonRepr.ts';
import type { State } from '../state.ts';
import type { HttpResponse } from '../http.ts';
import { atLeast, type ApiContext, type JsonResponse, type Reply } from './context.ts';

/**
 * The model has no clock. Every Last-Modified it sends is this fixed date,
 * which has the shape clients check for; conformance ignores the value.
 */
export const LAST_MODIFIED = 'Sat, 01 Jan 2000 00:00:00 GMT';

export interface ResponseOptions {
  readonly status?: number;
  readonly location?: string;
  /** Whether the handler sets cache headers at 1.15 and later. */
  readonly cacheHeaders?: boolean;
  /**
   * Whether a Last-Modified comes with the cache headers. Handlers that take
   * it from the newest of the listed rows send none for an empty list.
   */
  readonly lastModified?: boolean;
}

/** The defaults, one object for every reply given none (a `= {}` default makes one per call). */
const NO_OPTIONS: ResponseOptions = {};

function baseHeaders(context: ApiContext): Record<string, string> {
  return {
    'openstack-api-version': versionHeader(context.microversion),
    vary: 'openstack-api-version',
    'x-openstack-request-id': context.requestId,
  };
}

/**
 * The `OpenStack-API-Version` value, kept per version: every response
 * carries one, and there are only as many as the service has versions
 * (negotiation refuses others).
 */
function versionHeader(version: Microversion): string {
  let header = versionHeaders.get(version);
  if (header === undefined) {
    header = `placement ${formatMicroversion(version)}`;
    if (versionHeaders.size < VERSION_HEADERS_KEPT) versionHeaders.set(version, header);
  }
  return header;
}

const versionHeaders = new Map<Microversion, string>();
/** More than the service has versions: a bound for callers that make up their own. */
const VERSION_HEADERS_KEPT = 256;

export function jsonReply(state: State, context: ApiContext, body: PythonValue, options: ResponseOptions = NO_OPTIONS): Reply {
  const headers = baseHeaders(context);
  headers['content-type'] = 'application/json';
  if (options.location !== undefined) headers['location'] = context.origin + options.location;
  if ((options.cacheHeaders ?? true) && atLeast(context, 1, 15)) {
    headers['cache-control'] = 'no-cache';
    if (options.lastModified ?? true) headers['last-modified'] = LAST_MODIFIED;
  }
  return { kind: 'json', state, json: { status: options.status ?? 200, headers, document: body } };
}

/** The response a `JsonResponse` stands for. */
export function renderJson(json: JsonResponse): HttpResponse {
  return { status: json.status, headers: json.headers, body: pythonJsonDumps(json.document) };
}

export function emptyReply(state: State, context: ApiContext, status: number, options: ResponseOptions = NO_OPTIONS): Reply {
  const headers = baseHeaders(context);
  if (options.location !== undefined) headers['location'] = context.origin + options.location;
  if ((options.cacheHeaders ?? false) && atLeast(context, 1, 15)) {
    headers['cache-control'] = 'no-cache';
    headers['last-modified'] = LAST_MODIFIED;
  }
  return { kind: 'response', state, response: { status, headers, body: '' } };
}
