/**
 * `objects/allocation.py::replace_all` and `_set_allocations`, statement by
 * statement, inside the caller's write transaction.
 *
 * Two details of 8.0.0 matter for races and are kept exactly:
 * - the provider generations used for the compare-and-set were read before
 *   the write transaction, by separate reads;
 * - the retry on a provider generation conflict re-reads the providers in
 *   fresh transactions but retries `_set_allocations` inside the SAME write
 *   transaction (oslo.db joins nested writer contexts), so under snapshot
 *   isolation the capacity check of a retry reads the snapshot of the first
 *   attempt.
 */
import type { PlacementError } from '../../../model/errors.ts';
import { STANDARD_RESOURCE_CLASSES } from '../../../model/data/standardResourceClasses.ts';
import type { Changes, DatabaseError, Transaction } from '../../store/store.ts';
import { consumerAtGeneration, providerAtGeneration } from '../../store/tables.ts';
import type { View } from '../../store/view.ts';
import type { Step, StatementOutcome } from '../step.ts';
import type { ConsumerRecord } from './ensureConsumer.ts';
import {
  backOffStep,
  change,
  databaseFailure,
  failure,
  hasDefect,
  MessagesByKey,
  noProviderMessages,
  outcomeOf,
  providerRow,
  readOnceOutcome,
  readOnceStep,
  readStep,
  select,
  writeStep,
  type RequestScope,
  lockName,
  lockOnly,
} from './scope.ts';

const STANDARD_CLASSES: ReadonlySet<string> = new Set(STANDARD_RESOURCE_CLASSES);
const PROVIDER_ATTEMPTS_MAX = 10;
const DEADLOCK_RETRIES_MAX = 5;

/** One allocation to write; `used` 0 marks a row being removed. */
export interface WriteItem {
  readonly consumerUuid: string;
  readonly providerUuid: string;
  readonly resourceClass: string;
  readonly used: number;
}

/** A provider of a write and the generation the request believes it has. */
interface ProviderGeneration {
  readonly uuid: string;
  generation: number;
}

const NO_PROVIDERS: readonly ProviderGeneration[] = [];

/**
 * The generation each provider of a write was read with, in the order first
 * read. A write names a provider or two, so a scanned list (grown by copies
 * at exact length) costs less than a map; and its records are what the
 * compare-and-set statements get, so they need no argument object of
 * their own.
 */
export class ProviderGenerations {
  private records: readonly ProviderGeneration[] = NO_PROVIDERS;

  /** Notes a provider's generation unless one is noted already (the first read is the one the write uses). */
  remember(uuid: string, generation: number): void {
    if (this.find(uuid) === undefined) this.add(uuid, generation);
  }

  /** Notes a provider's generation as read again. */
  set(uuid: string, generation: number): void {
    const record = this.find(uuid);
    if (record === undefined) this.add(uuid, generation);
    else record.generation = generation;
  }

  /** A provider's record; one never read is believed to be at generation -1, which no row has. */
  recordOf(uuid: string): ProviderGeneration {
    return this.find(uuid) ?? { uuid, generation: -1 };
  }

  private find(uuid: string): ProviderGeneration | undefined {
    const records = this.records;
    for (let index = 0; index < records.length; index += 1) {
      const record = records[index] as ProviderGeneration;
      if (record.uuid === uuid) return record;
    }
    return undefined;
  }

  private add(uuid: string, generation: number): void {
    const record = { uuid, generation };
    this.records = this.records.length === 0 ? [record] : [...this.records, record];
  }
}

/** Why a write failed, in the terms the handler maps to HTTP. */
export type WriteFailure =
  | { readonly kind: 'notFound'; readonly message: string }
  | { readonly kind: 'invalidInventory'; readonly message: string }
  | { readonly kind: 'concurrentUpdate'; readonly message: string }
  | { readonly kind: 'http'; readonly failure: PlacementError };

export type WriteResult = { readonly kind: 'ok'; readonly transaction: Transaction } | { readonly kind: 'error'; readonly failure: WriteFailure; readonly transaction: Transaction };

type Steps<T> = Generator<Step<unknown>, T, StatementOutcome<unknown>>;

