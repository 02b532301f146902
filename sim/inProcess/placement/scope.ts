/**
 * Everything one request running on the in-process Placement 8.0.0 target
 * needs: the store, the settings, the request, and statement helpers that
 * turn database calls into interleavable steps.
 */
import type { ErrorCode, PlacementError } from '../../../model/errors.ts';
import type { HttpRequest, HttpResponse } from '../../../model/index.ts';
import { formatMicroversion, microversion } from '../../../model/microversion.ts';
import type { DefectName } from '../../defects.ts';
import { responseOfBody, type RenderedBody } from '../../responseBody.ts';
import { blockedBy, DONE_WITH_NULL, type Changes, type DatabaseError, type StatementResult, type Store, type Transaction } from '../../store/store.ts';
import type { ConsumerRow, ProviderRow } from '../../store/tables.ts';
import type { View } from '../../store/view.ts';
import type { Seam, StatementOutcome, Step } from '../step.ts';
import { renderErrorOf } from './errorResponses.ts';
import { isSlotNumber, type IdSlot } from './requestSlots.ts';

/** What the target notes about a request beyond its response, for invariants. */
export interface RequestNotes {
  /** Allocation write attempts made by replace_all (1 to 10). */
  allocationAttempts: number;
  /** Whether replace_all gave up after its retries. */
  retriesExhausted: boolean;
  /** Transactions this request committed. */
  commits: number;
}

export interface RequestScope {
  readonly store: Store;
  readonly defects: ReadonlySet<DefectName>;
  readonly request: HttpRequest;
  /**
   * The negotiated microversion and the request id: all the handlers read
   * of the model's request context (its schemas and readings take the
   * microversion alone), so the scope carries them instead of a context.
   */
  readonly microversion: number;
  readonly requestId: string;
  /**
   * The small number (from 1) under which what depends on the request's id
   * is remembered, responses' headers and error bodies (see requestSlots.ts).
   */
  readonly requestNumber: number;
  readonly notes: RequestNotes;
  /** The request's statement, set up anew for each step it yields (see `RequestStatement`). */
  readonly statement: RequestStatement;
}

export function hasDefect(scope: RequestScope, name: DefectName): boolean {
  return scope.defects.has(name);
}

export function atLeast(scope: RequestScope, major: number, minor: number): boolean {
  return scope.microversion >= microversion(major, minor);
}

// A request runs one statement at a time: the runtime runs the step a
// request yielded, resumes the request with its outcome, and keeps no step
// once it has run (nor does the fault plan). So each request has one
// statement object, set up anew for each step it yields, rather than an
// object per statement; and as the one class of step, its `run` is the only
// one the runtime calls. A step must therefore be yielded before the next
// is set up, and read (`outcomeOf`, `readOnceOutcome`, `commitOutcome`)
// before the request sets up another.
//
// A statement is a function of the view (and, for writes, the changes) and
// an argument the step carries: the frequent ones are module-level
// functions of their key (`providerRow`, `consumerRow`, ...), so issuing
// them makes no closure, nor a context for the variables it would capture.
// Others are closures and take no argument. The statement holds them with
// their argument types erased: it hands each the argument it was set up
// with, and the step is handed back typed by what the function gives.

type StatementKind = 'read' | 'write' | 'commit' | 'rollback' | 'backOff';
type AnyQuery = (view: View, argument: unknown) => unknown;
type AnyWrite = (view: View, changes: Changes, argument: unknown) => unknown;

const NO_QUERY: AnyQuery = () => undefined;
const NO_WRITE: AnyWrite = () => null;
const NO_LOCKS: readonly string[] = [];

/**
 * A request's statement, which is also its scope (`statement` is itself):
 * one object per request rather than a scope and a statement.
 */
