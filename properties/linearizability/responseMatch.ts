/**
 * When does the model's response "explain" a response the service sent?
 *
 * This is the one place that decides it, so it can be tuned without touching
 * the search. The rules, in order:
 *
 * 1. The status codes must be equal.
 * 2. Error responses (status >= 400) are compared on the `code` of their first
 *    error (`{"errors":[{"status","title","detail","code","request_id"}]}`),
 *    and only when both sides carry one (codes exist from microversion 1.23).
 *    Titles and details are not compared: a real service under races words
 *    its 409s differently from the sequential model (a retried transaction,
 *    a different first failing check), and the code says which kind of
 *    conflict it was.
 * 3. Other responses with a body are compared as parsed JSON: object keys in
 *    any order, arrays in order (the order of listings is part of the API),
 *    numbers by value (so Python's `1.0` equals `1`). Keys in
 *    `VOLATILE_KEYS` are dropped at every depth first, because they name the
 *    request or the time rather than the data. A body that is not JSON is
 *    compared as text.
 * 4. Headers are not compared at all: they carry request ids, dates,
 *    `Location` with the host the client used, and `Last-Modified`.
 *
 * The observed side is prepared once per operation (`prepareObservedResponse`)
 * because the search compares it against many model responses.
 */
import type { JsonResponse } from '../../model/api/context.ts';
import { renderJson } from '../../model/api/respond.ts';
import { renderedErrorCode } from '../../model/errors.ts';
import { renderAnswer, type Answer } from '../../model/handle.ts';
import type { HttpResponse } from '../../model/index.ts';
import { PythonFloat, pythonFloatRepr, type PythonValue } from '../../model/pythonRepr.ts';
import { memoByIdentity } from '../../sim/memoByIdentity.ts';
import { jsonBodyOf } from '../../sim/responseBody.ts';

/** Body keys that identify a request or a moment rather than data. */
export const VOLATILE_KEYS: ReadonlySet<string> = new Set(['request_id', 'last_modified', 'last-modified']);

/** A response body read once: parsed JSON, raw text, or nothing. */
export type PreparedBody =
  | { readonly kind: 'empty' }
  | { readonly kind: 'json'; readonly value: unknown }
  | { readonly kind: 'text'; readonly text: string };

export interface PreparedResponse {
  readonly status: number;
  readonly body: PreparedBody;
  /** The first error's `code`, when the body is a Placement error document that has one. */
  readonly errorCode: string | undefined;
  /** The raw body, for a quick exact comparison before parsing the other side. */
  readonly rawBody: string;
}

/** Why the model's response does not explain the observed one. */
export type ResponseDifference =
  | { readonly kind: 'status'; readonly expected: number; readonly observed: number }
  | { readonly kind: 'errorCode'; readonly expected: string; readonly observed: string }
  /** `path` locates the first difference, e.g. `usages.VCPU` or `allocations[0]`. */
  | { readonly kind: 'body'; readonly path: string; readonly expected: string; readonly observed: string };

export function prepareObservedResponse(response: HttpResponse): PreparedResponse {
  return new ObservedResponse(response);
}

/**
 * The body is read when a comparison first needs it: most model answers a
 * search compares differ in status already, and then no body is looked at.
 */
class ObservedResponse implements PreparedResponse {
  readonly status: number;
  readonly rawBody: string;
  private readonly response: HttpResponse;
  private preparedBody: PreparedBody | undefined;
  private code: { readonly value: string | undefined } | undefined;

  constructor(response: HttpResponse) {
    this.response = response;
    this.status = response.status;
    this.rawBody = response.body;
  }

  get body(): PreparedBody {
    this.preparedBody ??= prepareObservedBody(this.response);
    return this.preparedBody;
  }

  get errorCode(): string | undefined {
    this.code ??= { value: errorCodeOf(this.body) };
    return this.code.value;
  }
}

/** `null` when `expected` (the model's) explains `observed` (the service's). */
export function compareResponses(expected: HttpResponse, observed: PreparedResponse): ResponseDifference | null {
  if (expected.status !== observed.status) return { kind: 'status', expected: expected.status, observed: observed.status };
  if (expected.body === observed.rawBody) return null;
  const expectedBody = preparedModelBody(expected);
  if (expected.status >= 400) {
    const expectedCode = errorCodeOf(expectedBody);
    if (expectedCode === undefined || observed.errorCode === undefined || expectedCode === observed.errorCode) return null;
    return { kind: 'errorCode', expected: expectedCode, observed: observed.errorCode };
  }
  return compareBodies(expectedBody, observed.body);
}

/**
 * `compareResponses(expected, observed) === null`, without building the
 * difference: the search only needs the yes or no, and most of the pairs it
 * tries differ.
 */
