/**
 * /resource_providers/{uuid}/inventories[/{resource_class}].
 */
import type { CapacityRule } from '../commands.ts';
import { error, providerNotFound } from '../errors.ts';
import { createInventory, deleteInventories, deleteInventory, setInventories, updateInventory } from '../inventoryCommands.ts';
import { isObject } from '../jsonSchema.ts';
import { PythonFloat, pythonNumber, type PythonValue } from '../pythonRepr.ts';
import * as schemas from '../schemas.ts';
import type { Inventory, Provider, State } from '../state.ts';
import { atLeast, extractJson, fail, parameter, type ApiContext, type Handler, type Reply, type RequestContext } from './context.ts';
import { fromOutcome } from './outcome.ts';
import { emptyReply, jsonReply } from './respond.ts';

/** Request values with Placement's defaults filled in (INVENTORY_DEFAULTS). */
export function inventoryFrom(data: { readonly [key: string]: PythonValue }): Inventory {
  return {
    total: numberOr(data, 'total', 0),
    reserved: numberOr(data, 'reserved', 0),
    minUnit: numberOr(data, 'min_unit', 1),
    maxUnit: numberOr(data, 'max_unit', schemas.MAX_INT),
    stepSize: numberOr(data, 'step_size', 1),
    allocationRatio: numberOr(data, 'allocation_ratio', 1.0),
  };
}

/** A module function, not a closure per call: tsx names every closure it creates, at a cost per call. */
function numberOr(data: { readonly [key: string]: PythonValue }, key: string, fallback: number): number {
  return pythonNumber(data[key]) ?? fallback;
}

type JsonObject = { readonly [key: string]: PythonValue };

/**
 * A write's response serialises the inventory object built from the
 * request, so an integer `allocation_ratio` stays an integer there; reads
 * go through the database's float column and always show a float.
 */
function echoed(inventory: Inventory, request: JsonObject): Record<string, PythonValue> {
  const data = serializeInventory(inventory);
  const ratio = request['allocation_ratio'];
  if (typeof ratio === 'number') data['allocation_ratio'] = ratio;
  return data;
}

export function serializeInventory(inventory: Inventory): Record<string, PythonValue> {
  return {
    total: inventory.total,
    reserved: inventory.reserved,
    min_unit: inventory.minUnit,
    max_unit: inventory.maxUnit,
    step_size: inventory.stepSize,
    allocation_ratio: new PythonFloat(inventory.allocationRatio),
  };
}

function capacityRule(context: Pick<ApiContext, 'microversion'>): CapacityRule {
  return atLeast(context, 1, 26) ? 'nonNegative' : 'positive';
}

function inventoriesDocument(provider: Provider): PythonValue {
  const inventories: Record<string, PythonValue> = {};
  for (const [resourceClass, inventory] of provider.inventories) inventories[resourceClass] = serializeInventory(inventory);
  return { resource_provider_generation: provider.generation, inventories };
}

function singleDocument(provider: Provider, inventory: Inventory, request?: JsonObject): PythonValue {
  // Python omits the generation when it is 0 (`if generation:`).
  const data = request === undefined ? serializeInventory(inventory) : echoed(inventory, request);
  if (provider.generation !== 0) data['resource_provider_generation'] = provider.generation;
  return data;
}

function providerMissing(uuid: string): Reply {
  return fail(error(404, `No resource provider with uuid ${uuid} found : No resource provider with uuid ${uuid} found`));
}

export function listInventories(state: State, context: ApiContext): Reply {
  const uuid = parameter(context, 'uuid');
  const provider = state.providers.get(uuid);
  if (provider === undefined) return providerMissing(uuid);
  // Last-Modified is the newest inventory's time: an empty listing has none.
  return jsonReply(state, context, inventoriesDocument(provider), { lastModified: provider.inventories.size > 0 });
}

export function showInventory(state: State, context: ApiContext): Reply {
  const uuid = parameter(context, 'uuid');
  const resourceClass = parameter(context, 'resource_class');
  const provider = state.providers.get(uuid);
  if (provider === undefined) return providerMissing(uuid);
  const inventory = provider.inventories.get(resourceClass);
  if (inventory === undefined) return fail(error(404, `No inventory of class ${resourceClass} for ${uuid}`));
  return jsonReply(state, context, singleDocument(provider, inventory));
}

