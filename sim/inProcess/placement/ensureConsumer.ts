/**
 * `handlers/util.py::ensure_consumer`: look the consumer up, check its
 * generation (from 1.28), and create it if missing, each in its own
 * committed transaction, before any allocation is written.
 */
import type { ConsumerWrite } from '../../../model/commands.ts';
import type { PlacementError } from '../../../model/errors.ts';
import { pythonRepr } from '../../../model/pythonRepr.ts';
import type { ConsumerRow } from '../../store/tables.ts';
import type { Step, StatementOutcome } from '../step.ts';
import type { Changes, DatabaseError } from '../../store/store.ts';
import type { View } from '../../store/view.ts';
import {
  atLeast,
  commitOutcome,
  commitStep,
  consumerRow,
  databaseFailure,
  failure,
  lockOnly,
  outcomeOf,
  readOnceOutcome,
  readOnceStep,
  rollbackStep,
  writeStep,
  type RequestScope,
} from './scope.ts';

/** The in-memory `Consumer` object the rest of the request works with. */
export interface ConsumerRecord {
  readonly uuid: string;
  projectId: string;
  userId: string;
  consumerType: string | null;
  /** The generation the request believes the row has; bumped after its own increment. */
  generation: number;
  /** Whether this request created the row (and must delete it if the write fails). */
  readonly created: boolean;
}

export type EnsureResult = { readonly kind: 'ok'; readonly consumer: ConsumerRecord } | { readonly kind: 'error'; readonly failure: PlacementError };

type Steps<T> = Generator<Step<unknown>, T, StatementOutcome<unknown>>;

function recordFrom(row: ConsumerRow, created: boolean): ConsumerRecord {
  return {
    uuid: row.uuid,
    projectId: row.projectId,
    userId: row.userId,
    consumerType: row.consumerType,
    generation: row.generation,
    created,
  };
}

function conflict(message: string): EnsureResult {
  return { kind: 'error', failure: failure(409, message, 'placement.concurrent_update') };
}

/**
 * `ensure_consumer` in parts, for a handler to run itself (PUT and POST do,
 * so that most writes, whose consumer exists, start no generator for it):
 * the lookup as a step (`findConsumerStep`, ended by `readOnceOutcome`),
 * what its outcome decides (`consumerFound`: a result, or `null` when the
 * consumer must be created) and the creation (`createConsumer`).
 */
export function findConsumerStep(scope: RequestScope, write: ConsumerWrite): Step<ConsumerRow | undefined> {
  return readOnceStep(scope, 'SELECT consumer', consumerRow, write.uuid);
}

export function consumerFound(scope: RequestScope, write: ConsumerWrite, found: StatementOutcome<ConsumerRow | undefined>): EnsureResult | null {
  const checkGeneration = atLeast(scope, 1, 28);
  if (found.kind === 'failed') return { kind: 'error', failure: databaseFailure(found.error) };
  const existing = found.value;
  if (existing !== undefined) {
    if (checkGeneration && existing.generation !== write.generation) {
      return conflict(generationConflictMessage(existing.generation, write.generation));
    }
    return { kind: 'ok', consumer: recordFrom(existing, false) };
  }
  if (checkGeneration && write.generation !== null) return conflict(generationConflictMessage(null, write.generation));
  return null;
}

/**
 * Generation conflict messages per expected and given generation, built
 * once: a third of a run's errors are such conflicts between a few small
 * generations, and the same message object every time lets the error
 * responses' memo find it by its kept hash instead of hashing a new text.
 * A memo of a pure function, bounded by wiping.
 */
const generationConflicts = new Map<number | null, Map<number | null, string>>();
const GENERATION_CONFLICTS_MAX = 1_024;

function generationConflictMessage(expected: number | null, given: number | null): string {
  let byGiven = generationConflicts.get(expected);
  if (byGiven === undefined) {
    if (generationConflicts.size >= GENERATION_CONFLICTS_MAX) generationConflicts.clear();
    byGiven = new Map();
    generationConflicts.set(expected, byGiven);
  }
  let message = byGiven.get(given);
  if (message === undefined) {
    message =
      expected === null
        ? `consumer generation conflict - expected null but got ${String(given)}`
        : `consumer generation conflict - expected ${expected} but got ${pythonRepr(given)}`;
    if (byGiven.size >= GENERATION_CONFLICTS_MAX) byGiven.clear();
    byGiven.set(given, message);
  }
  return message;
}

