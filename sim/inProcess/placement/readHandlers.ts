/**
 * The GET endpoints the simulation reads, each one read transaction with
 * the joins of the real queries: consumer allocations use an inner join on
 * consumers (rows without a consumer are invisible), usages sum every row.
 */
import type { HttpResponse } from '../../../model/index.ts';
import type { PythonValue } from '../../../model/pythonRepr.ts';
import type { RenderedBody } from '../../responseBody.ts';
import type { AllocationRow } from '../../store/tables.ts';
import type { Step, StatementOutcome } from '../step.ts';
import { BodiesByValues } from './bodiesByValues.ts';
import { addInventory, inventoriesBodies, inventoriesDocument, providerBody } from './inventoryHandlers.ts';
import { atLeast, bodyResponse, databaseFailure, errorResponse, failure, MessagesByKey, noProviderMessages, providerRow, readOnceOutcome, readOnceStep, type RequestScope } from './scope.ts';

type Steps<T> = Generator<Step<unknown>, T, StatementOutcome<unknown>>;
type Document = Record<string, PythonValue>;

/**
 * A consumer's allocations, by the microversion's choice of fields, the
 * consumer's fields (when it exists), then each row with a provider: the
 * provider, class, units and the provider's generation (see `BodiesByValues`).
 */
const consumerAllocationsBodies = new BodiesByValues();

export function* showConsumerAllocationsTask(scope: RequestScope, consumerUuid: string): Steps<HttpResponse> {
  const readStep = readOnceStep(scope, 'SELECT allocations JOIN consumers, resource_providers', (view): RenderedBody => {
    const fields = atLeast(scope, 1, 38) ? 3 : atLeast(scope, 1, 28) ? 2 : atLeast(scope, 1, 12) ? 1 : 0;
    const consumer = view.consumer(consumerUuid);
    const bodies = consumerAllocationsBodies;
    bodies.begin();
    bodies.add(fields);
    bodies.add(consumer !== undefined);
    const rows = consumer === undefined ? NO_ROWS : view.allocationsOfConsumer(consumerUuid);
    if (consumer !== undefined) {
      bodies.add(consumer.projectId);
      bodies.add(consumer.userId);
      bodies.add(consumer.generation);
      bodies.add(consumer.consumerType);
      for (const row of rows) {
        const provider = view.provider(row.providerUuid);
        if (provider === undefined) continue;
        bodies.add(row.providerUuid);
        bodies.add(row.resourceClass);
        bodies.add(row.used);
        bodies.add(provider.generation);
      }
    }
    const found = bodies.found();
    if (found !== null) return found;
    const allocations: Record<string, Document> = {};
    const body: Document = { allocations };
    if (consumer === undefined) return bodies.keep(body);
    for (const row of rows) {
      const provider = view.provider(row.providerUuid);
      if (provider === undefined) continue;
      const entry: Document = allocations[row.providerUuid] ?? { resources: {} };
      (entry['resources'] as Document)[row.resourceClass] = row.used;
      entry['generation'] = provider.generation;
      allocations[row.providerUuid] = entry;
    }
    if (Object.keys(allocations).length > 0 && fields >= 1) {
      body['project_id'] = consumer.projectId;
      body['user_id'] = consumer.userId;
      if (fields >= 2) body['consumer_generation'] = consumer.generation;
      if (fields >= 3) body['consumer_type'] = consumer.consumerType ?? 'unknown';
    }
    return bodies.keep(body);
  }, undefined);
  const read = readOnceOutcome(scope, readStep, yield readStep);
  if (read.kind === 'failed') return errorResponse(scope, databaseFailure(read.error));
  return bodyResponse(scope, read.value);
}

const NO_ROWS: readonly AllocationRow[] = [];

// Not-found messages per provider, built once (see `MessagesByKey`).
const usagesNotFoundMessages = new MessagesByKey((providerUuid) => `No resource provider with uuid ${providerUuid} found: No resource provider with uuid ${providerUuid} found`);
const inventoriesNotFoundMessages = new MessagesByKey((providerUuid) => `No resource provider with uuid ${providerUuid} found : No resource provider with uuid ${providerUuid} found`);
const allocationsNotFoundMessages = new MessagesByKey((providerUuid) => `Resource provider '${providerUuid}' not found: No resource provider with uuid ${providerUuid} found`);

