/**
 * Inventory and provider writes of `handlers/inventory.py` and
 * `handlers/resource_provider.py` in 8.0.0: no server-side retry, the
 * provider generation read at the start guards the write.
 */
import { extractJson } from '../../../model/api/context.ts';
import { inventoryFrom, serializeInventory } from '../../../model/api/inventories.ts';
import { STANDARD_RESOURCE_CLASSES } from '../../../model/data/standardResourceClasses.ts';
import type { HttpResponse, Inventory } from '../../../model/index.ts';
import { capacityProblem } from '../../../model/inventoryCommands.ts';
import { isObject } from '../../../model/jsonSchema.ts';
import { pythonNumber, type PythonValue } from '../../../model/pythonRepr.ts';
import * as schemas from '../../../model/schemas.ts';
import { normalizeUuid } from '../../../model/uuid.ts';
import type { Transaction } from '../../store/store.ts';
import { providerAtGeneration, type InventoryRow } from '../../store/tables.ts';
import type { Step, StatementOutcome } from '../step.ts';
import { BodiesByValues } from './bodiesByValues.ts';
import type { RenderedBody } from '../../responseBody.ts';
import {
  atLeast,
  change,
  commitOutcome,
  commitStep,
  databaseFailure,
  emptyResponse,
  errorResponse,
  failure,
  hasDefect,
  bodyResponse,
  MessagesByKey,
  MessagesByTwoKeys,
  noProviderMessages,
  providerRow,
  readOnceOutcome,
  readOnceStep,
  rollbackStep,
  select,
  type RequestScope, lockName, lockOnly, outcomeOf } from './scope.ts';

type Steps<T> = Generator<Step<unknown>, T, StatementOutcome<unknown>>;
const STANDARD_CLASSES: ReadonlySet<string> = new Set(STANDARD_RESOURCE_CLASSES);

/** Written out field by field in the order a spread of the inventory gives: a spread copies its shape and then grows it. */
function rowFor(providerUuid: string, resourceClass: string, inventory: Inventory): InventoryRow {
  return {
    providerUuid,
    resourceClass,
    total: inventory.total,
    reserved: inventory.reserved,
    minUnit: inventory.minUnit,
    maxUnit: inventory.maxUnit,
    stepSize: inventory.stepSize,
    allocationRatio: inventory.allocationRatio,
  };
}

function* abort(scope: RequestScope, transaction: Transaction, response: HttpResponse): Steps<HttpResponse> {
  yield rollbackStep(scope, transaction);
  return response;
}

/**
 * `increment_generation` with the generation the request read first.
 * Gives the new generation, or 0 when no row matched.
 */
function bumpProvider(scope: RequestScope, transaction: Transaction, providerUuid: string, expected: number): Step<number> {
  return change(scope, transaction, 'UPDATE resource_providers SET generation = ? WHERE id = ? AND generation = ?', lockOnly('provider', providerUuid), (view, changes) => {
    const row = view.provider(providerUuid);
    if (row === undefined) return 0;
    const guarded = !hasDefect(scope, 'no-inventory-generation-check');
    if (guarded && row.generation !== expected) return 0;
    const generation = (guarded ? expected : row.generation) + 1;
    changes.putProvider(providerAtGeneration(row, generation));
    return generation;
  });
}

/**
 * Bumps the provider generation, or rolls back and answers the 409 the
 * handler gives for a lost compare-and-set (`prefix: Another thread ...`).
 */
function* bumpOrAbort(scope: RequestScope, transaction: Transaction, providerUuid: string, expected: number, prefix: string): Steps<number | HttpResponse> {
  const bumping = bumpProvider(scope, transaction, providerUuid, expected);
  const bumped = outcomeOf(bumping, yield bumping);
  if (bumped.kind === 'failed') return yield* abort(scope, transaction, errorResponse(scope, databaseFailure(bumped.error)));
  if (bumped.value !== 0) return bumped.value;
  const message = `${prefix}: Another thread concurrently updated the resource provider data. Please retry your update`;
  return yield* abort(scope, transaction, errorResponse(scope, failure(409, message, 'placement.concurrent_update')));
}