export function createInventoryEndpoint(state: State, context: ApiContext): Reply {
  const uuid = parameter(context, 'uuid');
  if (!state.providers.has(uuid)) return fail(providerNotFound(uuid));
  const extracted = extractJson(context, schemas.POST_INVENTORY);
  if (extracted.kind === 'error') return fail(extracted.error);
  const data = isObject(extracted.data) ? extracted.data : {};
  const resourceClass = typeof data['resource_class'] === 'string' ? data['resource_class'] : '';
  const inventory = inventoryFrom(data);
  return fromOutcome(createInventory(state, uuid, resourceClass, inventory, capacityRule(context)), (after) => {
    const provider = after.providers.get(uuid);
    const body = provider === undefined ? null : singleDocument(provider, inventory, data);
    return jsonReply(after, context, body, { status: 201, location: `/resource_providers/${uuid}/inventories/${resourceClass}` });
  });
}

export function setInventoriesEndpoint(state: State, context: ApiContext): Reply {
  return prepareSetInventories(context)(state, context);
}

/**
 * PUT's reading of the request (provider uuid, body, microversion), which
 * reads no state: done once per request, like `preparePutAllocations`, it
 * leaves the write to run in each state the request is answered in. The
 * refusals keep their order: an unknown provider before a bad body.
 */
export function prepareSetInventories(context: RequestContext): Handler {
  const uuid = parameter(context, 'uuid');
  const extracted = extractJson(context, schemas.PUT_INVENTORIES);
  if (extracted.kind === 'error') {
    const refused = fail(extracted.error);
    return (state) => (state.providers.has(uuid) ? refused : fail(providerNotFound(uuid)));
  }
  const data = isObject(extracted.data) ? extracted.data : {};
  const generation = pythonNumber(data['resource_provider_generation']) ?? Number.NaN;
  const inventoriesData = isObject(data['inventories'] ?? null) ? (data['inventories'] as { readonly [key: string]: PythonValue }) : {};
  const requested: (readonly [string, Inventory])[] = Object.entries(inventoriesData).map(([resourceClass, value]) => [
    resourceClass,
    inventoryFrom(isObject(value) ? value : {}),
  ]);
  // The response echoes the request: one document for every state it is answered in (documents are only read).
  const inventories: Record<string, PythonValue> = {};
  for (const [resourceClass, inventory] of requested) {
    const record = inventoriesData[resourceClass];
    inventories[resourceClass] = echoed(inventory, record !== undefined && isObject(record) ? record : {});
  }
  const rule = capacityRule(context);
  const options = { lastModified: requested.length > 0 };
  return (state, answered) => {
    if (!state.providers.has(uuid)) return fail(providerNotFound(uuid));
    const outcome = setInventories(state, uuid, generation, requested, rule);
    if (outcome.kind === 'error') return fail(outcome.error);
    const after = outcome.state;
    const provider = after.providers.get(uuid);
    return jsonReply(after, answered, { resource_provider_generation: provider?.generation ?? 0, inventories }, options);
  };
}

export function updateInventoryEndpoint(state: State, context: ApiContext): Reply {
  const uuid = parameter(context, 'uuid');
  const resourceClass = parameter(context, 'resource_class');
  if (!state.providers.has(uuid)) return fail(providerNotFound(uuid));
  const extracted = extractJson(context, schemas.BASE_INVENTORY);
  if (extracted.kind === 'error') return fail(extracted.error);
  const data = isObject(extracted.data) ? extracted.data : {};
  const generation = pythonNumber(data['resource_provider_generation']) ?? Number.NaN;
  const inventory = inventoryFrom(data);
  return fromOutcome(updateInventory(state, uuid, resourceClass, generation, inventory, capacityRule(context)), (after) => {
    const provider = after.providers.get(uuid);
    return jsonReply(after, context, provider === undefined ? null : singleDocument(provider, inventory, data));
  });
}

export function deleteInventoryEndpoint(state: State, context: ApiContext): Reply {
  const outcome = deleteInventory(state, parameter(context, 'uuid'), parameter(context, 'resource_class'));
  return fromOutcome(outcome, (after) => emptyReply(after, context, 204));
}

export function deleteInventoriesEndpoint(state: State, context: ApiContext): Reply {
  return fromOutcome(deleteInventories(state, parameter(context, 'uuid')), (after) => emptyReply(after, context, 204));
}
