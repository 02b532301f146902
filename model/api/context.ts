/**
 * What a handler knows about the request it serves.
 */
import type { PlacementError } from '../errors.ts';
import type { HttpRequest, HttpResponse } from '../http.ts';
import { microversion, type Microversion } from '../microversion.ts';
import { parsePythonJson, type JsonParse } from '../pythonJson.ts';
import { validateSchema, type Schema } from '../jsonSchema.ts';
import type { PythonValue } from '../pythonRepr.ts';
import type { State } from '../state.ts';
import { SharedRequest } from '../sharedRequest.ts';
import { error } from '../errors.ts';

export interface ApiContext {
  readonly method: string;
  readonly path: string;
  /** Query parameters in order; repeated names keep every value. */
  readonly query: readonly (readonly [string, string])[];
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | null;
  readonly microversion: Microversion;
  readonly requestId: string;
  /** `http://host` as the client addressed the service, for Location headers. */
  readonly origin: string;
  /** Path parameters of the matched route. */
  readonly parameters: Readonly<Record<string, string>>;
}

/**
 * A handler's answer: the next state and the response, or an error. A JSON
 * response keeps its document unrendered (`json`), because callers that only
 * compare documents need not render and parse it; `renderJson` gives the
 * response's bytes.
 */
export type Reply =
  | { readonly kind: 'response'; readonly state: State; readonly response: HttpResponse }
  | { readonly kind: 'json'; readonly state: State; readonly json: JsonResponse }
  | { readonly kind: 'error'; readonly error: PlacementError };

/** A response whose body is `json.dumps(document)`. */
export interface JsonResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly document: PythonValue;
}

export function fail(failure: PlacementError): Reply {
  return { kind: 'error', error: failure };
}

/**
 * What a handler knows about the request before it is answered in a state:
 * everything but the request id, which counts requests and so comes from
 * the state.
 */
export type RequestContext = Omit<ApiContext, 'requestId'>;

/** A handler: the reply to a request in one state. */
export type Handler = (state: State, context: ApiContext) => Reply;

export function atLeast(context: Pick<ApiContext, 'microversion'>, major: number, minor: number): boolean {
  return context.microversion >= microversion(major, minor);
}

export function parameter(context: Pick<ApiContext, 'parameters'>, name: string): string {
  return context.parameters[name] ?? '';
}

/** webob's `req.GET[name]`: the last value given. */
export function queryValue(context: ApiContext, name: string): string | undefined {
  let value: string | undefined;
  for (const [key, item] of context.query) if (key === name) value = item;
  return value;
}

export function queryValues(context: ApiContext, name: string): readonly string[] {
  return context.query.filter(([key]) => key === name).map(([, item]) => item);
}

export function hasQuery(context: ApiContext, name: string): boolean {
  return context.query.some(([key]) => key === name);
}

/** `dict(req.GET)`: one entry per name, the last value winning. */
export function queryObject(context: ApiContext): { readonly [key: string]: PythonValue } {
  const result: Record<string, PythonValue> = {};
  for (const [key, value] of context.query) result[key] = value;
  return result;
}

export type Extracted = { readonly kind: 'ok'; readonly data: PythonValue } | { readonly kind: 'error'; readonly error: PlacementError };

/**
 * What carries a request body: a request, or a context decoded from one.
 * Its body is read through the object (see `rememberSentBody`), so a body a
 * client built from a document is read back without hashing its text.
 */
export interface BodyCarrier {
  readonly body: string | null;
}

/** `util.extract_json` of the carrier's body: parse, then validate against the schema. */
export function extractJson(carrier: BodyCarrier, schema: Schema): Extracted {
  const reading = readingOfCarrier(carrier);
  if (reading.schema === schema && reading.extracted !== null) return reading.extracted;
  const parsed = reading.parsed;
  let extracted: Extracted;
  if (parsed.kind === 'error') {
    extracted = { kind: 'error', error: error(400, `Malformed JSON: ${parsed.message}`) };
  } else {
    const problem = validateSchema(parsed.value, schema);
    extracted = problem === null ? { kind: 'ok', data: parsed.value } : { kind: 'error', error: error(400, `JSON does not validate: ${problem}`) };
  }
  reading.schema = schema;
  reading.extracted = extracted;
  return extracted;
}

