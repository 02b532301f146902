/**
 * The history file `npm run check` reads: its type, its parser and its
 * description for `--help`, in one place.
 *
 * A bad file is an expected failure, so parsing returns a value naming the
 * first problem with its JSON path, never throws.
 */
import { emptyState, handle, type HttpRequest, type HttpResponse, type State } from '../../model/index.ts';
import type { Completion, History, Operation } from '../../sim/history.ts';

export const HISTORY_FILE_SCHEMA_VERSION = 1;

export interface HistoryFile extends History {
  readonly schemaVersion: typeof HISTORY_FILE_SCHEMA_VERSION;
  /** The setup prefix, applied to the model's empty state one after another. */
  readonly initialRequests: readonly HttpRequest[];
}

export type HistoryFileParse = { readonly kind: 'ok'; readonly file: HistoryFile } | { readonly kind: 'error'; readonly message: string };

export const HISTORY_FILE_FORMAT = `History file (JSON):
  {
    "schemaVersion": 1,
    "initialRequests": [HttpRequest, ...],   setup, applied in order to an empty Placement
    "operations": [Operation, ...]           the concurrent part to check
  }
  HttpRequest  = { "method": "PUT", "path": "/allocations/<uuid>",
                   "headers": { "x-auth-token": "admin", "openstack-api-version": "placement 1.39", ... },
                   "body": "<JSON text>" | null }
  Operation    = { "id": 7,                  unique
                   "client": 0,              -1 for setup, else 0-based
                   "step": 3,                index within the client's requests
                   "request": HttpRequest,
                   "invokedAt": 120,         any time unit; only the order matters
                   "completedAt": 180 | null,
                   "completion": { "kind": "response", "response": HttpResponse }
                               | { "kind": "unknown", "reason": "timeout" } }
  HttpResponse = { "status": 204, "headers": { ... }, "body": "<raw text>" }
  A response needs a completedAt no earlier than invokedAt. An unknown outcome may
  have taken effect at any time after invokedAt, or never; its completedAt is ignored.`;

export function parseHistoryFile(text: string): HistoryFileParse {
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (failure) {
    return { kind: 'error', message: `not JSON: ${failure instanceof Error ? failure.message : String(failure)}` };
  }
  return validateHistoryFile(value);
}

export function validateHistoryFile(value: unknown): HistoryFileParse {
  const root = readRecord(value, '$');
  if (!root.ok) return root;
  const version = root.value['schemaVersion'];
  if (version !== HISTORY_FILE_SCHEMA_VERSION) {
    return fail(`$.schemaVersion must be ${HISTORY_FILE_SCHEMA_VERSION}, got ${JSON.stringify(version) ?? 'nothing'}`);
  }
  const initialRequests = readArray(root.value['initialRequests'], '$.initialRequests', readRequest);
  if (!initialRequests.ok) return initialRequests;
  const operations = readArray(root.value['operations'], '$.operations', readOperation);
  if (!operations.ok) return operations;
  const seen = new Map<number, number>();
  for (const [index, operation] of operations.value.entries()) {
    const earlier = seen.get(operation.id);
    if (earlier !== undefined) return fail(`$.operations[${index}].id ${operation.id} is already used by $.operations[${earlier}]`);
    seen.set(operation.id, index);
  }
  return {
    kind: 'ok',
    file: { schemaVersion: HISTORY_FILE_SCHEMA_VERSION, initialRequests: initialRequests.value, operations: operations.value },
  };
}

/** The model's state after the setup prefix. */
export function initialStateOf(file: Pick<HistoryFile, 'initialRequests'>): State {
  let state = emptyState();
  for (const request of file.initialRequests) state = handle(state, request).state;
  return state;
}

// Readers: each returns the value or the first problem, with its path. ------

type Read<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly kind: 'error'; readonly message: string };

function fail(message: string): { readonly ok: false; readonly kind: 'error'; readonly message: string } {
  return { ok: false, kind: 'error', message };
}

function good<T>(value: T): Read<T> {
  return { ok: true, value };
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

function readRecord(value: unknown, path: string): Read<Readonly<Record<string, unknown>>> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail(`${path} must be an object, got ${describe(value)}`);
  return good(value as Readonly<Record<string, unknown>>);
}

function readArray<T>(value: unknown, path: string, readItem: (item: unknown, itemPath: string) => Read<T>): Read<readonly T[]> {
  if (!Array.isArray(value)) return fail(`${path} must be an array, got ${describe(value)}`);
  const items: T[] = [];
  for (const [index, item] of (value as readonly unknown[]).entries()) {
    const read = readItem(item, `${path}[${index}]`);
    if (!read.ok) return read;
    items.push(read.value);
  }
  return good(items);
}