/** PUT /resource_providers/{uuid}/inventories. */
export function* setInventoriesTask(scope: RequestScope, providerUuid: string): Steps<HttpResponse> {
  const providerStep = readOnceStep(scope, 'SELECT resource provider', providerRow, providerUuid);
  const provider = readOnceOutcome(scope, providerStep, yield providerStep);
  if (provider.kind === 'failed') return errorResponse(scope, databaseFailure(provider.error));
  if (provider.value === undefined) return errorResponse(scope, failure(404, noProviderMessages.of(providerUuid)));
  const extracted = extractJson(scope.request, schemas.PUT_INVENTORIES);
  if (extracted.kind === 'error') return errorResponse(scope, extracted.error);
  const data = isObject(extracted.data) ? extracted.data : {};
  const generation = pythonNumber(data['resource_provider_generation']) ?? Number.NaN;
  if (generation !== provider.value.generation && !hasDefect(scope, 'no-inventory-generation-check')) {
    return errorResponse(scope, failure(409, 'resource provider generation conflict', 'placement.concurrent_update'));
  }
  const raw = data['inventories'];
  const requested: [string, Inventory][] = Object.entries(raw !== undefined && isObject(raw) ? raw : {}).map(([resourceClass, value]) => [
    resourceClass,
    inventoryFrom(isObject(value) ? value : {}),
  ]);
  const rule = atLeast(scope, 1, 26) ? 'nonNegative' : 'positive';
  for (const [resourceClass, inventory] of requested) {
    const problem = capacityProblem(rule, providerUuid, resourceClass, inventory);
    if (problem !== null) return errorResponse(scope, failure(400, `Unable to update inventory for resource provider ${providerUuid}: ${problem}`));
  }
  const transaction = scope.store.begin('PUT inventories');
  // Indexed: a for-of would keep an iterator object alive across the yields.
  for (let index = 0; index < requested.length; index += 1) {
    const resourceClass = (requested[index] as [string, Inventory])[0];
    const knownStep = select(scope, transaction, 'SELECT resource class', (view) => view.resourceClassExists(resourceClass, STANDARD_CLASSES));
    const known = outcomeOf(knownStep, yield knownStep);
    if (known.kind === 'failed') return yield* abort(scope, transaction, errorResponse(scope, databaseFailure(known.error)));
    if (!known.value) {
      return yield* abort(
        scope,
        transaction,
        errorResponse(scope, failure(400, `Unknown resource class in inventory for resource provider ${providerUuid}: No such resource class ${resourceClass}.`)),
      );
    }
  }
  const existingStep = select(scope, transaction, 'SELECT inventories', (view) => view.inventoriesOf(providerUuid).map((row) => row.resourceClass));
  const existing = outcomeOf(existingStep, yield existingStep);
  if (existing.kind === 'failed') return yield* abort(scope, transaction, errorResponse(scope, databaseFailure(existing.error)));
  const wanted = new Set(requested.map(([resourceClass]) => resourceClass));
  const removed = existing.value.filter((resourceClass) => !wanted.has(resourceClass));
  if (removed.length > 0) {
    const inUseStep = select(scope, transaction, 'SELECT allocations of removed classes', (view) =>
      removed.filter((resourceClass) => view.allocationsOnProvider(providerUuid).some((row) => row.resourceClass === resourceClass)),
    );
    const inUse = outcomeOf(inUseStep, yield inUseStep);
    if (inUse.kind === 'failed') return yield* abort(scope, transaction, errorResponse(scope, databaseFailure(inUse.error)));
    if (inUse.value.length > 0) {
      return yield* abort(
        scope,
        transaction,
        errorResponse(scope, failure(409, `update conflict: Inventory for '${inUse.value.join(', ')}' on resource provider '${providerUuid}' in use.`, 'placement.inventory.inuse')),
      );
    }
  }
  const writtenStep = change(
    scope,
    transaction,
    'DELETE/INSERT/UPDATE inventories',
    [...new Set([...existing.value, ...wanted])].map((resourceClass) => `inventory:${providerUuid}:${resourceClass}`),
    (_view, changes) => {
      for (const resourceClass of removed) changes.removeInventory(providerUuid, resourceClass);
      for (const [resourceClass, inventory] of requested) changes.putInventory(rowFor(providerUuid, resourceClass, inventory));
      return null;
    },
  );
  const written = outcomeOf(writtenStep, yield writtenStep);
  if (written.kind === 'failed') return yield* abort(scope, transaction, errorResponse(scope, databaseFailure(written.error)));
  const bumped = yield* bumpOrAbort(scope, transaction, providerUuid, provider.value.generation, 'update conflict');
  if (typeof bumped !== 'number') return bumped;
  const committing = commitStep(scope, transaction);
  const committed = commitOutcome(scope, committing, yield committing);
  if (committed.kind === 'failed') return errorResponse(scope, databaseFailure(committed.error));
  inventoriesBodies.begin();
  inventoriesBodies.add(bumped);
  for (const [resourceClass, inventory] of requested) addInventory(resourceClass, inventory);
  return bodyResponse(scope, inventoriesBodies.found() ?? inventoriesBodies.keep(inventoriesDocument(bumped, requested)));
}

/**
 * The bodies of a provider's inventories (PUT's answer and GET's), by the
 * generation, then each class and its inventory's fields in order (see
 * `BodiesByValues`).
 */
export const inventoriesBodies = new BodiesByValues();

