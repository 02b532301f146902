/**
 * Everything one request running on the in-process Placement 8.0.0 target
 * needs: the store, the settings, the request, and statement helpers that
 * turn database calls into interleavable steps.
 */
import type { ApiContext } from '../../../model/api/context.ts';
import type { ErrorCode, PlacementError } from '../../../model/errors.ts';
import type { HttpRequest, HttpResponse } from '../../../model/index.ts';
import { formatMicroversion, microversion } from '../../../model/microversion.ts';
import { pythonJsonDumps } from '../../../model/pythonJsonDumps.ts';
import type { PythonValue } from '../../../model/pythonRepr.ts';
import type { DefectName } from '../../defects.ts';
import { rememberRenderedBody } from '../../responseBody.ts';
import type { Changes, DatabaseError, StatementResult, Store, Transaction } from '../../store/store.ts';
import type { View } from '../../store/view.ts';
import { perform, type Seam, type StatementOutcome, type Step } from '../step.ts';
import { renderErrorResponse } from './errorResponses.ts';

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
  readonly api: ApiContext;
  readonly notes: RequestNotes;
}

export function hasDefect(scope: RequestScope, name: DefectName): boolean {
  return scope.defects.has(name);
}

export function atLeast(scope: RequestScope, major: number, minor: number): boolean {
  return scope.api.microversion >= microversion(major, minor);
}

type StepGenerator<T> = Generator<Step<unknown>, StatementOutcome<T>, StatementOutcome<unknown>>;

// Step bodies come from the *Run functions below rather than inline arrows: tsx
// (esbuild keepNames) sets the name of every inline arrow it can name, each
// time one is created, and these are created for every statement.

export function select<T>(scope: RequestScope, transaction: Transaction, label: string, query: (view: View) => T): StepGenerator<T> {
  return perform({ label, transaction, seam: 'statement', writes: false, run: readRun(scope, transaction, query) });
}

function readRun<T>(scope: RequestScope, transaction: Transaction, query: (view: View) => T): () => StatementResult<T> {
  return () => scope.store.read(transaction, query);
}

export function change<T>(
  scope: RequestScope,
  transaction: Transaction,
  label: string,
  lockKeys: readonly string[],
  statement: (view: View, changes: Changes) => T | DatabaseError,
  seam: Seam = 'statement',
): StepGenerator<T> {
  return perform({ label, transaction, seam, writes: true, run: writeRun(scope, transaction, lockKeys, statement) });
}

function writeRun<T>(
  scope: RequestScope,
  transaction: Transaction,
  lockKeys: readonly string[],
  statement: (view: View, changes: Changes) => T | DatabaseError,
): () => StatementResult<T> {
  return () => scope.store.write(transaction, lockKeys, statement);
}

/** What a row lock is named after: the table's row, or a consumer's set of allocation rows. */
export type LockKind = 'consumer' | 'provider' | 'provider-name' | 'allocation' | 'allocations-of';

/**
 * Lock names per kind and key, built once: the store hashes a name on every
 * statement that takes it, and a name built afresh is hashed afresh, while a
 * kept one (like the uuids it is made from) keeps its hash. A memo of a
 * pure function, bounded by wiping.
 */
const lockNames = new Map<LockKind, Map<string | number, string>>();
const LOCK_NAMES_PER_KIND_MAX = 4_096;

export function lockName(kind: LockKind, key: string | number): string {
  let names = lockNames.get(kind);
  if (names === undefined) {
    names = new Map();
    lockNames.set(kind, names);
  }
  let name = names.get(key);
  if (name === undefined) {
    name = `${kind}:${key}`;
    if (names.size >= LOCK_NAMES_PER_KIND_MAX) names.clear();
    names.set(key, name);
  }
  return name;
}

/**
 * COMMIT as a step. If the commit itself fails (a lost connection), the
 * database rolls the transaction back, so its locks are released here.
 */
export function* commit(scope: RequestScope, transaction: Transaction): StepGenerator<null> {
  const outcome = yield* perform({
    label: `COMMIT (${transaction.label})`,
    transaction,
    seam: 'statement',
    // Commits take no new locks, so they cannot deadlock.
    writes: false,
    run: commitRun(scope, transaction),
  });
  if (outcome.kind === 'failed') scope.store.rollback(transaction);
  return outcome;
}

function commitRun(scope: RequestScope, transaction: Transaction): () => StatementResult<null> {
  return () => {
    scope.store.commit(transaction);
    scope.notes.commits += 1;
    return { kind: 'done', value: null };
  };
}

export function rollback(scope: RequestScope, transaction: Transaction): StepGenerator<null> {
  return perform({
    label: `ROLLBACK (${transaction.label})`,
    transaction: null,
    seam: 'statement',
    writes: false,
    run: rollbackRun(scope, transaction),
  });
}

function rollbackRun(scope: RequestScope, transaction: Transaction): () => StatementResult<null> {
  return () => {
    scope.store.rollback(transaction);
    return { kind: 'done', value: null };
  };
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
export function backOff(scope: RequestScope, label: string): StepGenerator<null> {
  return perform({ label, transaction: null, seam: 'statement', writes: false, run: backOffRun(scope) });
}

function backOffRun(scope: RequestScope): () => StatementResult<null> {
  let waited = false;
  return () => {
    const open = waited ? undefined : scope.store.activeTransactions()[0];
    waited = true;
    return open === undefined ? { kind: 'done', value: null } : { kind: 'blocked', holder: open.id };
  };
}

/** A read in its own short transaction, as Placement's `@reader` functions do. */
export function* readOnce<T>(scope: RequestScope, label: string, query: (view: View) => T): StepGenerator<T> {
  const transaction = scope.store.begin(label, true);
  const outcome = yield* select(scope, transaction, label, query);
  scope.store.rollback(transaction);
  return outcome;
}

// Responses -------------------------------------------------------------------

function baseHeaders(scope: RequestScope): Record<string, string> {
  return {
    'openstack-api-version': `placement ${formatMicroversion(scope.api.microversion)}`,
    vary: 'openstack-api-version',
    'x-openstack-request-id': scope.api.requestId,
  };
}

export function jsonResponse(scope: RequestScope, body: PythonValue, status = 200): HttpResponse {
  const headers = baseHeaders(scope);
  headers['content-type'] = 'application/json';
  if (atLeast(scope, 1, 15)) {
    headers['cache-control'] = 'no-cache';
    headers['last-modified'] = 'Sat, 01 Jan 2000 00:00:00 GMT';
  }
  const response: HttpResponse = { status, headers, body: pythonJsonDumps(body) };
  // Whoever reads the body next (the client, the invariants) gets the document instead of parsing the text.
  rememberRenderedBody(response, body);
  return response;
}

export function emptyResponse(scope: RequestScope, status: number): HttpResponse {
  return { status, headers: baseHeaders(scope), body: '' };
}

export function errorResponse(scope: RequestScope, failure: PlacementError): HttpResponse {
  return renderErrorResponse(failure, {
    microversion: scope.api.microversion,
    requestId: scope.api.requestId,
    method: scope.request.method,
    accept: 'application/json',
    contentType: scope.request.headers['content-type'],
  });
}

export function failure(status: PlacementError['status'], message: string, code?: ErrorCode): PlacementError {
  return code === undefined ? { status, message } : { status, message, code };
}

/** What an unexpected database error becomes: FaultWrapper's 500. */
export function databaseFailure(error: DatabaseError): PlacementError {
  return failure(500, `An unexpected database error occurred: ${error.kind}`);
}
