/**
 * Errors as values. A handler that refuses a request returns a
 * `PlacementError`; `renderError` turns it into the exact response the real
 * service sends (webob's templates, Placement's JSON error formatter).
 */
import type { HttpResponse } from './http.ts';
import { formatMicroversion, MAX_MICROVERSION, MIN_MICROVERSION, microversion, type Microversion } from './microversion.ts';
import { pythonJsonDumps } from './pythonJsonDumps.ts';
import type { PythonValue } from './pythonRepr.ts';

export type ErrorCode =
  | 'placement.undefined_code'
  | 'placement.inventory.inuse'
  | 'placement.concurrent_update'
  | 'placement.duplicate_name'
  | 'placement.resource_provider.inuse'
  | 'placement.resource_provider.cannot_delete_parent'
  | 'placement.resource_provider.not_found'
  | 'placement.query.duplicate_key'
  | 'placement.query.bad_value'
  | 'placement.query.missing_value';

export interface PlacementError {
  readonly status: 400 | 401 | 403 | 404 | 405 | 406 | 409 | 415 | 500 | 501;
  /** The handler's own message, without webob's explanation around it. */
  readonly message: string;
  readonly code?: ErrorCode;
  /** The `Allow` header of a 405. */
  readonly allow?: string;
  /**
   * The error leaves Placement's handlers as an exception rather than as a
   * response: an object's `NotFound` caught by the router, a policy
   * failure, a routing 404, the content-length check. The microversion
   * middleware then adds its version header to the exception but not the
   * `Vary` header it adds to responses.
   */
  readonly raisedPastHandler?: true;
}

export function error(status: PlacementError['status'], message: string, code?: ErrorCode): PlacementError {
  return code === undefined ? { status, message } : { status, message, code };
}

/** An error the router raises rather than a handler returns (see `raisedPastHandler`). */
export function raisedError(status: PlacementError['status'], message: string): PlacementError {
  return { status, message, raisedPastHandler: true };
}

/** `ResourceProviderNotFound` escaping a handler: the router turns it into a 404. */
export function providerNotFound(uuid: string): PlacementError {
  return raisedError(404, `No resource provider with uuid ${uuid} found`);
}

/** `ResourceClassNotFound` escaping a handler: the router turns it into a 404. */
export function resourceClassNotFound(name: string): PlacementError {
  return raisedError(404, `No such resource class ${name}.`);
}

const TITLES: Readonly<Record<PlacementError['status'], string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  415: 'Unsupported Media Type',
  500: 'Internal Server Error',
  501: 'Not Implemented',
};

const EXPLANATIONS: Readonly<Record<PlacementError['status'], string>> = {
  400: 'The server could not comply with the request since it is either malformed or otherwise incorrect.',
  401: 'This server could not verify that you are authorized to access the document you requested. Either you supplied the wrong credentials (e.g., bad password), or your browser does not understand how to supply the credentials required.',
  403: 'Access was denied to this resource.',
  404: 'The resource could not be found.',
  405: '',
  406: '',
  409: 'There was a conflict when trying to complete your request.',
  415: '',
  500: 'The server has either erred or is incapable of performing the requested operation.',
  501: '',
};

/** What the renderer needs to know about the request that failed. */
export interface ErrorContext {
  /** `null` when the failure happened before the microversion was known. */
  readonly microversion: Microversion | null;
  readonly requestId: string;
  readonly method: string;
  /** The Accept header after Placement defaulted a missing or `*\/*` one. */
  readonly accept: string;
  readonly contentType: string | undefined;
}

/** webob's `strip_tags`: newlines become spaces, then `<br>` becomes a newline. */
function stripTags(value: string): string {
  return value
    .replace(/\n/g, ' ')
    .replace(/\r/g, '')
    .replace(/<br.*?>/gis, '\n')
    .replace(/<!--|-->/g, '')
    .replace(/<.*?>/gs, '');
}

/** The template body webob fills in, before tags are stripped. */
function templateBody(failure: PlacementError, context: ErrorContext): string {
  switch (failure.status) {
    case 405:
      return `The method ${context.method} is not allowed for this resource. <br /><br />\n${failure.message}`;
    case 406:
      return `The resource could not be generated that was acceptable to your browser\n(content of type ${context.accept}. <br /><br />\n${failure.message}`;
    case 415:
      return `The request media type ${context.contentType ?? 'None'} is not supported by this server.\n<br /><br />\n${failure.message}`;
    case 501:
      return `\nThe request method ${context.method} is not implemented for this server. <br /><br />\n${failure.message}`;
    default:
      return `${EXPLANATIONS[failure.status]}<br /><br />\n${failure.message}\n\n`;
  }
}

/** `stripTags(templateBody(failure, context))`: the text JSON and plain-text error bodies carry. */
function detailOf(failure: PlacementError, context: ErrorContext): string {
  const { status, message } = failure;
  // These templates also name the request's method or headers; the others read only the message.
  if (status === 405 || status === 406 || status === 415 || status === 501) return stripTags(templateBody(failure, context));
  let details = detailsByStatus.get(status);
  if (details === undefined) {
    details = new Map();
    detailsByStatus.set(status, details);
  }
  let detail = details.get(message);
  if (detail === undefined) {
    detail = stripTags(templateBody(failure, context));
    if (details.size >= DETAILS_PER_STATUS_MAX) details.clear();
    details.set(message, detail);
  }
  return detail;
}