export function explains(expected: HttpResponse, observed: PreparedResponse): boolean {
  if (expected.status !== observed.status) return false;
  if (expected.body === observed.rawBody) return true;
  if (expected.status >= 400) {
    // Without an observed code any code explains it, so the model's body need not be read.
    if (observed.errorCode === undefined) return true;
    const expectedCode = errorCodeOf(preparedModelBody(expected));
    return expectedCode === undefined || expectedCode === observed.errorCode;
  }
  return bodiesEqual(preparedModelBody(expected), observed.body);
}

/**
 * `explains(renderAnswer(given).response, observed)`, without rendering a
 * refusal: its status is the failure's, and its error code is one
 * `renderedErrorCode` reads off the failure. (The exact-text shortcut of
 * `explains` only ever says yes when the codes agree, so it is not needed.)
 */
export function answerExplains(given: Answer, observed: PreparedResponse): boolean {
  switch (given.kind) {
    case 'response':
      return explains(given.response, observed);
    case 'json':
      return jsonResponseExplains(given.json, observed);
    case 'refusal': {
      if (given.failure.status !== observed.status) return false;
      if (observed.errorCode === undefined) return true;
      const expectedCode = renderedErrorCode(given.failure, given.context);
      return expectedCode === undefined || expectedCode === observed.errorCode;
    }
    default:
      return assertNever(given);
  }
}

/**
 * `compareResponses(renderAnswer(given).response, observed)`, rendering the
 * model's response only when the difference needs its body: a status is the
 * answer's own, and a refusal's error code is read off the failure, as
 * `answerExplains` reads it. (The exact-text shortcut of `compareResponses`
 * only ever says "no difference" when the codes agree.)
 */
export function answerDifference(given: Answer, observed: PreparedResponse): ResponseDifference | null {
  switch (given.kind) {
    case 'response':
      return compareResponses(given.response, observed);
    case 'json':
      if (given.json.status !== observed.status) return { kind: 'status', expected: given.json.status, observed: observed.status };
      return compareResponses(renderJson(given.json), observed);
    case 'refusal': {
      if (given.failure.status !== observed.status) return { kind: 'status', expected: given.failure.status, observed: observed.status };
      // Only error statuses are compared by code.
      if (given.failure.status < 400) return compareResponses(renderAnswer(given).response, observed);
      const observedCode = observed.errorCode;
      if (observedCode === undefined) return null;
      const expectedCode = renderedErrorCode(given.failure, given.context);
      return expectedCode === undefined || expectedCode === observedCode ? null : { kind: 'errorCode', expected: expectedCode, observed: observedCode };
    }
    default:
      return assertNever(given);
  }
}

/**
 * `explains(renderJson(json), observed)`, comparing the model's document with
 * the observed JSON directly instead of rendering it and parsing it back.
 * Parsing `json.dumps` output gives back the document with each float as
 * its repr's value, every other number, string, key and order as they were,
 * and `null` for a missing value; `documentMatches` reads it that way. A
 * document with NaN or an infinity renders to text that is not JSON, and an
 * error status is compared by code: those few are rendered after all. (The
 * exact-text shortcut of `explains` only says yes where the documents match.)
 */
function jsonResponseExplains(json: JsonResponse, observed: PreparedResponse): boolean {
  if (json.status !== observed.status) return false;
  if (json.status >= 400) return explains(renderJson(json), observed);
  // A document with NaN or an infinity is text, which only text can match; so the (whole-document) check
  // for one is needed only when the observed body is text. Against JSON, `documentMatches` rules it out.
  if (observed.body.kind !== 'json') return hasNonFiniteNumber(json.document) && explains(renderJson(json), observed);
  return documentMatches(json.document, observed.body.value);
}

/**
 * `jsonEqual(JSON.parse(pythonJsonDumps(document)), observed)` for a document
 * without NaN or infinities, and `false` for one with any: such a number
 * never matches where it is compared (its repr, `nan` or `inf`, reads back as
 * NaN, equal to nothing), and a volatile key's value, which is not compared,
 * is searched for one. So one walk decides what a match and a separate
 * search of the whole document for those numbers would.
 */
