/**
 * What of a response conformance compares, and how.
 *
 * The rules are few on purpose; everything not listed here is compared
 * exactly, because the model reproduces webob's detail text, jsonschema's
 * messages and Python's JSON formatting, and exact text is the point.
 *
 * 1. Status: exact.
 * 2. Headers: only content-type, location, allow, openstack-api-version,
 *    vary and cache-control are compared, exactly except that location
 *    loses its scheme and host (the model does not know the address it is
 *    served at). Last-modified is compared for presence only: its value is
 *    the service's clock. Request ids, content-length (it follows from the
 *    body), connection and server headers are dropped.
 * 3. JSON bodies are parsed and compared as values, so object key order
 *    does not matter; `request_id` inside error documents is dropped.
 *    Numbers keep their Python type: `2` (int) and `2.0` (float) differ,
 *    as they do for a Python client.
 * 4. Lists whose order the real service leaves to the database (no ORDER BY)
 *    are compared as sets: `traits`, `aggregates`, `resource_providers`
 *    and `resource_classes`.
 * 5. In error details, names the service joins from a database result or a
 *    Python set are compared as sets: the class and provider lists of
 *    "Inventory for '…' on resource provider '…' invalid." / "in use." and
 *    the list of "No such trait …".
 * 6. In error details, the text after "Update conflict: " is the database
 *    driver's own message (it names the driver, the SQL and a URL); only
 *    the prefix is compared.
 * 7. Other bodies (webob's HTML and plain-text error pages) are compared as
 *    text, with rules 5 and 6 applied.
 */
import type { HttpResponse } from '../../model/index.ts';
import { parsePythonJson } from '../../model/pythonJson.ts';
import { PythonFloat, pythonFloatRepr, type PythonValue } from '../../model/pythonRepr.ts';

/** A JSON float, kept apart from integers; shown as Python's repr of it. */
export class JsonFloat {
  constructor(readonly text: string) {}
  /** Reports show it as a number. */
  toJSON(): number {
    return Number(this.text);
  }
}

export type Json = null | boolean | number | JsonFloat | string | readonly Json[] | { readonly [key: string]: Json };

export type NormalisedBody =
  | { readonly kind: 'empty' }
  | { readonly kind: 'json'; readonly value: Json }
  | { readonly kind: 'text'; readonly text: string };

export interface NormalisedResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: NormalisedBody;
}

const COMPARED_HEADERS = ['content-type', 'allow', 'openstack-api-version', 'vary', 'cache-control'] as const;
const SET_LIST_KEYS: ReadonlySet<string> = new Set(['traits', 'aggregates', 'resource_providers', 'resource_classes']);
const DATABASE_DETAIL = '<database driver detail>';

/** `body: false` skips the body (left empty), for callers that compare bodies only when their bytes differ. */
export function normaliseResponse(response: HttpResponse, options: { readonly body: boolean } = { body: true }): NormalisedResponse {
  const headers: Record<string, string> = {};
  for (const name of COMPARED_HEADERS) {
    const value = response.headers[name];
    if (value !== undefined) headers[name] = value;
  }
  const location = response.headers['location'];
  if (location !== undefined) headers['location'] = location.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '');
  if (response.headers['last-modified'] !== undefined) headers['last-modified'] = '<present>';
  return { status: response.status, headers, body: options.body ? normaliseBody(response) : { kind: 'empty' } };
}

function normaliseBody(response: HttpResponse): NormalisedBody {
  if (response.body === '') return { kind: 'empty' };
  const contentType = (response.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (contentType === 'application/json') {
    const parsed = parseJson(response.body);
    if (parsed !== undefined) return { kind: 'json', value: normaliseJson(parsed, null) };
  }
  return { kind: 'text', text: normaliseDetail(response.body) };
}

/** Parses as Python's json.loads does, so that floats stay distinct from integers. */
function parseJson(text: string): Json | undefined {
  const parsed = parsePythonJson(text);
  return parsed.kind === 'ok' ? fromPython(parsed.value) : undefined;
}

function fromPython(value: PythonValue): Json {
  if (value instanceof PythonFloat) return new JsonFloat(pythonFloatRepr(value.value));
  if (Array.isArray(value)) return (value as readonly PythonValue[]).map(fromPython);
  if (typeof value === 'object' && value !== null) {
    const result: Record<string, Json> = {};
    for (const [key, item] of Object.entries(value as { readonly [key: string]: PythonValue })) result[key] = fromPython(item);
    return result;
  }
  return value;
}

function isObject(value: Json): value is { readonly [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof JsonFloat);
}

/** `key` is the name the value sits under in its parent object, if any. */
function normaliseJson(value: Json, key: string | null): Json {
  if (Array.isArray(value)) {
    const items = (value as readonly Json[]).map((item) => normaliseJson(item, null));
    return key !== null && SET_LIST_KEYS.has(key) ? sortByCanonical(items) : items;
  }
  if (isObject(value)) {
    const result: Record<string, Json> = {};
    const isErrorEntry = 'status' in value && 'title' in value && 'detail' in value;
    for (const [name, item] of Object.entries(value)) {
      if (isErrorEntry && name === 'request_id') continue;
      result[name] = isErrorEntry && name === 'detail' && typeof item === 'string' ? normaliseDetail(item) : normaliseJson(item, name);
    }
    return result;
  }
  return value;
}

function sortByCanonical(items: readonly Json[]): Json[] {
  return items
    .map((item) => ({ item, text: canonicalJson(item) }))
    .sort((left, right) => (left.text < right.text ? -1 : left.text > right.text ? 1 : 0))
    .map((entry) => entry.item);
}

function sortedList(joined: string): string {
  return joined.split(', ').sort().join(', ');
}

/** Rules 5 and 6: set-joined names sorted, driver detail cut. */
export function normaliseDetail(detail: string): string {
  const updateConflict = detail.indexOf('Update conflict: ');
  const cut = updateConflict < 0 ? detail : `${detail.slice(0, updateConflict)}Update conflict: ${DATABASE_DETAIL}`;
  return cut
    .replace(
      // The quote is `&#x27;` in webob's HTML error pages.
      /Inventory for ('|&#x27;)(.*?)\1 on resource provider \1(.*?)\1 (invalid|in use)\./g,
      (_match, quote: string, classes: string, providers: string, verdict: string) =>
        `Inventory for ${quote}${sortedList(classes)}${quote} on resource provider ${quote}${sortedList(providers)}${quote} ${verdict}.`,
    )
    .replace(/No such trait ([A-Za-z0-9_]+(?:, [A-Za-z0-9_]+)*)/g, (_match, names: string) => `No such trait ${sortedList(names)}`);
}

/** JSON with object keys sorted: equal strings mean equal values. */
export function canonicalJson(value: Json): string {
  if (value instanceof JsonFloat) return value.text;
  if (Array.isArray(value)) return `[${(value as readonly Json[]).map(canonicalJson).join(',')}]`;
  if (isObject(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((name) => `${JSON.stringify(name)}:${canonicalJson(value[name] ?? null)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The `code` of the first error in a JSON error document, if there is one. */
export function errorCode(response: HttpResponse): string | null {
  const parsed = parseJson(response.body);
  if (parsed === undefined || !isObject(parsed)) return null;
  const errors = parsed['errors'];
  if (!Array.isArray(errors)) return null;
  const first: Json | undefined = (errors as readonly Json[])[0];
  if (first === undefined || !isObject(first)) return null;
  const code = first['code'];
  return typeof code === 'string' ? code : null;
}
