/**
 * Error responses of the in-process target: the model's `renderError`,
 * rendered once per error shape with placeholders for the message and the
 * request id, then filled in per request; what is filled in is remembered,
 * since the same ids and messages recur run after run.
 *
 * A run answers about half its requests with errors, and rendering one
 * (webob's template, `strip_tags`, `json.dumps`) costs more than the rest of
 * the request. Filling in gives the same bytes as rendering when the
 * message and the id are "inert":
 * - the id is printable ASCII other than `"` and `\`, so `json.dumps`
 *   copies it unchanged, and the renderer uses it nowhere else;
 * - the message is printable ASCII other than `"`, `\`, `<` and `>`, and
 *   neither starts nor ends with `-` or `!`. It then holds no newline or
 *   carriage return for `strip_tags` to replace, cannot start or end a tag
 *   match (those start at `<` and end at `>`), cannot form `<!--` or `-->`
 *   with the template around it, and `json.dumps` copies it unchanged.
 *   Only JSON error bodies are filled in: HTML ones escape `&` and `'`.
 * So the rendering of such a message is the rendering of any other with the
 * one swapped for the other. Anything else is rendered in full.
 * sim/inProcess/placement/errorResponses.test.ts holds the two ways to
 * agreement over awkward messages.
 */
import { renderError, type ErrorContext, type PlacementError } from '../../../model/errors.ts';
import type { HttpResponse } from '../../../model/index.ts';
import { parsedResponse } from '../../responseBody.ts';
import { isSlotNumber, type IdSlot } from './requestSlots.ts';

const MESSAGE_PLACEHOLDER = 'PlaceholderMessageOfTheInProcessTarget';
const ID_PLACEHOLDER = 'req-placeholder-id-of-the-in-process-target';

const INERT_ID = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
const INERT_MESSAGE = /^[^-!"<>\\\x00-\x1f\x7f-\uffff]$|^[^-!"<>\\\x00-\x1f\x7f-\uffff][^"<>\\\x00-\x1f\x7f-\uffff]*[^-!"<>\\\x00-\x1f\x7f-\uffff]$/;

/** A text with the placeholders cut out: literal pieces, with the message or the id between them. */
type Filled = readonly (string | typeof MESSAGE | typeof ID)[];
const MESSAGE: unique symbol = Symbol('message');
const ID: unique symbol = Symbol('id');

/** Builds the parsed body for one message and id: JSON.parse of the placeholder rendering, its strings filled in like the text. */
type BuildParsed = (message: string, requestId: string) => unknown;

interface Template {
  readonly status: number;
  /** The headers with nothing to fill in, in their places among the others (whose values are overwritten). */
  readonly baseHeaders: Readonly<Record<string, string>>;
  /** The headers to fill in. */
  readonly filledHeaders: readonly (readonly [string, Filled])[];
  /** Its headers filled in, per request number (see `headersOf`). */
  readonly headersByNumber: (IdSlot<Readonly<Record<string, string>>> | undefined)[];
  readonly body: BodyShape;
}

/**
 * An error body with placeholders, shared by the templates that render it
 * (those of one status and code at every microversion, say), with the
 * bodies filled in so far (see `filledBody`).
 */
interface BodyShape {
  readonly text: Filled;
  readonly parsed: BuildParsed;
  epoch: number;
  /** Per message, the bodies filled in, in slots by request number. */
  byMessage: Map<string, (FilledBody | undefined)[]>;
}

/** A body filled in for a request id: its text and what JSON.parse gives for it. */
interface FilledBody {
  readonly requestId: string;
  readonly text: string;
  readonly parsed: unknown;
}

/**
 * Templates per error shape (everything but message and id), kept per
 * microversion and compared field by field: a run meets a handful of shapes
 * per microversion, so an error finds its template with one lookup by a
 * small integer and a short scan, without building (and hashing) a key.
 * Kept across runs; bounded by wiping, per microversion and in all.
 */
interface Shape {
  readonly status: number;
  readonly code: string | undefined;
  readonly allow: string | undefined;
  readonly raisedPastHandler: boolean;
  readonly method: string;
  readonly contentType: string | undefined;
  readonly accept: string;
  readonly template: Template | 'notFillable';
}
const shapesByVersion = new Map<number | null, Shape[]>();
const SHAPE_VERSIONS_MAX = 256;
const SHAPES_PER_VERSION_MAX = 32;

/**
 * `renderError` for the in-process target, filled into a template when it
 * can be. The context's fields come as arguments: the context object is
 * built only for an error rendered in full or a new shape.
 */