function documentMatches(document: PythonValue | undefined, observed: unknown): boolean {
  const expected = document ?? null;
  if (Array.isArray(expected)) {
    const items: readonly PythonValue[] = expected;
    if (!Array.isArray(observed) || items.length !== observed.length) return false;
    for (let index = 0; index < items.length; index += 1) if (!documentMatches(items[index], observed[index])) return false;
    return true;
  }
  if (Array.isArray(observed)) return false;
  if (expected instanceof PythonFloat) return Number(pythonFloatRepr(expected.value)) === observed;
  if (typeof expected === 'object' && expected !== null) {
    if (!isRecord(observed)) return false;
    const record = expected as { readonly [key: string]: PythonValue };
    // Equal significant key sets: every significant key of each side is one of the other's. The answer
    // is a conjunction, so its order is free: the plain members (generations, names, amounts) and the
    // key counts are compared before any nested document is walked, since a read the search tries in
    // the wrong state usually differs in a generation already.
    let expectedCount = 0;
    let nested = false;
    // For-in over own names (a model document inherits no enumerable ones): no list of names per object.
    for (const key in record) {
      if (!Object.prototype.hasOwnProperty.call(record, key)) continue;
      if (VOLATILE_KEYS.has(key)) {
        if (hasNonFiniteNumber(record[key])) return false;
        continue;
      }
      expectedCount += 1;
      if (!Object.prototype.hasOwnProperty.call(observed, key)) return false;
      const item = record[key];
      if (isNestedDocument(item)) nested = true;
      else if (!documentMatches(item, observed[key])) return false;
    }
    let observedCount = 0;
    for (const key in observed) {
      if (Object.prototype.hasOwnProperty.call(observed, key) && !VOLATILE_KEYS.has(key)) observedCount += 1;
    }
    if (expectedCount !== observedCount) return false;
    if (!nested) return true;
    for (const key in record) {
      if (!Object.prototype.hasOwnProperty.call(record, key) || VOLATILE_KEYS.has(key)) continue;
      const item = record[key];
      if (isNestedDocument(item) && !documentMatches(item, observed[key])) return false;
    }
    return true;
  }
  if (isRecord(observed)) return false;
  // An integer renders as itself, another number as its repr, which parses back to that value.
  if (typeof expected === 'number' && !Number.isInteger(expected)) return Number(pythonFloatRepr(expected)) === observed;
  return expected === observed;
}

/** An object or array member of a model document (a float is a plain value): compared after the plain members. */
function isNestedDocument(value: PythonValue | undefined): boolean {
  return typeof value === 'object' && value !== null && !(value instanceof PythonFloat);
}

/** Whether the document holds a number that `json.dumps` writes as NaN, Infinity or -Infinity. Depth is bounded by the document's. */
function hasNonFiniteNumber(document: PythonValue | undefined): boolean {
  if (typeof document === 'number') return !Number.isFinite(document);
  if (document instanceof PythonFloat) return !Number.isFinite(document.value);
  if (Array.isArray(document)) return (document as readonly PythonValue[]).some(hasNonFiniteNumber);
  if (typeof document === 'object' && document !== null) {
    const record = document as { readonly [key: string]: PythonValue };
    for (const key in record) if (Object.prototype.hasOwnProperty.call(record, key) && hasNonFiniteNumber(record[key])) return true;
  }
  return false;
}

/**
 * `prepareBody(response.body)`, reusing the parse the run's invariants share
 * (sim/responseBody.ts) when the response is declared JSON: JSON.parse of
 * the same text gives the same value, or fails the same way.
 *
 * The shared parse comes before the test for a blank body, which it cannot
 * change (text that parses as JSON is not blank): a body the simulation
 * rendered comes with its parse, and is built piece by piece, so reading
 * its characters (as trimming does) would first copy it whole.
 */
function prepareObservedBody(response: HttpResponse): PreparedBody {
  if (response.body.length === 0) return EMPTY_BODY;
  const shared = jsonBodyOf(response);
  if (shared.kind === 'json') return { kind: 'json', value: shared.value };
  if (response.body.trim() === '') return EMPTY_BODY;
  switch (shared.kind) {
    case 'malformed':
      return { kind: 'text', text: response.body };
    case 'none':
      return prepareBody(response.body);
    default:
      return assertNever(shared);
  }
}

const EMPTY_BODY: PreparedBody = { kind: 'empty' };

// The search compares one model response (shared through modelResults.ts) with several observed ones;
// a run's search asks for about as many model responses as the run has requests.
const MODEL_RESPONSES_KEPT = 256;
const preparedModelBody: (response: HttpResponse) => PreparedBody = memoByIdentity((response) => prepareBody(response.body), MODEL_RESPONSES_KEPT);

function prepareBody(text: string): PreparedBody {
  if (text.trim() === '') return { kind: 'empty' };
  try {
    return { kind: 'json', value: JSON.parse(text) as unknown };
  } catch {
    return { kind: 'text', text };
  }
}

function errorCodeOf(body: PreparedBody): string | undefined {
  if (body.kind !== 'json' || !isRecord(body.value)) return undefined;
  const errors = body.value['errors'];
  if (!Array.isArray(errors)) return undefined;
  const first: unknown = errors[0];
  if (!isRecord(first)) return undefined;
  const code = first['code'];
  return typeof code === 'string' ? code : undefined;
}

