/**
 * A response's JSON body, parsed once per response object.
 *
 * The client that got a response learns from it during the run, then most
 * invariants and the linearizability checker read it again; parsing once
 * serves them all. A target that renders a body from a value it holds can
 * hand that value over instead (`rememberRenderedBody`), so nobody parses
 * text the simulation itself just produced (`renderBody`, `responseOfBody`). Callers
 * must treat the value as read-only, since every caller gets the same one.
 */
import type { HttpResponse } from '../model/index.ts';
import { pythonJsonDumps } from '../model/pythonJsonDumps.ts';
import { PythonFloat, type PythonValue } from '../model/pythonRepr.ts';
import { memoByIdentity } from './memoByIdentity.ts';

/** A body that is empty or not declared JSON, one that does not parse, or its value. */
export type JsonBody = { readonly kind: 'none' } | { readonly kind: 'malformed' } | { readonly kind: 'json'; readonly value: unknown };

const NONE: JsonBody = { kind: 'none' };
const MALFORMED: JsonBody = { kind: 'malformed' };

/**
 * A response the simulation renders itself, carrying what JSON.parse gives
 * for its body (or `null`, to be parsed when asked for) in a private field.
 * A private field is invisible to JSON, spreads, key listings and equality,
 * so the response reads and serializes as the plain object it stands for;
 * and unlike an entry in a memo, it costs nothing to keep or to drop with
 * the response.
 */
class RenderedResponse implements HttpResponse {
  readonly #parsed: JsonBody | null;

  constructor(
    readonly status: number,
    readonly headers: Readonly<Record<string, string>>,
    readonly body: string,
    parsed: JsonBody | null,
  ) {
    this.#parsed = parsed;
  }

  static parsedOf(response: HttpResponse): JsonBody | null {
    return #parsed in response ? response.#parsed : null;
  }
}

/**
 * For responses that came from elsewhere (the model's, a live service's):
 * a few runs' worth, held strongly (see memoByIdentity.ts for why not a
 * weak map).
 */
const RESPONSES_KEPT = 256;
const parsedElsewhere: (response: HttpResponse) => JsonBody = memoByIdentity(parseUncached, RESPONSES_KEPT);

export function jsonBodyOf(response: HttpResponse): JsonBody {
  return RenderedResponse.parsedOf(response) ?? parsedElsewhere(response);
}

/** The parsed body of a JSON response; `null` when it has none or it does not parse. */
export function parseBody(response: HttpResponse): unknown {
  const parsed = jsonBodyOf(response);
  return parsed.kind === 'json' ? parsed.value : null;
}

/**
 * A document rendered by `pythonJsonDumps`, with what JSON.parse gives for
 * the text. Read-only: one body may serve many responses.
 */
export interface RenderedBody {
  readonly text: string;
  /** `null` for documents whose parse cannot be derived exactly (NaN, infinities, a `__proto__` key): parsed when asked for. */
  readonly parsed: JsonBody | null;
}

export function renderBody(document: PythonValue): RenderedBody {
  return { text: pythonJsonDumps(document), parsed: parseOfDocument(document) };
}

/** A JSON response with a body rendered earlier: one body may serve many responses. */
export function responseOfBody(status: number, headers: Readonly<Record<string, string>>, body: RenderedBody): HttpResponse {
  return new RenderedResponse(status, headers, body.text, body.parsed);
}

function parseOfDocument(document: PythonValue): JsonBody | null {
  const value = parsedFromDocument(document);
  return value === UNREPRESENTABLE ? null : { kind: 'json', value };
}

/** A JSON response whose body is known to parse to `value`. */
export function parsedResponse(status: number, headers: Readonly<Record<string, string>>, body: string, value: unknown): HttpResponse {
  return new RenderedResponse(status, headers, body, { kind: 'json', value });
}

const UNREPRESENTABLE: unique symbol = Symbol('unrepresentable');

/**
 * JSON.parse(pythonJsonDumps(document)) without the text: Python floats
 * become plain numbers, a missing entry becomes null (as the dump writes
 * it), -0 written as the integer 0 comes back as 0. Containers are copied
 * only where something inside changes, so a document of plain values is its
 * own parse.
 */
function parsedFromDocument(document: PythonValue | undefined): unknown {
  if (document === undefined || document === null) return null;
  if (document instanceof PythonFloat) return Number.isFinite(document.value) ? document.value : UNREPRESENTABLE;
  switch (typeof document) {
    case 'boolean':
    case 'string':
      return document;
    case 'number':
      if (!Number.isFinite(document)) return UNREPRESENTABLE;
      return document === 0 ? 0 : document;
    default:
      break;
  }
  if (Array.isArray(document)) {
    const items: readonly (PythonValue | undefined)[] = document;
    let copy: unknown[] | null = null;
    for (let index = 0; index < items.length; index += 1) {
      const item = items[index];
      const parsed = parsedFromDocument(item);
      if (parsed === UNREPRESENTABLE) return UNREPRESENTABLE;
      if (copy === null && !Object.is(parsed, item)) copy = items.slice(0, index);
      if (copy !== null) copy.push(parsed);
    }
    return copy ?? document;
  }
  const record = document as { readonly [key: string]: PythonValue | undefined };
  // `in` rather than a list from `Object.keys` (a new array for every object of every body); it also
  // lists inherited names, which are skipped, so the names and their order are the own ones'.
  let copy: Record<string, unknown> | null = null;
  for (const key in record) {
    if (!Object.prototype.hasOwnProperty.call(record, key)) continue;
    if (key === '__proto__') return UNREPRESENTABLE;
    const item = record[key];
    const parsed = parsedFromDocument(item);
    if (parsed === UNREPRESENTABLE) return UNREPRESENTABLE;
    if (copy === null && !Object.is(parsed, item)) {
      copy = {};
      for (const earlierKey in record) {
        if (earlierKey === key) break;
        if (Object.prototype.hasOwnProperty.call(record, earlierKey)) copy[earlierKey] = record[earlierKey];
      }
    }
    if (copy !== null) copy[key] = parsed;
  }
  return copy ?? document;
}

function parseUncached(response: HttpResponse): JsonBody {
  if (response.body === '' || !(response.headers['content-type'] ?? '').includes('json')) return NONE;
  try {
    return { kind: 'json', value: JSON.parse(response.body) as unknown };
  } catch {
    return MALFORMED;
  }
}