type AttemptResult =
  | { readonly kind: 'ok' }
  | { readonly kind: 'providerConflict' }
  | { readonly kind: 'deadlock' }
  | { readonly kind: 'error'; readonly failure: WriteFailure };

/** The outcomes that carry nothing else, shared: results are never modified. */
const ATTEMPT_OK: AttemptResult = { kind: 'ok' };
const ATTEMPT_PROVIDER_CONFLICT: AttemptResult = { kind: 'providerConflict' };
const ATTEMPT_DEADLOCK: AttemptResult = { kind: 'deadlock' };

const PROVIDER_CONFLICT = 'Another thread concurrently updated the resource provider data. Please retry your update';
const CONSUMER_CONFLICT = 'Another thread concurrently updated the data. Please retry your update';

/**
 * Runs replace_all. Returns the transaction to commit or roll back (a
 * deadlock makes the database start a new one).
 */
export function* replaceAllocations(
  scope: RequestScope,
  initialTransaction: Transaction,
  items: readonly WriteItem[],
  consumers: readonly ConsumerRecord[],
  providerGenerations: ProviderGenerations,
): Steps<WriteResult> {
  let transaction = initialTransaction;
  const attemptsMax = hasDefect(scope, 'no-server-retry') ? 1 : PROVIDER_ATTEMPTS_MAX;
  if (hasDefect(scope, 'capacity-outside-transaction')) {
    const checking = readOnceStep(scope, 'SELECT capacity (outside the write transaction)', checkCapacity, items);
    const checked = readOnceOutcome(scope, checking, yield checking);
    if (checked.kind === 'failed') return { kind: 'error', failure: { kind: 'http', failure: databaseFailure(checked.error) }, transaction };
    if (checked.value !== null) return { kind: 'error', failure: checked.value, transaction };
  }
  for (let attempt = 1; attempt <= attemptsMax; attempt += 1) {
    scope.notes.allocationAttempts = attempt;
    let result: AttemptResult = ATTEMPT_DEADLOCK;
    // wrap_db_retry: a deadlock aborts the database transaction; the retry runs in a new one.
    for (let deadlocks = 0; deadlocks <= DEADLOCK_RETRIES_MAX; deadlocks += 1) {
      result = yield* setAllocations(scope, transaction, items, consumers, providerGenerations);
      if (result.kind !== 'deadlock') break;
      scope.store.rollback(transaction);
      if (deadlocks < DEADLOCK_RETRIES_MAX) yield backOffStep(scope, 'back off before retrying the deadlocked transaction (wrap_db_retry)');
      transaction = scope.store.begin(transaction.label);
    }
    switch (result.kind) {
      case 'ok':
        return { kind: 'ok', transaction };
      case 'deadlock':
        return { kind: 'error', failure: { kind: 'http', failure: databaseFailure({ kind: 'deadlock' }) }, transaction };
      case 'error':
        return { kind: 'error', failure: result.failure, transaction };
      case 'providerConflict': {
        if (attempt === attemptsMax) break;
        const reloaded = yield* reloadProviders(scope, items, providerGenerations);
        if (reloaded !== null) return { kind: 'error', failure: reloaded, transaction };
        break;
      }
      default:
        return assertNever(result);
    }
  }
  scope.notes.retriesExhausted = true;
  return { kind: 'error', failure: { kind: 'concurrentUpdate', message: PROVIDER_CONFLICT }, transaction };
}

/** Re-reads every provider in its own transaction, as replace_all does before retrying. */
function* reloadProviders(scope: RequestScope, items: readonly WriteItem[], generations: ProviderGenerations): Steps<WriteFailure | null> {
  const providerUuids = distinctOf(items, 'providerUuid');
  for (let index = 0; index < providerUuids.length; index += 1) {
    const providerUuid = providerUuids[index] as string;
    const reading = readOnceStep(scope, 'SELECT resource provider (retry)', providerRow, providerUuid);
    const read = readOnceOutcome(scope, reading, yield reading);
    if (read.kind === 'failed') return { kind: 'http', failure: databaseFailure(read.error) };
    if (read.value === undefined) return { kind: 'notFound', message: noProviderMessages.of(providerUuid) };
    generations.set(providerUuid, read.value.generation);
  }
  return null;
}