export function renderErrorOf(
  failure: PlacementError,
  microversion: ErrorContext['microversion'],
  requestId: string,
  /** The number its id is remembered under (see `RequestScope.requestNumber`). */
  requestNumber: number,
  method: string,
  accept: string,
  contentType: string | undefined,
): HttpResponse {
  const template = templateOf(failure, microversion, method, accept, contentType);
  if (template !== 'notFillable') {
    // Only a body filled in is remembered, so one found passed these tests with this message and id.
    const body =
      rememberedBody(template.body, failure.message, requestId, requestNumber) ??
      (isInert(failure.message, requestId) ? filledBody(template.body, failure.message, requestId, requestNumber) : undefined);
    if (body !== undefined) return parsedResponse(template.status, headersOf(template, requestId, requestNumber), body.text, body.parsed);
  }
  return renderError(failure, { microversion, requestId, method, accept, contentType });
}

function isInert(message: string, requestId: string): boolean {
  return INERT_MESSAGE.test(message) && INERT_ID.test(requestId);
}

/**
 * A template's headers for a request id: read-only, so one object serves
 * every response with that id. Request ids are numbered from 1 in every
 * run, so the same few dozen recur run after run; kept in slots by request
 * number, bounded by the numbers with slots.
 */
function headersOf(template: Template, requestId: string, requestNumber: number): Readonly<Record<string, string>> {
  const slot = template.headersByNumber[requestNumber];
  if (slot !== undefined && slot.requestId === requestId) return slot.value;
  // A copy of the constant headers with the others overwritten in place, so key order is the rendering's.
  const built: Record<string, string> = { ...template.baseHeaders };
  for (const [name, pieces] of template.filledHeaders) built[name] = join(pieces, '', requestId);
  if (isSlotNumber(requestNumber)) template.headersByNumber[requestNumber] = { requestId, value: built };
  return built;
}

/**
 * Filled-in bodies per body shape, message and request id (in slots by
 * request number): request ids recur run after run (see `headersOf`), and
 * messages are built from the role uuids and a few generations, so most of
 * a run's error bodies were met by earlier runs; a body and its parse are
 * read-only, so one serves every response that carries it. By message
 * first: a shape's one map of messages is met by every error of that
 * shape, so it stays in the processor's caches, where a map per request id
 * would be met a few times per run. Kept across runs and bounded in all:
 * once `FILLED_BODIES_MAX` have been kept, the epoch moves on, and a
 * shape's bodies of an earlier epoch are forgotten at its next use.
 */
let filledEpoch = 0;
let filledCount = 0;
const FILLED_BODIES_MAX = 4_096;

function rememberedBody(shape: BodyShape, message: string, requestId: string, requestNumber: number): FilledBody | undefined {
  if (shape.epoch !== filledEpoch) return undefined;
  const body = shape.byMessage.get(message)?.[requestNumber];
  return body !== undefined && body.requestId === requestId ? body : undefined;
}

/** The body of an inert message and id, filled in and remembered. */
function filledBody(shape: BodyShape, message: string, requestId: string, requestNumber: number): FilledBody {
  const body: FilledBody = { requestId, text: join(shape.text, message, requestId), parsed: shape.parsed(message, requestId) };
  if (filledCount >= FILLED_BODIES_MAX) {
    filledEpoch += 1;
    filledCount = 0;
  }
  if (!isSlotNumber(requestNumber)) return body;
  if (shape.epoch !== filledEpoch) {
    shape.epoch = filledEpoch;
    shape.byMessage = new Map();
  }
  let slots = shape.byMessage.get(message);
  if (slots === undefined) {
    slots = [];
    shape.byMessage.set(message, slots);
  }
  slots[requestNumber] = body;
  filledCount += 1;
  return body;
}

function templateOf(
  failure: PlacementError,
  microversion: ErrorContext['microversion'],
  method: string,
  accept: string,
  contentType: string | undefined,
): Template | 'notFillable' {
  let shapes = shapesByVersion.get(microversion);
  if (shapes === undefined) {
    if (shapesByVersion.size >= SHAPE_VERSIONS_MAX) shapesByVersion.clear();
    shapes = [];
    shapesByVersion.set(microversion, shapes);
  }
  const raisedPastHandler = failure.raisedPastHandler === true;
  for (let index = 0; index < shapes.length; index += 1) {
    const shape = shapes[index];
    if (
      shape !== undefined &&
      shape.status === failure.status &&
      shape.code === failure.code &&
      shape.method === method &&
      shape.contentType === contentType &&
      shape.accept === accept &&
      shape.allow === failure.allow &&
      shape.raisedPastHandler === raisedPastHandler
    ) {
      return shape.template;
    }
  }
  const template = makeTemplate(failure, { microversion, requestId: ID_PLACEHOLDER, method, accept, contentType });
  if (shapes.length >= SHAPES_PER_VERSION_MAX) shapes.length = 0;
  shapes.push({
    status: failure.status,
    code: failure.code,
    allow: failure.allow,
    raisedPastHandler,
    method,
    contentType,
    accept,
    template,
  });
  return template;
}