/** The consumer was not found: insert it in a transaction of its own, or use the row of a request that inserted it first. */
export function* createConsumer(scope: RequestScope, write: ConsumerWrite): Steps<EnsureResult> {
  const row: ConsumerRow = {
    uuid: write.uuid,
    projectId: write.projectId,
    userId: write.userId,
    consumerType: write.consumerType,
    generation: 0,
  };
  const transaction = scope.store.begin('ensure consumer: create');
  const inserting = writeStep(scope, transaction, 'INSERT INTO consumers', lockOnly('consumer', write.uuid), insertConsumer, row);
  const inserted = outcomeOf(inserting, yield inserting);
  if (inserted.kind === 'done') {
    const committing = commitStep(scope, transaction);
    const committed = commitOutcome(scope, committing, yield committing);
    if (committed.kind === 'failed') return { kind: 'error', failure: databaseFailure(committed.error) };
    return { kind: 'ok', consumer: recordFrom(row, true) };
  }
  yield rollbackStep(scope, transaction);
  if (inserted.error.kind !== 'duplicateKey') return { kind: 'error', failure: databaseFailure(inserted.error) };
  // Another request created it first: use that row, without a generation check.
  const rereading = readOnceStep(scope, 'SELECT consumer', consumerRow, write.uuid);
  const reread = readOnceOutcome(scope, rereading, yield rereading);
  if (reread.kind === 'failed') return { kind: 'error', failure: databaseFailure(reread.error) };
  if (reread.value === undefined) return { kind: 'error', failure: failure(404, `No such consumer(s): ${write.uuid}.`) };
  return { kind: 'ok', consumer: recordFrom(reread.value, false) };
}

/** INSERT INTO consumers: fails on a duplicate uuid. */
function insertConsumer(view: View, changes: Changes, row: ConsumerRow): ConsumerRow | DatabaseError {
  if (view.consumer(row.uuid) !== undefined) return { kind: 'duplicateKey', key: `consumer:${row.uuid}` };
  changes.putConsumer(row);
  return row;
}

/** Whether any of the consumers was created by this request, that is, whether `deleteCreatedConsumers` has anything to do. */
export function anyCreated(consumers: readonly ConsumerRecord[]): boolean {
  for (const consumer of consumers) if (consumer.created) return true;
  return false;
}

/**
 * `handlers/allocation.py::delete_consumers`: delete consumers this request
 * created, each in its own transaction. Failures are logged and swallowed in
 * 8.0.0; with the `cleanup-errors-propagate` defect the first one is returned.
 */
export function* deleteCreatedConsumers(scope: RequestScope, consumers: readonly ConsumerRecord[]): Steps<PlacementError | null> {
  if (scope.defects.has('no-consumer-cleanup')) return null;
  // Indexed: a for-of would keep an iterator object alive across the yields.
  for (let index = 0; index < consumers.length; index += 1) {
    const consumer = consumers[index] as ConsumerRecord;
    if (!consumer.created) continue;
    const transaction = scope.store.begin('delete auto-created consumer');
    const deleting = writeStep(scope, transaction, 'DELETE FROM consumers WHERE id = ?', lockOnly('consumer', consumer.uuid), deleteConsumer, consumer.uuid, 'consumerCleanup');
    const deleted = outcomeOf(deleting, yield deleting);
    if (deleted.kind === 'failed') {
      yield rollbackStep(scope, transaction);
      if (scope.defects.has('cleanup-errors-propagate')) return databaseFailure(deleted.error);
      continue;
    }
    // A failed commit is a failed cleanup: swallowed like any other.
    const committing = commitStep(scope, transaction);
    const committed = commitOutcome(scope, committing, yield committing);
    if (committed.kind === 'failed' && scope.defects.has('cleanup-errors-propagate')) return databaseFailure(committed.error);
  }
  return null;
}

/** DELETE FROM consumers WHERE id = ?, of a consumer that may be gone already. */
function deleteConsumer(view: View, changes: Changes, uuid: string): null {
  if (view.consumer(uuid) !== undefined) changes.removeConsumer(uuid);
  return null;
}
