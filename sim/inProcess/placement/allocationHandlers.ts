/**
 * PUT /allocations/{consumer}, POST /allocations and DELETE
 * /allocations/{consumer} of `handlers/allocation.py` in 8.0.0, as
 * interleavable steps.
 */
import { consumerWrite, dictAllocations, listAllocations, postSchema, putSchema } from '../../../model/api/allocations.ts';
import { extractJson } from '../../../model/api/context.ts';
import type { ConsumerWrite } from '../../../model/commands.ts';
import type { PlacementError } from '../../../model/errors.ts';
import type { HttpResponse } from '../../../model/index.ts';
import type { Transaction } from '../../store/store.ts';
import { isObject } from '../../../model/jsonSchema.ts';
import type { PythonValue } from '../../../model/pythonRepr.ts';
import { isUuidLike, normalizeUuid } from '../../../model/uuid.ts';
import type { Step, StatementOutcome } from '../step.ts';
import { anyCreated, consumerFound, createConsumer, deleteCreatedConsumers, findConsumerStep, type ConsumerRecord } from './ensureConsumer.ts';
import { ProviderGenerations, replaceAllocations, writeFailureToHttp, type WriteItem } from './replaceAllocations.ts';
import {
  answered,
  atLeast,
  change,
  commitOutcome,
  commitStep,
  databaseFailure,
  emptyResponse,
  errorResponse,
  failure,
  hasDefect,
  MessagesByKey,
  providerRow,
  readOnceOutcome,
  readOnceStep,
  rollbackStep,
  select,
  type RequestScope,
  lockName,
  lockOnly,
  outcomeOf,
} from './scope.ts';

type Steps<T> = Generator<Step<unknown>, T, StatementOutcome<unknown>>;

type JsonObject = { readonly [key: string]: PythonValue };

// PUT and POST parse their bodies as they start and hand the request over to
// `writeConsumers` itself rather than `yield*` it: every statement of the
// write then resumes one generator less. Parsing touches no database, so
// doing it at the start instead of at the first step changes nothing.

export function putAllocationsTask(scope: RequestScope, rawConsumerUuid: string): Steps<HttpResponse> {
  if (!isUuidLike(rawConsumerUuid)) return answered(errorResponse(scope, failure(400, `Malformed consumer_uuid: ${rawConsumerUuid}`)));
  const consumerUuid = normalizeUuid(rawConsumerUuid);
  const extracted = extractJson(scope.request, putSchema(scope));
  if (extracted.kind === 'error') return answered(errorResponse(scope, extracted.error));
  const data: JsonObject = isObject(extracted.data) ? extracted.data : {};
  const allocations = atLeast(scope, 1, 12) ? dictAllocations(data['allocations']) : listAllocations(data['allocations']);
  const write = consumerWrite(scope, consumerUuid, data, allocations);
  return writeConsumers(scope, 'put', [write]);
}

export function postAllocationsTask(scope: RequestScope): Steps<HttpResponse> {
  const extracted = extractJson(scope.request, postSchema(scope));
  if (extracted.kind === 'error') return answered(errorResponse(scope, extracted.error));
  const data: JsonObject = isObject(extracted.data) ? extracted.data : {};
  const writes = Object.entries(data).map(([consumerUuid, entry]) => {
    const consumerData: JsonObject = isObject(entry) ? entry : {};
    return consumerWrite(scope, consumerUuid, consumerData, dictAllocations(consumerData['allocations']));
  });
  if (hasDefect(scope, 'post-per-consumer')) return writeEachConsumer(scope, writes);
  return writeConsumers(scope, 'post', writes);
}

/** The `post-per-consumer` defect: each consumer is a request of its own; earlier ones stay written. */
function* writeEachConsumer(scope: RequestScope, writes: readonly ConsumerWrite[]): Steps<HttpResponse> {
  let response: HttpResponse = emptyResponse(scope, 204);
  for (const write of writes) {
    response = yield* writeConsumers(scope, 'post', [write]);
    if (response.status !== 204) return response;
  }
  return response;
}

/**
 * The consumers of a write before the first is ensured, never modified: the
 * list grows by copies at exact length (`appended`), since most writes have
 * one consumer, and a list pushed into from empty allocates room for 17.
 */
const NO_CONSUMERS: readonly ConsumerRecord[] = [];

function appended<T>(list: readonly T[], item: T): readonly T[] {
  return list.length === 0 ? [item] : [...list, item];
}

/** The write transaction's label per form, spelled out rather than built per request. */
const WRITE_TRANSACTION_LABELS = { put: 'PUT allocations: write', post: 'POST allocations: write' } as const;

const missingProviderMessages = new MessagesByKey((providerUuid) => `Allocation for resource provider '${providerUuid}' that does not exist.`);