/**
 * Details already made, per status and message: the checker renders the
 * model's refusals (a few dozen messages, which name the run's uuids and
 * small generations, so the same texts recur from run to run), and
 * stripping the template's tags takes five passes of regular expressions.
 * A memo of a pure function, bounded by wiping; a detail kept is also the
 * same string each time, whose quoting `pythonJsonDumps` remembers.
 */
const detailsByStatus = new Map<number, Map<string, string>>();
const DETAILS_PER_STATUS_MAX = 256;

type ErrorFormat = 'json' | 'html' | 'plain';

/**
 * Formats already chosen, per Accept header: clients send the same few
 * headers over and over. A memo of a pure function, bounded by wiping.
 */
const formatsByAccept = new Map<string, ErrorFormat>();
const FORMATS_BY_ACCEPT_MAX = 256;

/** webob's choice between text/html and application/json, else text/plain. */
export function negotiateErrorFormat(accept: string): ErrorFormat {
  const known = formatsByAccept.get(accept);
  if (known !== undefined) return known;
  const format = chooseErrorFormat(accept);
  if (formatsByAccept.size >= FORMATS_BY_ACCEPT_MAX) formatsByAccept.clear();
  formatsByAccept.set(accept, format);
  return format;
}

function chooseErrorFormat(accept: string): ErrorFormat {
  let best: { format: ErrorFormat; quality: number; specificity: number } | null = null;
  for (const rawRange of accept.split(',')) {
    const [rangeText = '', ...parameters] = rawRange.split(';').map((part) => part.trim().toLowerCase());
    let quality = 1;
    for (const parameter of parameters) {
      const match = /^q=([0-9.]+)$/.exec(parameter);
      if (match !== null) quality = Number.parseFloat(match[1] ?? '1');
    }
    if (quality <= 0) continue;
    for (const [format, mediaType] of [
      ['html', 'text/html'],
      ['json', 'application/json'],
    ] as const) {
      const specificity = rangeMatches(rangeText, mediaType);
      if (specificity < 0) continue;
      if (best === null || quality > best.quality || (quality === best.quality && format === 'html' && best.format === 'json' && specificity >= best.specificity)) {
        best = { format, quality, specificity };
      }
    }
  }
  return best?.format ?? 'plain';
}

function rangeMatches(range: string, mediaType: string): number {
  if (range === mediaType) return 2;
  const [type] = mediaType.split('/');
  if (range === `${type}/*`) return 1;
  if (range === '*/*') return 0;
  return -1;
}

function htmlEscape(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#x27;');
}

export function renderError(failure: PlacementError, context: ErrorContext): HttpResponse {
  const headers: Record<string, string> = { 'x-openstack-request-id': context.requestId };
  if (context.microversion !== null) {
    headers['openstack-api-version'] = `placement ${formatMicroversion(context.microversion)}`;
    if (failure.raisedPastHandler !== true) headers['vary'] = 'openstack-api-version';
  }
  if (failure.allow !== undefined) headers['allow'] = failure.allow;
  const status = `${failure.status} ${TITLES[failure.status]}`;
  const format = negotiateErrorFormat(context.accept);
  if (format === 'html') {
    headers['content-type'] = 'text/html; charset=UTF-8';
    const body = templateBody({ ...failure, message: htmlEscape(failure.message) }, context);
    return {
      status: failure.status,
      headers,
      body: `<html>\n <head>\n  <title>${status}</title>\n </head>\n <body>\n  <h1>${status}</h1>\n  ${body}\n </body>\n</html>`,
    };
  }
  const detail = detailOf(failure, context);
  if (format === 'plain') {
    headers['content-type'] = 'text/plain; charset=UTF-8';
    return { status: failure.status, headers, body: `${status}\n\n${detail}` };
  }
  headers['content-type'] = 'application/json';
  return { status: failure.status, headers, body: pythonJsonDumps(errorDocument(failure, context, detail)) };
}

function errorDocument(failure: PlacementError, context: ErrorContext, detail: string): PythonValue {
  if (failure.status === 401) {
    // The noauth middleware answers before Placement's formatter is in place.
    // It uses webob's own JSON shape and does not strip the template's tags.
    return { message: `${EXPLANATIONS[401]}<br /><br />\n${failure.message}\n\n`, code: '401 Unauthorized', title: 'Unauthorized' };
  }
  const entry: Record<string, PythonValue> = { status: failure.status, title: TITLES[failure.status], detail };
  if (context.microversion !== null && context.microversion >= microversion(1, 23)) {
    entry['code'] = failure.code ?? 'placement.undefined_code';
  }
  entry['request_id'] = context.requestId;
  if (failure.status === 406 && context.microversion === null) {
    entry['max_version'] = formatMicroversion(MAX_MICROVERSION);
    entry['min_version'] = formatMicroversion(MIN_MICROVERSION);
  }
  return { errors: [entry] };
}

/**
 * The `code` of the first error in the body `renderError(failure, context)`
 * sends, read without rendering it: only JSON error documents at 1.23 and
 * later carry one (401's webob document has a `code` of its own but no
 * `errors` list; HTML and plain-text bodies are not JSON). A test holds this
 * equal to parsing the rendered body.
 */
export function renderedErrorCode(failure: PlacementError, context: ErrorContext): string | undefined {
  if (failure.status === 401 || context.microversion === null || context.microversion < microversion(1, 23)) return undefined;
  if (negotiateErrorFormat(context.accept) !== 'json') return undefined;
  return failure.code ?? 'placement.undefined_code';
}