export class RequestStatement implements Step<unknown>, RequestScope {
  readonly statement: RequestStatement = this;
  private kind: StatementKind = 'read';
  label = '';
  transaction: Transaction | null = null;
  seam: Seam = 'statement';
  writes = false;
  /** The transaction a read, write, commit or rollback runs in (a rollback reports none: it cannot be made to fail). */
  private subject: Transaction | null = null;
  private query: AnyQuery = NO_QUERY;
  private change: AnyWrite = NO_WRITE;
  private argument: unknown = undefined;
  private lockKeys: readonly string[] = NO_LOCKS;
  /** Whether a back-off has waited once already. */
  private waited = false;

  constructor(
    readonly store: Store,
    readonly defects: ReadonlySet<DefectName>,
    readonly request: HttpRequest,
    readonly microversion: number,
    readonly requestId: string,
    readonly requestNumber: number,
    readonly notes: RequestNotes,
  ) {}

  setRead(transaction: Transaction, label: string, query: AnyQuery, argument: unknown): void {
    this.setUp('read', label, transaction, transaction, 'statement', false);
    this.query = query;
    this.argument = argument;
  }

  setWrite(transaction: Transaction, label: string, lockKeys: readonly string[], statement: AnyWrite, argument: unknown, seam: Seam): void {
    this.setUp('write', label, transaction, transaction, seam, true);
    this.lockKeys = lockKeys;
    this.change = statement;
    this.argument = argument;
  }

  setCommit(transaction: Transaction): void {
    // Commits take no new locks, so they cannot deadlock.
    this.setUp('commit', endLabelsOf(transaction).commit, transaction, transaction, 'statement', false);
  }

  setRollback(transaction: Transaction): void {
    this.setUp('rollback', endLabelsOf(transaction).rollback, null, transaction, 'statement', false);
  }

  setBackOff(label: string): void {
    this.setUp('backOff', label, null, null, 'statement', false);
    this.waited = false;
  }

  /** What every kind of step sets: its kind, label, transaction (as reported and as run in), seam and whether it writes. */
  private setUp(kind: StatementKind, label: string, transaction: Transaction | null, subject: Transaction | null, seam: Seam, writes: boolean): void {
    this.kind = kind;
    this.label = label;
    this.transaction = transaction;
    this.subject = subject;
    this.seam = seam;
    this.writes = writes;
  }