function makeTemplate(failure: PlacementError, context: ErrorContext): Template | 'notFillable' {
  // `context` names the placeholder id.
  const rendered = renderError({ ...failure, message: MESSAGE_PLACEHOLDER }, context);
  if (rendered.headers['content-type'] !== 'application/json') return 'notFillable';
  let value: unknown;
  try {
    value = JSON.parse(rendered.body) as unknown;
  } catch {
    return 'notFillable';
  }
  const parsed = builderOf(value);
  if (parsed === null) return 'notFillable';
  const filledHeaders = Object.entries(rendered.headers)
    .map(([name, text]) => [name, cut(text)] as const)
    .filter(([, pieces]) => !(pieces.length === 1 && typeof pieces[0] === 'string'));
  // Headers are kept per request id (see `headersOf`), so none may carry the message.
  if (filledHeaders.some(([, pieces]) => pieces.includes(MESSAGE))) return 'notFillable';
  return {
    status: rendered.status,
    baseHeaders: { ...rendered.headers },
    filledHeaders,
    headersByNumber: [],
    body: bodyShapeOf(rendered.body, parsed),
  };
}

/**
 * Body shapes by their text with placeholders, so that templates rendering
 * the same body share its filled-in bodies. Bounded by wiping: a template
 * keeps its shape, and a wipe only stops later templates from sharing it.
 */
const bodyShapes = new Map<string, BodyShape>();
const BODY_SHAPES_MAX = 256;

function bodyShapeOf(text: string, parsed: BuildParsed): BodyShape {
  let shape = bodyShapes.get(text);
  if (shape === undefined) {
    // The same text parses the same, so the first template's builder serves them all.
    shape = { text: cut(text), parsed, epoch: filledEpoch, byMessage: new Map() };
    if (bodyShapes.size >= BODY_SHAPES_MAX) bodyShapes.clear();
    bodyShapes.set(text, shape);
  }
  return shape;
}

function cut(text: string): Filled {
  const pieces: (string | typeof MESSAGE | typeof ID)[] = [];
  for (const [index, part] of text.split(MESSAGE_PLACEHOLDER).entries()) {
    if (index > 0) pieces.push(MESSAGE);
    for (const [inner, literal] of part.split(ID_PLACEHOLDER).entries()) {
      if (inner > 0) pieces.push(ID);
      if (literal !== '') pieces.push(literal);
    }
  }
  return pieces;
}

/**
 * A builder for `value` with the placeholders filled in, made once per
 * template so filling in runs no interpretation. `null` for a value whose
 * parse cannot be rebuilt by assignment (a `__proto__` key, placeholders in
 * keys).
 */
function builderOf(value: unknown): BuildParsed | null {
  if (typeof value === 'string') {
    const pieces = cut(value);
    if (pieces.length === 1 && pieces[0] === value) return () => value;
    return (message, requestId) => join(pieces, message, requestId);
  }
  if (typeof value !== 'object' || value === null) return () => value;
  if (Array.isArray(value)) {
    const items: BuildParsed[] = [];
    for (const item of value as readonly unknown[]) {
      const builder = builderOf(item);
      if (builder === null) return null;
      items.push(builder);
    }
    // Error documents hold one-element lists: built as a literal of its final size, where a list pushed
    // into from empty reserves room for 17.
    const only = items.length === 1 ? items[0] : undefined;
    if (only !== undefined) return (message, requestId) => [only(message, requestId)];
    // A loop rather than `map`, which would make a closure per build.
    return (message, requestId) => {
      const built: unknown[] = [];
      for (let index = 0; index < items.length; index += 1) {
        const item = items[index];
        if (item !== undefined) built.push(item(message, requestId));
      }
      return built;
    };
  }
  // The members that are primitives without placeholders are set once in
  // `base`, the others hold their places there; each build copies `base`
  // (one native clone, which keeps key order) and overwrites the others.
  const base: Record<string, unknown> = {};
  const keys: string[] = [];
  const values: BuildParsed[] = [];
  for (const [key, item] of Object.entries(value)) {
    if (key === '__proto__' || cut(key).length !== 1 || cut(key)[0] !== key) return null;
    const builder = builderOf(item);
    if (builder === null) return null;
    if (isConstant(item)) {
      base[key] = item;
    } else {
      base[key] = null;
      keys.push(key);
      values.push(builder);
    }
  }
  return (message, requestId) => {
    const record: Record<string, unknown> = { ...base };
    for (let index = 0; index < keys.length; index += 1) {
      const builder = values[index];
      if (builder !== undefined) record[keys[index] ?? ''] = builder(message, requestId);
    }
    return record;
  };
}

/** A primitive with no placeholder in it: built as itself. */
function isConstant(value: unknown): boolean {
  if (typeof value === 'string') {
    const pieces = cut(value);
    return pieces.length === 1 && pieces[0] === value;
  }
  return typeof value !== 'object' || value === null;
}

function join(pieces: Filled, message: string, requestId: string): string {
  let text = '';
  for (const piece of pieces) text += piece === MESSAGE ? message : piece === ID ? requestId : piece;
  return text;
}