// The loops over lists in the generators below are indexed: a for-of keeps
// an iterator object alive across its yields, one per loop per attempt.

function* setAllocations(
  scope: RequestScope,
  transaction: Transaction,
  items: readonly WriteItem[],
  consumers: readonly ConsumerRecord[],
  providerGenerations: ProviderGenerations,
): Steps<AttemptResult> {
  const consumerUuids = distinctOf(items, 'consumerUuid');
  for (let index = 0; index < consumerUuids.length; index += 1) {
    const consumerUuid = consumerUuids[index] as string;
    const deleting = writeStep(scope, transaction, 'DELETE FROM allocations WHERE consumer_id = ?', lockOnly('allocations-of', consumerUuid), deleteAllocationsOf, consumerUuid);
    const deleted = outcomeOf(deleting, yield deleting);
    if (deleted.kind === 'failed') return statementFailure(deleted.error);
  }
  if (!hasDefect(scope, 'capacity-outside-transaction')) {
    const query = hasDefect(scope, 'no-unit-constraints') ? capacityIgnoringUnits : checkCapacity;
    const checking = readStep(scope, transaction, 'SELECT inventories and usages (capacity check)', query, items);
    const checked = outcomeOf(checking, yield checking);
    if (checked.kind === 'failed') return statementFailure(checked.error);
    if (checked.value !== null) return { kind: 'error', failure: checked.value };
  }
  let firstInsert = true;
  for (let index = 0; index < items.length; index += 1) {
    const item = items[index] as WriteItem;
    if (item.used === 0) continue;
    const inserting = writeStep(
      scope,
      transaction,
      'INSERT INTO allocations',
      lockOnly('allocations-of', item.consumerUuid),
      insertAllocation,
      item,
      firstInsert ? 'allocationsInsertAfterDelete' : 'statement',
    );
    const inserted = outcomeOf(inserting, yield inserting);
    firstInsert = false;
    if (inserted.kind === 'failed') return statementFailure(inserted.error);
  }
  const providerUuids = distinctOf(items, 'providerUuid');
  for (let index = 0; index < providerUuids.length; index += 1) {
    const providerUuid = providerUuids[index] as string;
    const updating = writeStep(
      scope,
      transaction,
      'UPDATE resource_providers SET generation = ? WHERE id = ? AND generation = ?',
      lockOnly('provider', providerUuid),
      hasDefect(scope, 'no-provider-cas') ? bumpProviderGenerationUnguarded : bumpProviderGeneration,
      providerGenerations.recordOf(providerUuid),
    );
    const updated = outcomeOf(updating, yield updating);
    if (updated.kind === 'failed') return statementFailure(updated.error);
    if (updated.value !== 1) return ATTEMPT_PROVIDER_CONFLICT;
  }
  // The consumers whose rows were written, in the consumers' order.
  for (let index = 0; index < consumers.length; index += 1) {
    const consumer = consumers[index] as ConsumerRecord;
    if (!consumerUuids.includes(consumer.uuid)) continue;
    const updating = writeStep(
      scope,
      transaction,
      'UPDATE consumers SET generation = ? WHERE id = ? AND generation = ?',
      lockOnly('consumer', consumer.uuid),
      hasDefect(scope, 'no-consumer-cas') ? bumpConsumerGenerationUnguarded : bumpConsumerGeneration,
      consumer,
    );
    const updated = outcomeOf(updating, yield updating);
    if (updated.kind === 'failed') return statementFailure(updated.error);
    if (updated.value !== 1) return { kind: 'error', failure: { kind: 'concurrentUpdate', message: CONSUMER_CONFLICT } };
    consumer.generation += 1;
  }
  if (hasDefect(scope, 'keep-emptied-consumers')) return ATTEMPT_OK;
  // Consumers left without allocations: most writes allocate to each of their consumers, and then the cleanup is not started.
  const emptied = emptiedConsumers(items, consumerUuids);
  return emptied === null ? ATTEMPT_OK : yield* deleteEmptiedConsumers(scope, transaction, emptied);
}

/** What a generation compare-and-set statement gets: the row, and the generation the request believes it has. */
interface Believed {
  readonly uuid: string;
  readonly generation: number;
}