/** The shared body of PUT and POST: consumers, items, one write transaction. */
function* writeConsumers(scope: RequestScope, form: 'put' | 'post', writes: readonly ConsumerWrite[]): Steps<HttpResponse> {
  // ensure_consumer per consumer, run here in its parts: most consumers exist, and then it starts no generator.
  // The loops are indexed: a for-of would keep an iterator object alive across its yields.
  let consumers: readonly ConsumerRecord[] = NO_CONSUMERS;
  for (let index = 0; index < writes.length; index += 1) {
    const write = writes[index] as ConsumerWrite;
    const finding = findConsumerStep(scope, write);
    const ensured = consumerFound(scope, write, readOnceOutcome(scope, finding, yield finding)) ?? (yield* createConsumer(scope, write));
    if (ensured.kind === 'error') {
      if (anyCreated(consumers)) yield* deleteCreatedConsumers(scope, consumers);
      return errorResponse(scope, ensured.failure);
    }
    consumers = appended(consumers, ensured.consumer);
  }
  const providerGenerations = new ProviderGenerations();
  let items: WriteItem[] = [];
  for (let index = 0; index < writes.length; index += 1) {
    const write = writes[index] as ConsumerWrite;
    // A missing provider is a 400 raised before the cleanup guard: an
    // auto-created consumer stays behind, as in 8.0.0.
    let collected: PlacementError | null = null;
    if (write.allocations.length === 0) {
      collected = yield* collectRemovals(scope, write, items, providerGenerations);
    } else {
      // Each provider read in its own transaction, here rather than in a generator of their own.
      for (let position = 0; position < write.allocations.length; position += 1) {
        const allocation = write.allocations[position] as ConsumerWrite['allocations'][number];
        const reading = readOnceStep(scope, 'SELECT resource provider', providerRow, allocation.providerUuid);
        const read = readOnceOutcome(scope, reading, yield reading);
        if (read.kind === 'failed') {
          collected = databaseFailure(read.error);
          break;
        }
        if (read.value === undefined) {
          collected = failure(400, missingProviderMessages.of(allocation.providerUuid));
          break;
        }
        providerGenerations.remember(allocation.providerUuid, read.value.generation);
      }
      if (collected === null) items = withItems(write, items);
    }
    if (collected !== null) return errorResponse(scope, collected);
  }
  const transaction = scope.store.begin(WRITE_TRANSACTION_LABELS[form]);
  for (let index = 0; index < writes.length; index += 1) {
    const write = writes[index];
    const consumer = consumers[index];
    if (write === undefined || consumer === undefined) continue;
    // Most writes keep the owner and the type, and then update_consumers issues no statement: no need to start it.
    if (!ownerOrTypeChanges(consumer, write)) continue;
    const updated = yield* updateConsumer(scope, transaction, consumer, write);
    if (updated !== null) return yield* fail(scope, transaction, consumers, updated);
  }
  const result = yield* replaceAllocations(scope, transaction, items, consumers, providerGenerations);
  if (result.kind === 'error') {
    return yield* fail(scope, result.transaction, consumers, writeFailureToHttp(result.failure, form, writes[0]?.uuid ?? ''));
  }
  const committing = commitStep(scope, result.transaction);
  const committed = commitOutcome(scope, committing, yield committing);
  if (committed.kind === 'failed') return yield* fail(scope, result.transaction, consumers, databaseFailure(committed.error));
  return emptyResponse(scope, 204);
}

function* fail(scope: RequestScope, transaction: Transaction, consumers: readonly ConsumerRecord[], original: PlacementError): Steps<HttpResponse> {
  yield rollbackStep(scope, transaction);
  // Most failed writes created no consumer, and then the cleanup has nothing to do: no need to start it.
  const cleanupFailure = anyCreated(consumers) ? yield* deleteCreatedConsumers(scope, consumers) : null;
  return errorResponse(scope, cleanupFailure ?? original);
}

/** A write of no allocations: an item of 0 units per row the consumer has, to remove them. */
function* collectRemovals(scope: RequestScope, write: ConsumerWrite, items: WriteItem[], generations: ProviderGenerations): Steps<PlacementError | null> {
  const rowsStep = readOnceStep(scope, 'SELECT allocations JOIN consumers WHERE consumer_id = ?', (view) =>
    view.consumer(write.uuid) === undefined
      ? []
      : view.allocationsOfConsumer(write.uuid).map((row) => ({ row, generation: view.provider(row.providerUuid)?.generation })),
    undefined,
  );
  const rows = readOnceOutcome(scope, rowsStep, yield rowsStep);
  if (rows.kind === 'failed') return databaseFailure(rows.error);
  for (const { row, generation } of rows.value) {
    if (generation === undefined) continue;
    generations.remember(row.providerUuid, generation);
    items.push({ consumerUuid: write.uuid, providerUuid: row.providerUuid, resourceClass: row.resourceClass, used: 0 });
  }
  return null;
}

/**
 * `items` with the items of a write whose providers all exist, in the order
 * of its allocations and their classes: the first item of an empty list
 * starts a new list of one (most writes have one item, and a list pushed
 * into from empty allocates room for 17), later ones are pushed.
 */
function withItems(write: ConsumerWrite, items: WriteItem[]): WriteItem[] {
  let list = items;
  for (const allocation of write.allocations) {
    for (const [resourceClass, used] of allocation.resources) {
      const item: WriteItem = { consumerUuid: write.uuid, providerUuid: allocation.providerUuid, resourceClass, used };
      if (list.length === 0) list = [item];
      else list.push(item);
    }
  }
  return list;
}

