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
import { atLeast, change, commit, consumerRow, databaseFailure, failure, readOnceOutcome, readOnceStep, rollback, type RequestScope, lockOnly } from './scope.ts';

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

export function* ensureConsumer(scope: RequestScope, write: ConsumerWrite): Steps<EnsureResult> {
  const checkGeneration = atLeast(scope, 1, 28);
  const finding = readOnceStep(scope, 'SELECT consumer', consumerRow, write.uuid);
  const found = readOnceOutcome(scope, finding, yield finding);
  if (found.kind === 'failed') return { kind: 'error', failure: databaseFailure(found.error) };
  const existing = found.value;
  if (existing !== undefined) {
    if (checkGeneration && existing.generation !== write.generation) {
      return conflict(`consumer generation conflict - expected ${existing.generation} but got ${pythonRepr(write.generation)}`);
    }
    return { kind: 'ok', consumer: recordFrom(existing, false) };
  }
  if (checkGeneration && write.generation !== null) return conflict(`consumer generation conflict - expected null but got ${write.generation}`);
  const row: ConsumerRow = {
    uuid: write.uuid,
    projectId: write.projectId,
    userId: write.userId,
    consumerType: write.consumerType,
    generation: 0,
  };
  const transaction = scope.store.begin('ensure consumer: create');
  const inserted = yield* change(scope, transaction, 'INSERT INTO consumers', lockOnly('consumer', write.uuid), (view, changes) => {
    if (view.consumer(write.uuid) !== undefined) return { kind: 'duplicateKey', key: `consumer:${write.uuid}` } as const;
    changes.putConsumer(row);
    return row;
  });
  if (inserted.kind === 'done') {
    const committed = yield* commit(scope, transaction);
    if (committed.kind === 'failed') return { kind: 'error', failure: databaseFailure(committed.error) };
    return { kind: 'ok', consumer: recordFrom(row, true) };
  }
  yield* rollback(scope, transaction);
  if (inserted.error.kind !== 'duplicateKey') return { kind: 'error', failure: databaseFailure(inserted.error) };
  // Another request created it first: use that row, without a generation check.
  const rereading = readOnceStep(scope, 'SELECT consumer', consumerRow, write.uuid);
  const reread = readOnceOutcome(scope, rereading, yield rereading);
  if (reread.kind === 'failed') return { kind: 'error', failure: databaseFailure(reread.error) };
  if (reread.value === undefined) return { kind: 'error', failure: failure(404, `No such consumer(s): ${write.uuid}.`) };
  return { kind: 'ok', consumer: recordFrom(reread.value, false) };
}

/**
 * `handlers/allocation.py::delete_consumers`: delete consumers this request
 * created, each in its own transaction. Failures are logged and swallowed in
 * 8.0.0; with the `cleanup-errors-propagate` defect the first one is returned.
 */
export function* deleteCreatedConsumers(scope: RequestScope, consumers: readonly ConsumerRecord[]): Steps<PlacementError | null> {
  if (scope.defects.has('no-consumer-cleanup')) return null;
  for (const consumer of consumers) {
    if (!consumer.created) continue;
    const transaction = scope.store.begin('delete auto-created consumer');
    const deleted = yield* change(
      scope,
      transaction,
      'DELETE FROM consumers WHERE id = ?',
      lockOnly('consumer', consumer.uuid),
      (view, changes) => {
        if (view.consumer(consumer.uuid) !== undefined) changes.removeConsumer(consumer.uuid);
        return null;
      },
      'consumerCleanup',
    );
    if (deleted.kind === 'failed') {
      yield* rollback(scope, transaction);
      if (scope.defects.has('cleanup-errors-propagate')) return databaseFailure(deleted.error);
      continue;
    }
    // A failed commit is a failed cleanup: swallowed like any other.
    const committed = yield* commit(scope, transaction);
    if (committed.kind === 'failed' && scope.defects.has('cleanup-errors-propagate')) return databaseFailure(committed.error);
  }
  return null;
}