function compareBodies(expected: PreparedBody, observed: PreparedBody): ResponseDifference | null {
  if (expected.kind === 'json' && observed.kind === 'json') return compareJson(expected.value, observed.value, '');
  if (expected.kind === 'empty' && observed.kind === 'empty') return null;
  if (expected.kind === 'text' && observed.kind === 'text' && expected.text === observed.text) return null;
  return { kind: 'body', path: '', expected: describeBody(expected), observed: describeBody(observed) };
}

/** `compareBodies(expected, observed) === null`. */
function bodiesEqual(expected: PreparedBody, observed: PreparedBody): boolean {
  if (expected.kind === 'json' && observed.kind === 'json') return jsonEqual(expected.value, observed.value);
  if (expected.kind === 'empty' && observed.kind === 'empty') return true;
  return expected.kind === 'text' && observed.kind === 'text' && expected.text === observed.text;
}

/** `compareJson(expected, observed, path) === null`. Recursion depth is bounded by the nesting of the documents. */
function jsonEqual(expected: unknown, observed: unknown): boolean {
  if (Array.isArray(expected) || Array.isArray(observed)) {
    if (!Array.isArray(expected) || !Array.isArray(observed) || expected.length !== observed.length) return false;
    for (let index = 0; index < expected.length; index += 1) if (!jsonEqual(expected[index], observed[index])) return false;
    return true;
  }
  if (isRecord(expected) || isRecord(observed)) {
    if (!isRecord(expected) || !isRecord(observed)) return false;
    // Equal significant key sets: every significant key of each side is one of the other's.
    let expectedCount = 0;
    for (const key in expected) {
      if (!Object.prototype.hasOwnProperty.call(expected, key) || VOLATILE_KEYS.has(key)) continue;
      expectedCount += 1;
      if (!Object.prototype.hasOwnProperty.call(observed, key) || !jsonEqual(expected[key], observed[key])) return false;
    }
    let observedCount = 0;
    for (const key in observed) {
      if (Object.prototype.hasOwnProperty.call(observed, key) && !VOLATILE_KEYS.has(key)) observedCount += 1;
    }
    return expectedCount === observedCount;
  }
  return expected === observed;
}

function describeBody(body: PreparedBody): string {
  switch (body.kind) {
    case 'empty':
      return '(no body)';
    case 'json':
      return shortJson(body.value);
    case 'text':
      return JSON.stringify(body.text);
    default:
      return assertNever(body);
  }
}

/**
 * Deep comparison; returns the first difference found, keys visited in
 * sorted order so that the reported difference does not depend on key order.
 * Recursion depth is bounded by the nesting of the parsed documents.
 */
function compareJson(expected: unknown, observed: unknown, path: string): ResponseDifference | null {
  if (Array.isArray(expected) || Array.isArray(observed)) {
    if (!Array.isArray(expected) || !Array.isArray(observed) || expected.length !== observed.length) return valueDifference(expected, observed, path);
    for (let index = 0; index < expected.length; index += 1) {
      const found = compareJson(expected[index], observed[index], `${path}[${index}]`);
      if (found !== null) return found;
    }
    return null;
  }
  if (isRecord(expected) || isRecord(observed)) {
    if (!isRecord(expected) || !isRecord(observed)) return valueDifference(expected, observed, path);
    const expectedKeys = significantKeys(expected);
    const observedKeys = significantKeys(observed);
    for (const key of [...new Set([...expectedKeys, ...observedKeys])].sort()) {
      const childPath = path === '' ? key : `${path}.${key}`;
      if (!Object.prototype.hasOwnProperty.call(expected, key) || !Object.prototype.hasOwnProperty.call(observed, key)) {
        return {
          kind: 'body',
          path: childPath,
          expected: key in expected ? shortJson(expected[key]) : '(absent)',
          observed: key in observed ? shortJson(observed[key]) : '(absent)',
        };
      }
      const found = compareJson(expected[key], observed[key], childPath);
      if (found !== null) return found;
    }
    return null;
  }
  return expected === observed ? null : valueDifference(expected, observed, path);
}

/** The two values differ at `path` (a function, not a closure per comparison, which the TypeScript loader would name each time). */
function valueDifference(expected: unknown, observed: unknown, path: string): ResponseDifference {
  return { kind: 'body', path, expected: shortJson(expected), observed: shortJson(observed) };
}

function significantKeys(record: Readonly<Record<string, unknown>>): readonly string[] {
  return Object.keys(record).filter((key) => !VOLATILE_KEYS.has(key));
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** JSON for a message, cut short so a witness stays readable. */
function shortJson(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  const lengthMax = 300;
  return text.length <= lengthMax ? text : `${text.slice(0, lengthMax)}...`;
}

function assertNever(value: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
}