function ownerOrTypeChanges(consumer: ConsumerRecord, write: ConsumerWrite): boolean {
  return consumer.projectId !== write.projectId || consumer.userId !== write.userId || (write.consumerType !== null && write.consumerType !== consumer.consumerType);
}

/** `update_consumers`: project, user and type, guarded only by the later generation bump. */
function* updateConsumer(
  scope: RequestScope,
  transaction: ReturnType<RequestScope['store']['begin']>,
  consumer: ConsumerRecord,
  write: ConsumerWrite,
): Steps<Parameters<typeof errorResponse>[1] | null> {
  const ownerChanged = consumer.projectId !== write.projectId || consumer.userId !== write.userId;
  const typeChanged = write.consumerType !== null && write.consumerType !== consumer.consumerType;
  if (!ownerChanged && !typeChanged) return null;
  consumer.projectId = write.projectId;
  consumer.userId = write.userId;
  if (typeChanged) consumer.consumerType = write.consumerType;
  const expected = consumer.generation;
  const updatedStep = change(scope, transaction, 'UPDATE consumers SET project_id, user_id, consumer_type_id', lockOnly('consumer', consumer.uuid), (view, changes) => {
    const row = view.consumer(consumer.uuid);
    if (row !== undefined && row.generation === expected) {
      changes.putConsumer({ ...row, projectId: consumer.projectId, userId: consumer.userId, consumerType: consumer.consumerType });
    }
    return null;
  });
  const updated = outcomeOf(updatedStep, yield updatedStep);
  return updated.kind === 'failed' ? databaseFailure(updated.error) : null;
}

const noAllocationsMessages = new MessagesByKey((consumerUuid) => `No allocations for consumer '${consumerUuid}'`);

/**
 * DELETE /allocations/{consumer}: read the rows, delete them by id in one
 * transaction, then delete the consumer if it has no allocations in another.
 */
export function* deleteAllocationsTask(scope: RequestScope, consumerUuid: string): Steps<HttpResponse> {
  const rowsStep = readOnceStep(scope, 'SELECT allocations JOIN consumers WHERE consumer_id = ?', (view) =>
    view.consumer(consumerUuid) === undefined ? [] : view.allocationsOfConsumer(consumerUuid),
    undefined,
  );
  const rows = readOnceOutcome(scope, rowsStep, yield rowsStep);
  if (rows.kind === 'failed') return errorResponse(scope, databaseFailure(rows.error));
  if (rows.value.length === 0) return errorResponse(scope, failure(404, noAllocationsMessages.of(consumerUuid)));
  const ids = rows.value.map((row) => row.id);
  const first = scope.store.begin('DELETE allocations: rows');
  const deletedStep = change(scope, first, 'DELETE FROM allocations WHERE id IN (...)', [...ids.map((id) => lockName('allocation', id)), lockName('allocations-of', consumerUuid)], (view, changes) => {
    const present = new Set(view.allocations().map((row) => row.id));
    for (const id of ids) if (present.has(id)) changes.removeAllocation(id);
    return null;
  });
  const deleted = outcomeOf(deletedStep, yield deletedStep);
  if (deleted.kind === 'failed') {
    yield rollbackStep(scope, first);
    return errorResponse(scope, databaseFailure(deleted.error));
  }
  const firstCommitting = commitStep(scope, first);
  const firstCommitted = commitOutcome(scope, firstCommitting, yield firstCommitting);
  if (firstCommitted.kind === 'failed') return errorResponse(scope, databaseFailure(firstCommitted.error));
  const second = scope.store.begin('DELETE allocations: consumer');
  let doomed = [consumerUuid];
  if (!hasDefect(scope, 'delete-consumer-unconditionally')) {
    const emptyStep = select(scope, second, 'SELECT consumers LEFT JOIN allocations (no allocations)', (view) =>
      view.consumer(consumerUuid) !== undefined && view.allocationsOfConsumer(consumerUuid).length === 0,
    );
    const empty = outcomeOf(emptyStep, yield emptyStep);
    if (empty.kind === 'failed') {
      yield rollbackStep(scope, second);
      return errorResponse(scope, databaseFailure(empty.error));
    }
    doomed = empty.value ? [consumerUuid] : [];
  }
  const removedStep = change(scope, second, 'DELETE FROM consumers WHERE uuid IN (...)', doomed.map((uuid) => lockName('consumer', uuid)), (view, changes) => {
    for (const uuid of doomed) if (view.consumer(uuid) !== undefined) changes.removeConsumer(uuid);
    return null;
  });
  const removed = outcomeOf(removedStep, yield removedStep);
  if (removed.kind === 'failed') {
    yield rollbackStep(scope, second);
    return errorResponse(scope, databaseFailure(removed.error));
  }
  const secondCommitting = commitStep(scope, second);
  const secondCommitted = commitOutcome(scope, secondCommitting, yield secondCommitting);
  if (secondCommitted.kind === 'failed') return errorResponse(scope, databaseFailure(secondCommitted.error));
  return emptyResponse(scope, 204);
}