/** Feeds one class and its inventory to `inventoriesBodies`, every field `serializeInventory` writes. */
export function addInventory(resourceClass: string, inventory: Inventory): void {
  inventoriesBodies.add(resourceClass);
  inventoriesBodies.add(inventory.total);
  inventoriesBodies.add(inventory.reserved);
  inventoriesBodies.add(inventory.minUnit);
  inventoriesBodies.add(inventory.maxUnit);
  inventoriesBodies.add(inventory.stepSize);
  inventoriesBodies.add(inventory.allocationRatio);
}

export function inventoriesDocument(generation: number, inventories: readonly (readonly [string, Inventory])[]): PythonValue {
  const serialized: Record<string, PythonValue> = {};
  for (const [resourceClass, inventory] of inventories) serialized[resourceClass] = serializeInventory(inventory);
  return { resource_provider_generation: generation, inventories: serialized };
}

const inventoryInUseMessages = new MessagesByTwoKeys(
  (resourceClass, providerUuid) => `Unable to delete inventory of class ${resourceClass}: Inventory for '${resourceClass}' on resource provider '${providerUuid}' in use.`,
);
const noInventoryMessages = new MessagesByKey((resourceClass) => `No inventory of class ${resourceClass} found for delete: No inventory of class ${resourceClass} found for delete`);

/** DELETE /resource_providers/{uuid}/inventories/{class}. */
export function* deleteInventoryTask(scope: RequestScope, providerUuid: string, resourceClass: string): Steps<HttpResponse> {
  const providerStep = readOnceStep(scope, 'SELECT resource provider', providerRow, providerUuid);
  const provider = readOnceOutcome(scope, providerStep, yield providerStep);
  if (provider.kind === 'failed') return errorResponse(scope, databaseFailure(provider.error));
  if (provider.value === undefined) return errorResponse(scope, failure(404, noProviderMessages.of(providerUuid)));
  const transaction = scope.store.begin('DELETE inventory');
  const inUseStep = select(scope, transaction, 'SELECT allocations of the class', (view) =>
    view.allocationsOnProvider(providerUuid).some((row) => row.resourceClass === resourceClass),
  );
  const inUse = outcomeOf(inUseStep, yield inUseStep);
  if (inUse.kind === 'failed') return yield* abort(scope, transaction, errorResponse(scope, databaseFailure(inUse.error)));
  if (inUse.value) {
    return yield* abort(
      scope,
      transaction,
      errorResponse(
        scope,
        failure(409, inventoryInUseMessages.of(resourceClass, providerUuid), 'placement.concurrent_update'),
      ),
    );
  }
  const deletedStep = change(scope, transaction, 'DELETE FROM inventories', [`inventory:${providerUuid}:${resourceClass}`], (view, changes) => {
    if (view.inventory(providerUuid, resourceClass) === undefined) return 0;
    changes.removeInventory(providerUuid, resourceClass);
    return 1;
  });
  const deleted = outcomeOf(deletedStep, yield deletedStep);
  if (deleted.kind === 'failed') return yield* abort(scope, transaction, errorResponse(scope, databaseFailure(deleted.error)));
  if (deleted.value === 0) {
    return yield* abort(
      scope,
      transaction,
      errorResponse(scope, failure(404, noInventoryMessages.of(resourceClass))),
    );
  }
  const bumped = yield* bumpOrAbort(scope, transaction, providerUuid, provider.value.generation, `Unable to delete inventory of class ${resourceClass}`);
  if (typeof bumped !== 'number') return bumped;
  const committing = commitStep(scope, transaction);
  const committed = commitOutcome(scope, committing, yield committing);
  if (committed.kind === 'failed') return errorResponse(scope, databaseFailure(committed.error));
  return emptyResponse(scope, 204);
}