/**
 * A request body as `json.loads` reads it, parsed once per text (or given
 * back as the document it was built from, see `rememberSentBody`): the model
 * reads each body when a run sends it, and the checkers read it again (the
 * model replaying it, the linearizability checker for footprints). The
 * value is shared, so read-only.
 */
export function parseRequestBody(carrier: BodyCarrier): JsonParse {
  return readingOfCarrier(carrier).parsed;
}

/**
 * What is known about one body text: its parse, and its validation against
 * the schema it was last extracted with (a request is validated against one
 * schema, its microversion's). Remembering is invisible to callers: same
 * input, same (immutable) output. Bounded, so long campaigns do not grow it.
 */
export interface BodyReading {
  readonly parsed: JsonParse;
  schema: Schema | null;
  extracted: Extracted | null;
}

/**
 * Readings by text, for bodies read without a remembered reading (copies of
 * requests, requests from elsewhere), in two generations of at most
 * `READINGS_MAX` each (a reading found in the older moves to the newer).
 * Invisible to callers: a forgotten text is parsed again, to an equal value.
 */
let readings = new Map<string, BodyReading>();
let olderReadings = new Map<string, BodyReading>();
const READINGS_MAX = 512;

/**
 * Records that `request`'s body is `JSON.stringify(document)`, so that
 * whoever reads it through the request (the target, the model, the
 * checker's footprints) need not parse it: for a document of plain objects,
 * arrays, strings, booleans, null and safe integers, `json.loads` of that
 * text gives the same document (integers stay ints; nothing is dropped or
 * renamed). Anything else (floats, -0, undefined members, objects that are
 * not plain) is left to the parser. Kept by the request object, not by its
 * text, so no body text is hashed: a reader given a copy of the request (a
 * history file, a worker's structured clone) finds nothing here and reads
 * the text. Callers must not change the document afterwards.
 */
export function rememberSentBody(request: HttpRequest, document: unknown): void {
  if (isPlainIntegerJson(document, 0)) rememberSentReading(request, { parsed: { kind: 'ok', value: document }, schema: null, extracted: null });
}

/**
 * A body made from a document once, for every request that sends it (see
 * `SharedRequest`): its text, and the reading of the document, as
 * `rememberSentBody` would make for each request (null where it would make
 * none).
 */
export interface SentBody {
  readonly text: string;
  readonly reading: Readonly<BodyReading> | null;
  /**
   * The requests made to send it (`placementRequestSending`), each kept for
   * every later request with the same method, path and microversion: they
   * live as long as the body does (a body kept for reuse keeps them too).
   */
  readonly requests: SentRequest[];
}

/** A request sending a `SentBody`, with the microversion it was made at. */
export interface SentRequest {
  readonly microversion: string;
  readonly request: HttpRequest;
}

/** `document`'s text and reading, to be sent by any number of requests (`SharedRequest`). Callers must not change the document afterwards. */
export function sentBody(document: unknown): SentBody {
  return {
    text: JSON.stringify(document),
    reading: isPlainIntegerJson(document, 0) ? { parsed: { kind: 'ok', value: document }, schema: null, extracted: null } : null,
    requests: [],
  };
}

/**
 * The body of an object whose member `names[i]` is `members[i]`'s document,
 * made from the members' texts (JSON.stringify writes an object's members
 * in order, each as its name's text, a colon and its value's text), so
 * that only the frame is new. Null where that would not be exact: a member
 * read from its text rather than its document, a name given twice, or a
 * name that is an array index (an object lists those first).
 */
export function joinedBody(names: readonly string[], members: readonly SentBody[]): SentBody | null {
  const document: Record<string, PythonValue> = {};
  let text = '{';
  for (let index = 0; index < names.length; index += 1) {
    const name = names[index] as string;
    const reading = (members[index] as SentBody).reading;
    if (reading === null || reading.parsed.kind !== 'ok' || Object.prototype.hasOwnProperty.call(document, name) || isArrayIndex(name)) return null;
    document[name] = reading.parsed.value;
    text += `${index === 0 ? '' : ','}${JSON.stringify(name)}:${(members[index] as SentBody).text}`;
  }
  return { text: `${text}}`, reading: { parsed: { kind: 'ok', value: document }, schema: null, extracted: null }, requests: [] };
}

