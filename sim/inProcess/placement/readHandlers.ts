/**
 * The GET endpoints the simulation reads, each one read transaction with
 * the joins of the real queries: consumer allocations use an inner join on
 * consumers (rows without a consumer are invisible), usages sum every row.
 */
import type { HttpResponse } from '../../../model/index.ts';
import { PythonFloat, type PythonValue } from '../../../model/pythonRepr.ts';
import type { Step, StatementOutcome } from '../step.ts';
import { providerDocument } from './inventoryHandlers.ts';
import { atLeast, databaseFailure, errorResponse, failure, jsonResponse, MessagesByKey, noProviderMessages, providerRow, readOnceOutcome, readOnceStep, type RequestScope } from './scope.ts';

type Steps<T> = Generator<Step<unknown>, T, StatementOutcome<unknown>>;
type Document = Record<string, PythonValue>;

export function* showConsumerAllocationsTask(scope: RequestScope, consumerUuid: string): Steps<HttpResponse> {
  const readStep = readOnceStep(scope, 'SELECT allocations JOIN consumers, resource_providers', (view): Document => {
    const consumer = view.consumer(consumerUuid);
    const allocations: Record<string, Document> = {};
    const body: Document = { allocations };
    if (consumer === undefined) return body;
    const rows = view.allocationsOfConsumer(consumerUuid);
    for (const row of rows) {
      const provider = view.provider(row.providerUuid);
      if (provider === undefined) continue;
      const entry: Document = allocations[row.providerUuid] ?? { resources: {} };
      (entry['resources'] as Document)[row.resourceClass] = row.used;
      entry['generation'] = provider.generation;
      allocations[row.providerUuid] = entry;
    }
    if (Object.keys(allocations).length > 0 && atLeast(scope, 1, 12)) {
      body['project_id'] = consumer.projectId;
      body['user_id'] = consumer.userId;
      if (atLeast(scope, 1, 28)) body['consumer_generation'] = consumer.generation;
      if (atLeast(scope, 1, 38)) body['consumer_type'] = consumer.consumerType ?? 'unknown';
    }
    return body;
  }, undefined);
  const read = readOnceOutcome(scope, readStep, yield readStep);
  if (read.kind === 'failed') return errorResponse(scope, databaseFailure(read.error));
  return jsonResponse(scope, read.value);
}

// Not-found messages per provider, built once (see `MessagesByKey`).
const usagesNotFoundMessages = new MessagesByKey((providerUuid) => `No resource provider with uuid ${providerUuid} found: No resource provider with uuid ${providerUuid} found`);
const inventoriesNotFoundMessages = new MessagesByKey((providerUuid) => `No resource provider with uuid ${providerUuid} found : No resource provider with uuid ${providerUuid} found`);
const allocationsNotFoundMessages = new MessagesByKey((providerUuid) => `Resource provider '${providerUuid}' not found: No resource provider with uuid ${providerUuid} found`);

export function* showProviderUsagesTask(scope: RequestScope, providerUuid: string): Steps<HttpResponse> {
  const readStep = readOnceStep(scope, 'SELECT inventories LEFT JOIN allocations (usages)', (view): Document | null => {
    const provider = view.provider(providerUuid);
    if (provider === undefined) return null;
    const usages: Document = {};
    for (const inventory of view.inventoriesOf(providerUuid)) usages[inventory.resourceClass] = view.usageOn(providerUuid, inventory.resourceClass);
    return { resource_provider_generation: provider.generation, usages };
  }, undefined);
  const read = readOnceOutcome(scope, readStep, yield readStep);
  if (read.kind === 'failed') return errorResponse(scope, databaseFailure(read.error));
  if (read.value === null) {
    return errorResponse(scope, failure(404, usagesNotFoundMessages.of(providerUuid)));
  }
  return jsonResponse(scope, read.value);
}

export function* showInventoriesTask(scope: RequestScope, providerUuid: string): Steps<HttpResponse> {
  const readStep = readOnceStep(scope, 'SELECT inventories', (view): Document | null => {
    const provider = view.provider(providerUuid);
    if (provider === undefined) return null;
    const inventories: Document = {};
    for (const row of view.inventoriesOf(providerUuid)) {
      inventories[row.resourceClass] = {
        total: row.total,
        reserved: row.reserved,
        min_unit: row.minUnit,
        max_unit: row.maxUnit,
        step_size: row.stepSize,
        allocation_ratio: new PythonFloat(row.allocationRatio),
      };
    }
    return { resource_provider_generation: provider.generation, inventories };
  }, undefined);
  const read = readOnceOutcome(scope, readStep, yield readStep);
  if (read.kind === 'failed') return errorResponse(scope, databaseFailure(read.error));
  if (read.value === null) {
    return errorResponse(scope, failure(404, inventoriesNotFoundMessages.of(providerUuid)));
  }
  return jsonResponse(scope, read.value);
}

export function* showProviderAllocationsTask(scope: RequestScope, providerUuid: string): Steps<HttpResponse> {
  const readStep = readOnceStep(scope, 'SELECT allocations JOIN consumers WHERE resource_provider_id = ?', (view): Document | null => {
    const provider = view.provider(providerUuid);
    if (provider === undefined) return null;
    const allocations: Record<string, Document> = {};
    for (const row of view.allocationsOnProvider(providerUuid)) {
      const consumer = view.consumer(row.consumerUuid);
      if (consumer === undefined) continue;
      const entry: Document = allocations[row.consumerUuid] ?? { resources: {} };
      (entry['resources'] as Document)[row.resourceClass] = row.used;
      if (atLeast(scope, 1, 28)) entry['consumer_generation'] = consumer.generation;
      allocations[row.consumerUuid] = entry;
    }
    return { allocations, resource_provider_generation: provider.generation };
  }, undefined);
  const read = readOnceOutcome(scope, readStep, yield readStep);
  if (read.kind === 'failed') return errorResponse(scope, databaseFailure(read.error));
  if (read.value === null) {
    return errorResponse(scope, failure(404, allocationsNotFoundMessages.of(providerUuid)));
  }
  return jsonResponse(scope, read.value);
}

export function* showProviderTask(scope: RequestScope, providerUuid: string): Steps<HttpResponse> {
  const readStep = readOnceStep(scope, 'SELECT resource provider', providerRow, providerUuid);
  const read = readOnceOutcome(scope, readStep, yield readStep);
  if (read.kind === 'failed') return errorResponse(scope, databaseFailure(read.error));
  if (read.value === undefined) return errorResponse(scope, failure(404, noProviderMessages.of(providerUuid)));
  return jsonResponse(scope, providerDocument(scope, read.value.uuid, read.value.name, read.value.generation));
}