// The compare-and-set statements are module-level functions of the
// request's own record of the row (a provider's in ProviderGenerations, the
// consumer's ConsumerRecord), one per setting of the `no-*-cas` defect that
// skips the comparison: a closure over the loop's variables, or an argument
// object, would be an allocation per statement. The records change only
// after the statement's outcome is read.

/** UPDATE resource_providers SET generation = ? WHERE id = ? AND generation = ?: the rows it changed. */
function bumpProviderGeneration(view: View, changes: Changes, believed: Believed): number {
  return bumpProvider(view, changes, believed, true);
}

function bumpProviderGenerationUnguarded(view: View, changes: Changes, believed: Believed): number {
  return bumpProvider(view, changes, believed, false);
}

function bumpProvider(view: View, changes: Changes, believed: Believed, guarded: boolean): number {
  const row = view.provider(believed.uuid);
  if (row === undefined) return 0;
  if (row.generation !== believed.generation && guarded) return 0;
  changes.putProvider(providerAtGeneration(row, believed.generation + 1));
  return 1;
}

/** UPDATE consumers SET generation = ? WHERE id = ? AND generation = ?: the rows it changed. */
function bumpConsumerGeneration(view: View, changes: Changes, believed: Believed): number {
  return bumpConsumer(view, changes, believed, true);
}

function bumpConsumerGenerationUnguarded(view: View, changes: Changes, believed: Believed): number {
  return bumpConsumer(view, changes, believed, false);
}

function bumpConsumer(view: View, changes: Changes, believed: Believed, guarded: boolean): number {
  const row = view.consumer(believed.uuid);
  if (row === undefined) return 0;
  if (row.generation !== believed.generation && guarded) return 0;
  changes.putConsumer(consumerAtGeneration(row, believed.generation + 1));
  return 1;
}

/** The written consumers no item allocates to, in order; null when there are none (a list only when there are some). */
function emptiedConsumers(items: readonly WriteItem[], consumerUuids: readonly string[]): string[] | null {
  let emptied: string[] | null = null;
  for (const uuid of consumerUuids) if (!allocatesTo(items, uuid)) (emptied ??= []).push(uuid);
  return emptied;
}

/**
 * The end of `_set_allocations`: deletes the consumers left without
 * allocations. A generator of its own, started only when there are some:
 * its variables would otherwise enlarge every attempt's generator.
 */
function* deleteEmptiedConsumers(scope: RequestScope, transaction: Transaction, candidates: readonly string[]): Steps<AttemptResult> {
  const foundStep = select(scope, transaction, 'SELECT consumers LEFT JOIN allocations (no allocations)', (view) =>
    candidates.filter((uuid) => view.consumer(uuid) !== undefined && view.allocationsOfConsumer(uuid).length === 0),
  );
  const found = outcomeOf(foundStep, yield foundStep);
  if (found.kind === 'failed') return statementFailure(found.error);
  const doomed = found.value;
  const deletedStep = change(
    scope,
    transaction,
    'DELETE FROM consumers WHERE uuid IN (...)',
    doomed.map((uuid) => lockName('consumer', uuid)),
    (view, changes) => {
      for (const uuid of doomed) if (view.consumer(uuid) !== undefined) changes.removeConsumer(uuid);
      return null;
    },
  );
  const deleted = outcomeOf(deletedStep, yield deletedStep);
  return deleted.kind === 'failed' ? statementFailure(deleted.error) : ATTEMPT_OK;
}

/** Whether any item allocates units to the consumer. */
function allocatesTo(items: readonly WriteItem[], consumerUuid: string): boolean {
  for (const item of items) if (item.consumerUuid === consumerUuid && item.used > 0) return true;
  return false;
}

/**
 * INSERT INTO allocations of one item, with the next auto-increment id. The
 * row's fields are in the order a spread of the item gives them; spelled
 * out, the engine need not copy an object shape per insert.
 */
function insertAllocation(_view: View, changes: Changes, item: WriteItem): null {
  changes.putAllocation({
    consumerUuid: item.consumerUuid,
    providerUuid: item.providerUuid,
    resourceClass: item.resourceClass,
    used: item.used,
    id: changes.newAllocationId(),
  });
  return null;
}