/** Whether `name` is an array index (a canonical integer below 2 ** 32 - 1), which an object lists before its other names. */
function isArrayIndex(name: string): boolean {
  if (name.length === 0 || name.length > 10 || (name.length > 1 && name.charCodeAt(0) === 48)) return false;
  for (let index = 0; index < name.length; index += 1) {
    const code = name.charCodeAt(index);
    if (code < 48 || code > 57) return false;
  }
  return Number(name) < 2 ** 32 - 1;
}

/**
 * `to` carries the body `from` carries (a context decoded from a request):
 * it shares `from`'s remembered reading, if any.
 */
export function passOnSentBody(from: BodyCarrier, to: BodyCarrier): void {
  // Most decoded requests have no body (reads, deletions): nothing to look up.
  if (from.body === null) return;
  const reading = sentReadingOf(from);
  if (reading !== undefined) rememberSentReading(to, reading);
}

/**
 * Readings of sent bodies, by the object carrying them (a request, and the
 * contexts the model decodes from it). Kept strongly (a weak map's entries
 * stay alive through the scavenger anyway) and bounded at a few runs'
 * worth: a run sends a few dozen bodies, and its check decodes many of
 * those requests again. Two generations, so that an entry lives for at
 * least `SENT_READINGS_MAX` newer ones: a single map wiped when full would
 * forget the bodies of the run that filled it, and its check would parse
 * them. A carrier forgotten here is read through its text.
 */
let sentReadings = new Map<BodyCarrier, BodyReading>();
let olderSentReadings = new Map<BodyCarrier, BodyReading>();
const SENT_READINGS_MAX = 256;

function rememberSentReading(carrier: BodyCarrier, reading: BodyReading): void {
  if (sentReadings.size >= SENT_READINGS_MAX) {
    olderSentReadings = sentReadings;
    sentReadings = new Map();
  }
  sentReadings.set(carrier, reading);
}

function sentReadingOf(carrier: BodyCarrier): BodyReading | undefined {
  return SharedRequest.readingOf(carrier) ?? sentReadings.get(carrier) ?? olderSentReadings.get(carrier);
}

function isPlainIntegerJson(value: unknown, depth: number): value is PythonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isSafeInteger(value) && !Object.is(value, -0);
  if (typeof value !== 'object' || depth > PLAIN_DEPTH_MAX) return false;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index += 1) {
      // `in` tells a hole (which stringifies as null) from a member.
      if (!(index in value) || !isPlainIntegerJson(value[index], depth + 1)) return false;
    }
    return true;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return false;
  for (const key in value) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) return false;
    if (!isPlainIntegerJson((value as Record<string, unknown>)[key], depth + 1)) return false;
  }
  return true;
}

/** Deeper documents than any request the harness builds are simply parsed. */
const PLAIN_DEPTH_MAX = 32;

function readingOfCarrier(carrier: BodyCarrier): BodyReading {
  return sentReadingOf(carrier) ?? readingOf(carrier.body ?? '');
}

function readingOf(text: string): BodyReading {
  const known = readings.get(text);
  if (known !== undefined) return known;
  const reading = olderReadings.get(text) ?? { parsed: parsePythonJson(text), schema: null, extracted: null };
  keepReading(text, reading);
  return reading;
}

function keepReading(text: string, reading: BodyReading): void {
  if (readings.size >= READINGS_MAX) {
    olderReadings = readings;
    readings = new Map();
  }
  readings.set(text, reading);
}

/** `util.validate_query_params`. */
export function validateQuery(context: ApiContext, schema: Schema): PlacementError | null {
  const problem = validateSchema(queryObject(context), schema);
  return problem === null ? null : error(400, `Invalid query string parameters: ${problem}`);
}