  run(): StatementResult<unknown> {
    if (this.kind === 'backOff') {
      const open = this.waited ? undefined : this.store.oldestActive();
      this.waited = true;
      return open === undefined ? DONE_WITH_NULL : blockedBy(open.id);
    }
    const transaction = this.subject;
    if (transaction === null) throw new Error(`a ${this.kind} statement without a transaction`);
    switch (this.kind) {
      case 'read':
        return this.store.read(transaction, this.query, this.argument);
      case 'write':
        return this.store.write(transaction, this.lockKeys, this.change, this.argument);
      case 'commit':
        this.store.commit(transaction);
        this.notes.commits += 1;
        return DONE_WITH_NULL;
      case 'rollback':
        this.store.rollback(transaction);
        return DONE_WITH_NULL;
      default:
        return assertNever(this.kind);
    }
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled statement kind: ${String(value)}`);
}

/** SELECT of one provider row by uuid. */
export function providerRow(view: View, uuid: string): ProviderRow | undefined {
  return view.provider(uuid);
}

/** SELECT of one consumer row by uuid. */
export function consumerRow(view: View, uuid: string): ConsumerRow | undefined {
  return view.consumer(uuid);
}

// Statements as steps: each helper below sets up the request's statement
// and hands it back typed by what it gives; the handler yields it itself and
// reads what it is resumed with through `outcomeOf` (or `readOnceOutcome`,
// `commitOutcome`). A generator around each statement would cost a
// generator object and a level of delegation per statement.

/** A SELECT by a closure. */
export function select<T>(scope: RequestScope, transaction: Transaction, label: string, query: (view: View) => T): Step<T> {
  return readStep(scope, transaction, label, query, undefined);
}

/** A write statement by a closure. */
export function change<T>(
  scope: RequestScope,
  transaction: Transaction,
  label: string,
  lockKeys: readonly string[],
  statement: (view: View, changes: Changes) => T | DatabaseError,
): Step<T> {
  return writeStep(scope, transaction, label, lockKeys, statement, undefined);
}

/** A write statement by a function of its argument (a module-level one makes no closure per statement). */
export function writeStep<T, A>(
  scope: RequestScope,
  transaction: Transaction,
  label: string,
  lockKeys: readonly string[],
  statement: (view: View, changes: Changes, argument: A) => T | DatabaseError,
  argument: A,
  seam: Seam = 'statement',
): Step<T> {
  scope.statement.setWrite(transaction, label, lockKeys, statement as AnyWrite, argument, seam);
  return scope.statement as Step<T>;
}

/** A SELECT by a function of its argument. */
export function readStep<T, A>(scope: RequestScope, transaction: Transaction, label: string, query: (view: View, argument: A) => T, argument: A): Step<T> {
  scope.statement.setRead(transaction, label, query as AnyQuery, argument);
  return scope.statement as Step<T>;
}

/**
 * A read in its own short transaction, as Placement's `@reader` functions
 * do: it begins its read-only transaction now, and `readOnceOutcome` ends it.
 */
export function readOnceStep<T, A>(scope: RequestScope, label: string, query: (view: View, argument: A) => T, argument: A): Step<T> {
  return readStep(scope, scope.store.beginReadOnce(label), label, query, argument);
}

/** What a handler that yielded a `readOnceStep` was resumed with, once the step's transaction is ended. */
export function readOnceOutcome<T>(scope: RequestScope, step: Step<T>, resumed: StatementOutcome<unknown>): StatementOutcome<T> {
  // The step has run and this is its only ending: its transaction can go back to the store for reuse.
  if (step.transaction !== null) scope.store.endReadOnce(step.transaction);
  return outcomeOf(step, resumed);
}

/** What a handler that yielded `step` was resumed with: the runtime resumes it only with the outcome of that step. */
export function outcomeOf<T>(step: Step<T>, resumed: StatementOutcome<unknown>): StatementOutcome<T> {
  void step;
  return resumed as StatementOutcome<T>;
}

/** What a row lock is named after: the table's row, or a consumer's set of allocation rows. */
export type LockKind = 'consumer' | 'provider' | 'provider-name' | 'allocation' | 'allocations-of';

/**
 * Lock names per kind and key, built once, each as the one-lock list a
 * statement taking only it passes: the store hashes a name on every
 * statement that takes it, and a name built afresh is hashed afresh, while a
 * kept one (like the uuids it is made from) keeps its hash; and most
 * statements take one lock, so they share its list instead of making one. A
 * memo of a pure function (the lists are never modified), bounded by wiping.
 */
const lockLists: Readonly<Record<LockKind, Map<string | number, readonly [string]>>> = {
  consumer: new Map(),
  provider: new Map(),
  'provider-name': new Map(),
  allocation: new Map(),
  'allocations-of': new Map(),
};
const LOCK_NAMES_PER_KIND_MAX = 4_096;

/** The lock list of a statement that takes only this lock. */
export function lockOnly(kind: LockKind, key: string | number): readonly string[] {
  const lists = lockLists[kind];
  let list = lists.get(key);
  if (list === undefined) {
    list = [`${kind}:${key}`];
    if (lists.size >= LOCK_NAMES_PER_KIND_MAX) lists.clear();
    lists.set(key, list);
  }
  return list;
}

export function lockName(kind: LockKind, key: string | number): string {
  return (lockOnly(kind, key) as readonly [string])[0];
}

/**
 * Report labels of COMMIT and ROLLBACK per transaction label: a handful of
 * constant labels, so a memo spares building the same string per statement.
 */
const endLabels = new Map<string, { readonly commit: string; readonly rollback: string }>();
const END_LABELS_MAX = 256;

function endLabelsOf(transaction: Transaction): { readonly commit: string; readonly rollback: string } {
  let labels = endLabels.get(transaction.label);
  if (labels === undefined) {
    labels = { commit: `COMMIT (${transaction.label})`, rollback: `ROLLBACK (${transaction.label})` };
    if (endLabels.size >= END_LABELS_MAX) endLabels.clear();
    endLabels.set(transaction.label, labels);
  }
  return labels;
}

/** COMMIT; `commitOutcome` reads what the handler was resumed with. */
export function commitStep(scope: RequestScope, transaction: Transaction): Step<null> {
  scope.statement.setCommit(transaction);
  return scope.statement as Step<null>;
}

/**
 * What a handler that yielded a `commitStep` was resumed with. If the commit
 * itself failed (a lost connection), the database rolled the transaction
 * back, so its locks are released here.
 */
export function commitOutcome(scope: RequestScope, step: Step<null>, resumed: StatementOutcome<unknown>): StatementOutcome<null> {
  const outcome = outcomeOf(step, resumed);
  if (outcome.kind === 'failed' && step.transaction !== null) scope.store.rollback(step.transaction);
  return outcome;
}

/** ROLLBACK; it cannot fail, so nothing reads its outcome. */
export function rollbackStep(scope: RequestScope, transaction: Transaction): Step<null> {
  scope.statement.setRollback(transaction);
  return scope.statement as Step<null>;
}

/**
 * oslo.db's `wrap_db_retry` sleeps before each retry of a deadlocked
 * transaction (1 s, doubling), in a real service long enough for the
 * transactions it collided with to finish. The simulation has no clock, so
 * the sleep is a wait: while other transactions are open, the request waits
 * until one of them ends. (Retrying at once, as a clockless loop would,
 * deadlocks again against the same holders and runs out of retries far more
 * often than the real service does.)
 */
export function backOffStep(scope: RequestScope, label: string): Step<null> {
  scope.statement.setBackOff(label);
  return scope.statement as Step<null>;
}


// Responses -------------------------------------------------------------------

/** A request that answers without touching the database. */
export function* answered(response: HttpResponse): Generator<Step<unknown>, HttpResponse, StatementOutcome<unknown>> {
  return response;
}

/**
 * The version header per microversion: every response carries one, and a
 * run uses a few versions. A memo of a pure function, bounded by wiping.
 */
const versionHeaders = new Map<number, string>();
const VERSION_HEADERS_MAX = 256;

function versionHeader(version: number): string {
  let header = versionHeaders.get(version);
  if (header === undefined) {
    header = `placement ${formatMicroversion(version)}`;
    if (versionHeaders.size >= VERSION_HEADERS_MAX) versionHeaders.clear();
    versionHeaders.set(version, header);
  }
  return header;
}

/**
 * What a response has that depends on its microversion and request id
 * alone (its headers, or a whole empty response): request ids are numbered
 * from 1 in every run and a run uses a few microversions, so the same few
 * hundred recur run after run. Read-only, so one object serves every
 * response with that version and id. Kept per version in slots by request
 * number (see `RequestScope.requestNumber`); a memo of a pure function,
 * bounded by the numbers it keeps and by wiping the versions.
 */
class ByVersionAndId<T> {
  private readonly byVersion = new Map<number, (IdSlot<T> | undefined)[]>();

  constructor(readonly build: (version: number, requestId: string) => T) {}

  of(scope: RequestScope): T {
    const version = scope.microversion;
    const requestId = scope.requestId;
    const number = scope.requestNumber;
    let slots = this.byVersion.get(version);
    const slot = slots?.[number];
    if (slot !== undefined && slot.requestId === requestId) return slot.value;
    const value = this.build(version, requestId);
    if (!isSlotNumber(number)) return value;
    if (slots === undefined) {
      if (this.byVersion.size >= VERSIONS_KEPT) this.byVersion.clear();
      slots = [];
      this.byVersion.set(version, slots);
    }
    slots[number] = { requestId, value };
    return value;
  }
}

const VERSIONS_KEPT = 256;

const MICROVERSION_1_15 = microversion(1, 15);

// Whole literals in one order (the base headers, then the JSON ones): each is allocated at its final size in one
// step, where adding members to the base three outgrew the object's own slots.
const emptyHeaders = new ByVersionAndId<Readonly<Record<string, string>>>((version, requestId) => ({
  'openstack-api-version': versionHeader(version),
  vary: 'openstack-api-version',
  'x-openstack-request-id': requestId,
}));
const jsonHeaders = new ByVersionAndId<Readonly<Record<string, string>>>((version, requestId) =>
  version >= MICROVERSION_1_15
    ? {
        'openstack-api-version': versionHeader(version),
        vary: 'openstack-api-version',
        'x-openstack-request-id': requestId,
        'content-type': 'application/json',
        'cache-control': 'no-cache',
        'last-modified': 'Sat, 01 Jan 2000 00:00:00 GMT',
      }
    : {
        'openstack-api-version': versionHeader(version),
        vary: 'openstack-api-version',
        'x-openstack-request-id': requestId,
        'content-type': 'application/json',
      },
);

/** A 200 with a body rendered earlier (see `BodiesByValues`). */
export function bodyResponse(scope: RequestScope, body: RenderedBody): HttpResponse {
  // Whoever reads the body next (the client, the invariants) gets the document instead of parsing the text.
  return responseOfBody(200, jsonHeaders.of(scope), body);
}

/** Most empty responses are 204s. */
const noContentResponses = new ByVersionAndId<HttpResponse>((version, requestId) => ({ status: 204, headers: emptyHeaders.build(version, requestId), body: '' }));

export function emptyResponse(scope: RequestScope, status: number): HttpResponse {
  return status === 204 ? noContentResponses.of(scope) : { status, headers: emptyHeaders.of(scope), body: '' };
}

export function errorResponse(scope: RequestScope, failure: PlacementError): HttpResponse {
  return renderErrorOf(failure, scope.microversion, scope.requestId, scope.requestNumber, scope.request.method, 'application/json', scope.request.headers['content-type']);
}

/**
 * Error messages built from one key (a uuid, mostly) or two, built once per
 * key: keys are the run's role uuids and a few class names, the same run
 * after run, and the same message object every time lets the error
 * responses' memo find it by its kept hash, where a message built afresh
 * is flattened, hashed and compared character by character there. A memo
 * of a pure function, bounded by wiping.
 */
export class MessagesByKey {
  private readonly byKey = new Map<string, string>();

  constructor(private readonly build: (key: string) => string) {}

  of(key: string): string {
    let message = this.byKey.get(key);
    if (message === undefined) {
      message = this.build(key);
      if (this.byKey.size >= MESSAGES_PER_TEMPLATE_MAX) this.byKey.clear();
      this.byKey.set(key, message);
    }
    return message;
  }
}

/** `MessagesByKey` of two keys: per first key, the messages by the second. */
export class MessagesByTwoKeys {
  private readonly byFirst = new Map<string, MessagesByKey>();

  constructor(private readonly build: (first: string, second: string) => string) {}

  of(first: string, second: string): string {
    let messages = this.byFirst.get(first);
    if (messages === undefined) {
      const build = this.build;
      messages = new MessagesByKey((key) => build(first, key));
      if (this.byFirst.size >= MESSAGES_PER_TEMPLATE_MAX) this.byFirst.clear();
      this.byFirst.set(first, messages);
    }
    return messages.of(second);
  }
}
const MESSAGES_PER_TEMPLATE_MAX = 1_024;

/** The not-found message of a provider, which several handlers and the allocation write's retry give. */
export const noProviderMessages = new MessagesByKey((providerUuid) => `No resource provider with uuid ${providerUuid} found`);

export function failure(status: PlacementError['status'], message: string, code?: ErrorCode): PlacementError {
  return code === undefined ? { status, message } : { status, message, code };
}

/** What an unexpected database error becomes: FaultWrapper's 500. */
export function databaseFailure(error: DatabaseError): PlacementError {
  return failure(500, `An unexpected database error occurred: ${error.kind}`);
}