/** POST /resource_providers (uuid and name given). */
export function* createProviderTask(scope: RequestScope): Steps<HttpResponse> {
  const extracted = extractJson(scope.request, atLeast(scope, 1, 14) ? schemas.POST_RESOURCE_PROVIDER_1_14 : schemas.POST_RESOURCE_PROVIDER);
  if (extracted.kind === 'error') return errorResponse(scope, extracted.error);
  const data = isObject(extracted.data) ? extracted.data : {};
  const name = typeof data['name'] === 'string' ? data['name'] : '';
  const uuidValue = data['uuid'];
  if (typeof uuidValue !== 'string') return errorResponse(scope, failure(501, 'the in-process target needs an explicit provider uuid'));
  const uuid = normalizeUuid(uuidValue);
  const transaction = scope.store.begin('POST resource provider');
  const insertedStep = change(scope, transaction, 'INSERT INTO resource_providers', [lockName('provider', uuid), lockName('provider-name', name)], (view, changes) => {
    if (view.provider(uuid) !== undefined) return `Conflicting resource provider uuid: ${uuid} already exists.`;
    if (view.providers().some((row) => row.name === name)) return `Conflicting resource provider name: ${name} already exists.`;
    changes.putProvider({ uuid, name, generation: 0, parentUuid: null, rootUuid: uuid });
    return null;
  });
  const inserted = outcomeOf(insertedStep, yield insertedStep);
  if (inserted.kind === 'failed') return yield* abort(scope, transaction, errorResponse(scope, databaseFailure(inserted.error)));
  if (inserted.value !== null) return yield* abort(scope, transaction, errorResponse(scope, failure(409, inserted.value, 'placement.duplicate_name')));
  const committing = commitStep(scope, transaction);
  const committed = commitOutcome(scope, committing, yield committing);
  if (committed.kind === 'failed') return errorResponse(scope, databaseFailure(committed.error));
  if (!atLeast(scope, 1, 20)) return emptyResponse(scope, 201);
  return bodyResponse(scope, providerBody(scope, uuid, name, 0));
}

/** A provider's bodies, by uuid, name, generation and whether the microversion shows the tree (see `BodiesByValues`). */
const providerBodies = new BodiesByValues();

export function providerBody(scope: RequestScope, uuid: string, name: string, generation: number): RenderedBody {
  const tree = atLeast(scope, 1, 14);
  providerBodies.begin();
  providerBodies.add(uuid);
  providerBodies.add(name);
  providerBodies.add(generation);
  providerBodies.add(tree);
  return providerBodies.found() ?? providerBodies.keep(providerDocument(uuid, name, generation, tree));
}

function providerDocument(uuid: string, name: string, generation: number, tree: boolean): PythonValue {
  const url = `/resource_providers/${uuid}`;
  const relations = ['inventories', 'usages', 'aggregates', 'traits', 'allocations'];
  const document: Record<string, PythonValue> = {
    uuid,
    name,
    generation,
    links: [{ rel: 'self', href: url }, ...relations.map((relation) => ({ rel: relation, href: `${url}/${relation}` }))],
  };
  if (tree) {
    document['parent_provider_uuid'] = null;
    document['root_provider_uuid'] = uuid;
  }
  return document;
}

const noProviderForDeleteMessages = new MessagesByKey((providerUuid) => `No resource provider with uuid ${providerUuid} found for delete`);
const providerInUseMessages = new MessagesByKey((providerUuid) => `Unable to delete resource provider ${providerUuid}: Resource provider has allocations.`);

/** DELETE /resource_providers/{uuid}: no generation check, allocations counted by a plain read. */
export function* deleteProviderTask(scope: RequestScope, providerUuid: string): Steps<HttpResponse> {
  const providerStep = readOnceStep(scope, 'SELECT resource provider', providerRow, providerUuid);
  const provider = readOnceOutcome(scope, providerStep, yield providerStep);
  if (provider.kind === 'failed') return errorResponse(scope, databaseFailure(provider.error));
  const notFound = failure(404, noProviderForDeleteMessages.of(providerUuid));
  if (provider.value === undefined) return errorResponse(scope, notFound);
  const transaction = scope.store.begin('DELETE resource provider');
  const inUseStep = select(scope, transaction, 'SELECT COUNT(*) FROM allocations WHERE resource_provider_id = ?', (view) => view.allocationsOnProvider(providerUuid).length);
  const inUse = outcomeOf(inUseStep, yield inUseStep);
  if (inUse.kind === 'failed') return yield* abort(scope, transaction, errorResponse(scope, databaseFailure(inUse.error)));
  if (inUse.value > 0) {
    return yield* abort(
      scope,
      transaction,
      errorResponse(scope, failure(409, providerInUseMessages.of(providerUuid), 'placement.resource_provider.inuse')),
    );
  }
  const deletedStep = change(scope, transaction, 'DELETE FROM inventories, resource_providers', lockOnly('provider', providerUuid), (view, changes) => {
    for (const row of view.inventoriesOf(providerUuid)) changes.removeInventory(providerUuid, row.resourceClass);
    if (view.provider(providerUuid) === undefined) return 0;
    changes.removeProvider(providerUuid);
    return 1;
  });
  const deleted = outcomeOf(deletedStep, yield deletedStep);
  if (deleted.kind === 'failed') return yield* abort(scope, transaction, errorResponse(scope, databaseFailure(deleted.error)));
  if (deleted.value === 0) return yield* abort(scope, transaction, errorResponse(scope, notFound));
  const committing = commitStep(scope, transaction);
  const committed = commitOutcome(scope, committing, yield committing);
  if (committed.kind === 'failed') return errorResponse(scope, databaseFailure(committed.error));
  return emptyResponse(scope, 204);
}