function readString(value: unknown, path: string): Read<string> {
  return typeof value === 'string' ? good(value) : fail(`${path} must be a string, got ${describe(value)}`);
}

function readInteger(value: unknown, path: string, minimum: number): Read<number> {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < minimum) {
    return fail(`${path} must be an integer >= ${minimum}, got ${describe(value)}`);
  }
  return good(value);
}

function readTime(value: unknown, path: string): Read<number> {
  return typeof value === 'number' && Number.isFinite(value) ? good(value) : fail(`${path} must be a finite number, got ${describe(value)}`);
}

function readHeaders(value: unknown, path: string): Read<Readonly<Record<string, string>>> {
  const record = readRecord(value, path);
  if (!record.ok) return record;
  const headers: Record<string, string> = {};
  for (const [name, item] of Object.entries(record.value)) {
    const text = readString(item, `${path}[${JSON.stringify(name)}]`);
    if (!text.ok) return text;
    headers[name] = text.value;
  }
  return good(headers);
}

function readRequest(value: unknown, path: string): Read<HttpRequest> {
  const record = readRecord(value, path);
  if (!record.ok) return record;
  const method = readString(record.value['method'], `${path}.method`);
  if (!method.ok) return method;
  const target = readString(record.value['path'], `${path}.path`);
  if (!target.ok) return target;
  const headers = readHeaders(record.value['headers'], `${path}.headers`);
  if (!headers.ok) return headers;
  const body = record.value['body'];
  if (body !== null && typeof body !== 'string') return fail(`${path}.body must be a string (raw JSON text) or null, got ${describe(body)}`);
  return good({ method: method.value, path: target.value, headers: headers.value, body });
}

function readResponse(value: unknown, path: string): Read<HttpResponse> {
  const record = readRecord(value, path);
  if (!record.ok) return record;
  const status = readInteger(record.value['status'], `${path}.status`, 100);
  if (!status.ok) return status;
  if (status.value > 599) return fail(`${path}.status must be an HTTP status (100-599), got ${status.value}`);
  const headers = readHeaders(record.value['headers'], `${path}.headers`);
  if (!headers.ok) return headers;
  const body = readString(record.value['body'], `${path}.body`);
  if (!body.ok) return body;
  return good({ status: status.value, headers: headers.value, body: body.value });
}

function readCompletion(value: unknown, path: string): Read<Completion> {
  const record = readRecord(value, path);
  if (!record.ok) return record;
  const kind = record.value['kind'];
  if (kind === 'response') {
    const response = readResponse(record.value['response'], `${path}.response`);
    return response.ok ? good({ kind: 'response', response: response.value }) : response;
  }
  if (kind === 'unknown') {
    const reason = readString(record.value['reason'], `${path}.reason`);
    return reason.ok ? good({ kind: 'unknown', reason: reason.value }) : reason;
  }
  return fail(`${path}.kind must be "response" or "unknown", got ${describe(kind)}`);
}

function readOperation(value: unknown, path: string): Read<Operation> {
  const record = readRecord(value, path);
  if (!record.ok) return record;
  const id = readInteger(record.value['id'], `${path}.id`, 0);
  if (!id.ok) return id;
  const client = readInteger(record.value['client'], `${path}.client`, -1);
  if (!client.ok) return client;
  const step = readInteger(record.value['step'], `${path}.step`, 0);
  if (!step.ok) return step;
  const request = readRequest(record.value['request'], `${path}.request`);
  if (!request.ok) return request;
  const invokedAt = readTime(record.value['invokedAt'], `${path}.invokedAt`);
  if (!invokedAt.ok) return invokedAt;
  const rawCompletedAt = record.value['completedAt'];
  let completedAt: number | null = null;
  if (rawCompletedAt !== null) {
    const time = readTime(rawCompletedAt, `${path}.completedAt`);
    if (!time.ok) return fail(`${time.message} (or null when the outcome is unknown)`);
    if (time.value < invokedAt.value) return fail(`${path}.completedAt ${time.value} is before invokedAt ${invokedAt.value}`);
    completedAt = time.value;
  }
  const completion = readCompletion(record.value['completion'], `${path}.completion`);
  if (!completion.ok) return completion;
  if (completion.value.kind === 'response' && completedAt === null) {
    return fail(`${path}.completedAt must be a number when the completion is a response`);
  }
  return good({
    id: id.value,
    client: client.value,
    step: step.value,
    request: request.value,
    invokedAt: invokedAt.value,
    completedAt,
    completion: completion.value,
  });
}