export function* showProviderUsagesTask(scope: RequestScope, providerUuid: string): Steps<HttpResponse> {
  const readStep = readOnceStep(scope, 'SELECT inventories LEFT JOIN allocations (usages)', (view): RenderedBody | null => {
    const provider = view.provider(providerUuid);
    if (provider === undefined) return null;
    const inventories = view.inventoriesOf(providerUuid);
    usagesBodies.begin();
    usagesBodies.add(provider.generation);
    for (const inventory of inventories) {
      usagesBodies.add(inventory.resourceClass);
      usagesBodies.add(view.usageOn(providerUuid, inventory.resourceClass));
    }
    const found = usagesBodies.found();
    if (found !== null) return found;
    const usages: Document = {};
    for (const inventory of inventories) usages[inventory.resourceClass] = view.usageOn(providerUuid, inventory.resourceClass);
    return usagesBodies.keep({ resource_provider_generation: provider.generation, usages });
  }, undefined);
  const read = readOnceOutcome(scope, readStep, yield readStep);
  if (read.kind === 'failed') return errorResponse(scope, databaseFailure(read.error));
  if (read.value === null) {
    return errorResponse(scope, failure(404, usagesNotFoundMessages.of(providerUuid)));
  }
  return bodyResponse(scope, read.value);
}

/** A provider's usages, by its generation, then each class and its usage (see `BodiesByValues`). */
const usagesBodies = new BodiesByValues();

export function* showInventoriesTask(scope: RequestScope, providerUuid: string): Steps<HttpResponse> {
  const readStep = readOnceStep(scope, 'SELECT inventories', (view): RenderedBody | null => {
    const provider = view.provider(providerUuid);
    if (provider === undefined) return null;
    const rows = view.inventoriesOf(providerUuid);
    inventoriesBodies.begin();
    inventoriesBodies.add(provider.generation);
    for (const row of rows) addInventory(row.resourceClass, row);
    return inventoriesBodies.found() ?? inventoriesBodies.keep(inventoriesDocument(provider.generation, rows.map((row) => [row.resourceClass, row] as const)));
  }, undefined);
  const read = readOnceOutcome(scope, readStep, yield readStep);
  if (read.kind === 'failed') return errorResponse(scope, databaseFailure(read.error));
  if (read.value === null) {
    return errorResponse(scope, failure(404, inventoriesNotFoundMessages.of(providerUuid)));
  }
  return bodyResponse(scope, read.value);
}

export function* showProviderAllocationsTask(scope: RequestScope, providerUuid: string): Steps<HttpResponse> {
  const readStep = readOnceStep(scope, 'SELECT allocations JOIN consumers WHERE resource_provider_id = ?', (view): RenderedBody | null => {
    const provider = view.provider(providerUuid);
    if (provider === undefined) return null;
    const generations = atLeast(scope, 1, 28);
    const rows = view.allocationsOnProvider(providerUuid);
    const bodies = providerAllocationsBodies;
    bodies.begin();
    bodies.add(generations);
    bodies.add(provider.generation);
    for (const row of rows) {
      const consumer = view.consumer(row.consumerUuid);
      if (consumer === undefined) continue;
      bodies.add(row.consumerUuid);
      bodies.add(row.resourceClass);
      bodies.add(row.used);
      bodies.add(consumer.generation);
    }
    const found = bodies.found();
    if (found !== null) return found;
    const allocations: Record<string, Document> = {};
    for (const row of rows) {
      const consumer = view.consumer(row.consumerUuid);
      if (consumer === undefined) continue;
      const entry: Document = allocations[row.consumerUuid] ?? { resources: {} };
      (entry['resources'] as Document)[row.resourceClass] = row.used;
      if (generations) entry['consumer_generation'] = consumer.generation;
      allocations[row.consumerUuid] = entry;
    }
    return bodies.keep({ allocations, resource_provider_generation: provider.generation });
  }, undefined);
  const read = readOnceOutcome(scope, readStep, yield readStep);
  if (read.kind === 'failed') return errorResponse(scope, databaseFailure(read.error));
  if (read.value === null) {
    return errorResponse(scope, failure(404, allocationsNotFoundMessages.of(providerUuid)));
  }
  return bodyResponse(scope, read.value);
}

/**
 * The allocations on a provider, by whether the microversion shows consumer
 * generations, the provider's generation, then each row with a consumer:
 * the consumer, class, units and the consumer's generation (see `BodiesByValues`).
 */
const providerAllocationsBodies = new BodiesByValues();

export function* showProviderTask(scope: RequestScope, providerUuid: string): Steps<HttpResponse> {
  const readStep = readOnceStep(scope, 'SELECT resource provider', providerRow, providerUuid);
  const read = readOnceOutcome(scope, readStep, yield readStep);
  if (read.kind === 'failed') return errorResponse(scope, databaseFailure(read.error));
  if (read.value === undefined) return errorResponse(scope, failure(404, noProviderMessages.of(providerUuid)));
  return bodyResponse(scope, providerBody(scope, read.value.uuid, read.value.name, read.value.generation));
}