/** `checkCapacity` with the `no-unit-constraints` defect: min_unit, max_unit and step_size not checked. */
function capacityIgnoringUnits(view: View, items: readonly WriteItem[]): WriteFailure | null {
  return capacityProblem(view, items, false);
}

/** DELETE FROM allocations WHERE consumer_id = ?: every row of the consumer the statement sees. */
function deleteAllocationsOf(view: View, changes: Changes, consumerUuid: string): null {
  // The rows of allocationsOfConsumer, in its order, without building its list.
  for (const row of view.allocations()) if (row.consumerUuid === consumerUuid) changes.removeAllocation(row.id);
  return null;
}

/**
 * The distinct values of one field of the items, in the order first seen
 * (as a Set of them would list them): a request writes a handful of items,
 * so scanning a list beats building a set, several times a request. The
 * list starts as a one-element literal: most writes have one consumer and
 * one provider, and a list pushed into from empty allocates room for 17.
 */
function distinctOf(items: readonly WriteItem[], field: 'consumerUuid' | 'providerUuid'): string[] {
  const first = items[0];
  if (first === undefined) return [];
  const values = [first[field]];
  for (let index = 1; index < items.length; index += 1) {
    const value = (items[index] as WriteItem)[field];
    if (!values.includes(value)) values.push(value);
  }
  return values;
}

function statementFailure(error: DatabaseError): AttemptResult {
  if (error.kind === 'deadlock') return ATTEMPT_DEADLOCK;
  return { kind: 'error', failure: { kind: 'http', failure: databaseFailure(error) } };
}

/**
 * `_check_capacity_exceeded` over what the statement can see. The usage of
 * the request's own consumers is not counted: their rows were deleted first.
 *
 * A request writes a handful of items, so the distinct providers, the
 * consumers and the running sums per provider and class are found by
 * scanning the items rather than by building sets and maps per check.
 */
export function checkCapacity(view: View, items: readonly WriteItem[]): WriteFailure | null {
  return capacityProblem(view, items, true);
}

/** `checkCapacity`, with the unit constraints checked or not. */
function capacityProblem(view: View, items: readonly WriteItem[], unitsChecked: boolean): WriteFailure | null {
  for (const item of items) {
    if (!view.resourceClassExists(item.resourceClass, STANDARD_CLASSES)) {
      return { kind: 'notFound', message: `No such resource class ${item.resourceClass}.` };
    }
  }
  for (const item of items) {
    if (!providerHasAnyClass(view, item.providerUuid, items)) return missingInventory(view, items);
  }
  for (let index = 0; index < items.length; index += 1) {
    const item = items[index];
    if (item === undefined) continue;
    const runningSum = runningSumOf(items, index, item);
    if (item.used === 0) continue;
    const inventory = view.inventory(item.providerUuid, item.resourceClass);
    if (inventory === undefined) return { kind: 'invalidInventory', message: capacityMessagesOf(item).invalid };
    if (unitsChecked && (item.used < inventory.minUnit || item.used > inventory.maxUnit || item.used % inventory.stepSize !== 0)) {
      return { kind: 'invalidInventory', message: capacityMessagesOf(item).violates };
    }
    let usedByOthers = 0;
    for (const row of view.allocations()) {
      if (row.providerUuid === item.providerUuid && row.resourceClass === item.resourceClass && !isRequestConsumer(items, row.consumerUuid)) usedByOthers += row.used;
    }
    const capacity = (inventory.total - inventory.reserved) * inventory.allocationRatio;
    if (capacity < usedByOthers + item.used || capacity < usedByOthers + runningSum) return { kind: 'invalidInventory', message: capacityMessagesOf(item).exceeds };
  }
  return null;
}

/** What the capacity check says of one provider and class. */
interface CapacityMessages {
  readonly invalid: string;
  readonly violates: string;
  readonly exceeds: string;
}

/**
 * The capacity check's messages per provider and class, built once: a
 * fifth of a run's errors are capacity failures on a few providers and
 * classes, and the same message objects every time let the HTTP message
 * (see `invalidInventoryMessages`) and the error responses' memo find them by
 * their kept hashes instead of hashing new texts. A memo of a pure
 * function, bounded by wiping.
 */
const capacityMessages = new Map<string, Map<string, CapacityMessages>>();
const CAPACITY_MESSAGES_MAX = 1_024;

