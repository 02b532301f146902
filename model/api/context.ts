/**
 * What a handler knows about the request it serves.
 */
import type { PlacementError } from '../errors.ts';
import type { HttpResponse } from '../http.ts';
import { microversion, type Microversion } from '../microversion.ts';
import { parsePythonJsonRemembered } from '../pythonJson.ts';
import { validateSchema, type Schema } from '../jsonSchema.ts';
import type { PythonValue } from '../pythonRepr.ts';
import type { State } from '../state.ts';
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

/** A handler's answer: the next state and the response, or an error. */
export type Reply =
  | { readonly kind: 'response'; readonly state: State; readonly response: HttpResponse }
  | { readonly kind: 'error'; readonly error: PlacementError };

export function fail(failure: PlacementError): Reply {
  return { kind: 'error', error: failure };
}

export function atLeast(context: ApiContext, major: number, minor: number): boolean {
  return context.microversion >= microversion(major, minor);
}

export function parameter(context: ApiContext, name: string): string {
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

/** `util.extract_json`: parse, then validate against the schema. */
export function extractJson(body: string | null, schema: Schema): Extracted {
  const text = body ?? '';
  const perSchema = extractedBodies.get(schema);
  const cached = perSchema?.get(text);
  if (cached !== undefined) return cached;
  const parsed = parsePythonJsonRemembered(text);
  let extracted: Extracted;
  if (parsed.kind === 'error') {
    extracted = { kind: 'error', error: error(400, `Malformed JSON: ${parsed.message}`) };
  } else {
    const problem = validateSchema(parsed.value, schema);
    extracted = problem === null ? { kind: 'ok', data: parsed.value } : { kind: 'error', error: error(400, `JSON does not validate: ${problem}`) };
  }
  remember(schema, text, extracted);
  return extracted;
}

/**
 * Parsing and validating a body depends only on its text and the schema, and
 * checkers send the same request through the model many times, so results
 * are remembered. The cache is invisible to callers: same input, same
 * (immutable) output. It is bounded so long campaigns do not grow it.
 */
const extractedBodies = new WeakMap<Schema, Map<string, Extracted>>();
const BODIES_PER_SCHEMA_MAX = 4_096;

function remember(schema: Schema, text: string, extracted: Extracted): void {
  let perSchema = extractedBodies.get(schema);
  if (perSchema === undefined) {
    perSchema = new Map();
    extractedBodies.set(schema, perSchema);
  }
  if (perSchema.size >= BODIES_PER_SCHEMA_MAX) perSchema.clear();
  perSchema.set(text, extracted);
}

/** `util.validate_query_params`. */
export function validateQuery(context: ApiContext, schema: Schema): PlacementError | null {
  const problem = validateSchema(queryObject(context), schema);
  return problem === null ? null : error(400, `Invalid query string parameters: ${problem}`);
}