function capacityMessagesOf(item: WriteItem): CapacityMessages {
  let byClass = capacityMessages.get(item.providerUuid);
  if (byClass === undefined) {
    if (capacityMessages.size >= CAPACITY_MESSAGES_MAX) capacityMessages.clear();
    byClass = new Map();
    capacityMessages.set(item.providerUuid, byClass);
  }
  let messages = byClass.get(item.resourceClass);
  if (messages === undefined) {
    const where = `'${item.resourceClass}' on resource provider '${item.providerUuid}'`;
    messages = {
      invalid: `Inventory for ${where} invalid.`,
      violates: `Unable to create allocation for ${where}. The requested amount would violate inventory constraints.`,
      exceeds: `Unable to create allocation for ${where}. The requested amount would exceed the capacity.`,
    };
    if (byClass.size >= CAPACITY_MESSAGES_MAX) byClass.clear();
    byClass.set(item.resourceClass, messages);
  }
  return messages;
}

/**
 * The HTTP message of an invalid inventory failure per failure message:
 * those of the capacity check recur (see `capacityMessagesOf`).
 */
const invalidInventoryMessages = new MessagesByKey((message) => `Unable to allocate inventory: ${message}`);

/** Whether the provider has inventory of any class the request writes (a loop: a callback would be a closure per call). */
function providerHasAnyClass(view: View, providerUuid: string, items: readonly WriteItem[]): boolean {
  for (const item of items) if (view.inventory(providerUuid, item.resourceClass) !== undefined) return true;
  return false;
}

/** The failure for providers with inventory of none of the request's classes, each listed once in order. */
function missingInventory(view: View, items: readonly WriteItem[]): WriteFailure {
  const classes = [...new Set(items.map((item) => item.resourceClass))];
  const missing = [...new Set(items.map((item) => item.providerUuid))].filter((providerUuid) => !providerHasAnyClass(view, providerUuid, items));
  return { kind: 'invalidInventory', message: `Inventory for '${classes.join(', ')}' on resource provider '${missing.join(', ')}' invalid.` };
}

/** The units of the item's provider and class requested by it and the items before it, summed in item order. */
function runningSumOf(items: readonly WriteItem[], index: number, item: WriteItem): number {
  let sum = 0;
  for (let earlier = 0; earlier <= index; earlier += 1) {
    const other = items[earlier];
    if (other !== undefined && other.providerUuid === item.providerUuid && other.resourceClass === item.resourceClass) sum += other.used;
  }
  return sum;
}

/** Whether a consumer is one the request writes (a loop: a callback would be a closure per row checked). */
function isRequestConsumer(items: readonly WriteItem[], consumerUuid: string): boolean {
  for (const item of items) if (item.consumerUuid === consumerUuid) return true;
  return false;
}

function concurrentUpdateMessage(message: string): string {
  return `Inventory and/or allocations changed while attempting to allocate: ${message}`;
}

/**
 * The HTTP messages of the two concurrent update failures, built once: the
 * same message object every time lets the error responses' memo find it by
 * its kept hash instead of hashing a new text.
 */
const CONCURRENT_UPDATE_MESSAGES: ReadonlyMap<string, string> = new Map([PROVIDER_CONFLICT, CONSUMER_CONFLICT].map((message) => [message, concurrentUpdateMessage(message)]));

/** Maps a write failure to Placement's HTTP error for PUT or POST. */
export function writeFailureToHttp(writeFailure: WriteFailure, form: 'put' | 'post', consumerUuid: string): PlacementError {
  switch (writeFailure.kind) {
    case 'notFound':
      return form === 'put'
        ? failure(400, `Unable to allocate inventory for consumer ${consumerUuid}: ${writeFailure.message}`)
        : failure(400, `Unable to allocate inventory ${writeFailure.message}`);
    case 'invalidInventory':
      return failure(409, invalidInventoryMessages.of(writeFailure.message));
    case 'concurrentUpdate':
      return failure(409, CONCURRENT_UPDATE_MESSAGES.get(writeFailure.message) ?? concurrentUpdateMessage(writeFailure.message), 'placement.concurrent_update');
    case 'http':
      return writeFailure.failure;
    default:
      return assertNever(writeFailure);
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
}
