/**
 * Inventory writes. Unlike allocations they are never retried server-side:
 * a stale generation is a 409 for the client to handle.
 */
import { ClassMap } from './classMap.ts';
import type { CapacityRule, Outcome } from './commands.ts';
import { failed, ok } from './commands.ts';
import { error, providerNotFound, resourceClassNotFound, type PlacementError } from './errors.ts';
import { resourceClassExists, resourceClassId } from './resourceClasses.ts';
import { inventoryCapacity, withProvider, type Inventory, type Provider, type State } from './state.ts';

function providerOr404(state: State, uuid: string): Provider | PlacementError {
  return state.providers.get(uuid) ?? providerNotFound(uuid);
}

function isError(value: Provider | PlacementError): value is PlacementError {
  return 'status' in value;
}

/** `_validate_inventory_capacity`: before 1.26 reserved must be below total. */
export function capacityProblem(rule: CapacityRule, providerUuid: string, resourceClass: string, inventory: Inventory): string | null {
  const capacity = inventoryCapacity(inventory);
  // A NaN or infinite ratio has no integer capacity: the real service's int()
  // raises and it answers 500 (finding non-finite-allocation-ratio-crashes);
  // the model refuses such an inventory like any other invalid capacity.
  if (!Number.isFinite(capacity)) {
    const comparison = rule === 'positive' ? 'greater than or equal to' : 'greater than';
    return `Invalid inventory for '${resourceClass}' on resource provider '${providerUuid}'. The reserved value is ${comparison} total.`;
  }
  if (rule === 'positive' && capacity <= 0) {
    return `Invalid inventory for '${resourceClass}' on resource provider '${providerUuid}'. The reserved value is greater than or equal to total.`;
  }
  if (rule === 'nonNegative' && capacity < 0) {
    return `Invalid inventory for '${resourceClass}' on resource provider '${providerUuid}'. The reserved value is greater than total.`;
  }
  return null;
}

function generationConflict(): PlacementError {
  return error(409, 'resource provider generation conflict', 'placement.concurrent_update');
}

/** Written out rather than spread: every provider object then has the same shape, and this is on the benchmark's path. */
function bumped(provider: Provider, inventories: ClassMap<Inventory>): Provider {
  return {
    uuid: provider.uuid,
    name: provider.name,
    generation: provider.generation + 1,
    parentUuid: provider.parentUuid,
    rootUuid: provider.rootUuid,
    inventories,
    usages: provider.usages,
    traits: provider.traits,
    aggregates: provider.aggregates,
  };
}

/** Classes of `names` that have allocations on the provider, in id order. */
function classesInUse(state: State, provider: Provider, names: Iterable<string>): string[] {
  const inUse = [...names].filter((name) => (provider.usages.get(name) ?? 0) > 0);
  return inUse.sort((left, right) => (resourceClassId(state, left) ?? 0) - (resourceClassId(state, right) ?? 0));
}

export function createInventory(state: State, providerUuid: string, resourceClass: string, inventory: Inventory, rule: CapacityRule): Outcome {
  const provider = providerOr404(state, providerUuid);
  if (isError(provider)) return failed(provider);
  const prefix = `Unable to create inventory for resource provider ${providerUuid}: `;
  const problem = capacityProblem(rule, providerUuid, resourceClass, inventory);
  if (problem !== null) return failed(error(400, prefix + problem));
  if (!resourceClassExists(state, resourceClass)) return failed(error(400, `${prefix}No such resource class ${resourceClass}.`));
  if (provider.inventories.has(resourceClass)) {
    // The real message is the database driver's text for a unique-key violation.
    return failed(
      error(409, `Update conflict: duplicate inventory of class ${resourceClass} on resource provider ${providerUuid}`, 'placement.concurrent_update'),
    );
  }
  return ok(withProvider(state, bumped(provider, provider.inventories.with(resourceClass, inventory))), true);
}

export function setInventories(
  state: State,
  providerUuid: string,
  generation: number,
  requested: readonly (readonly [string, Inventory])[],
  rule: CapacityRule,
): Outcome {
  const provider = providerOr404(state, providerUuid);
  if (isError(provider)) return failed(provider);
  if (generation !== provider.generation) return failed(generationConflict());
  for (const [resourceClass, inventory] of requested) {
    const problem = capacityProblem(rule, providerUuid, resourceClass, inventory);
    if (problem !== null) return failed(error(400, `Unable to update inventory for resource provider ${providerUuid}: ${problem}`));
  }
  for (const [resourceClass] of requested) {
    if (!resourceClassExists(state, resourceClass)) {
      return failed(
        error(400, `Unknown resource class in inventory for resource provider ${providerUuid}: No such resource class ${resourceClass}.`),
      );
    }
  }
  // Both lists are a handful of classes: scanned, not hashed into a set and a map per write.
  const current = provider.inventories.names;
  let removed: string[] | null = null;
  for (let index = 0; index < current.length; index += 1) {
    const resourceClass = current[index] as string;
    if (lastRequested(requested, resourceClass) === undefined) (removed ??= []).push(resourceClass);
  }
  const inUse = removed === null ? [] : classesInUse(state, provider, removed);
  if (inUse.length > 0) {
    return failed(
      error(409, `update conflict: Inventory for '${inUse.join(', ')}' on resource provider '${providerUuid}' in use.`, 'placement.inventory.inuse'),
    );
  }
  // Kept classes stay in place; new classes are added after them, in the order first requested. A class
  // requested twice gets its last value (as a map built from the list would hold).
  const names: string[] = [];
  const items: Inventory[] = [];
  for (let index = 0; index < current.length; index += 1) {
    const resourceClass = current[index] as string;
    const inventory = lastRequested(requested, resourceClass);
    if (inventory === undefined) continue;
    names.push(resourceClass);
    items.push(inventory);
  }
  for (let index = 0; index < requested.length; index += 1) {
    const [resourceClass] = requested[index] as readonly [string, Inventory];
    if (names.includes(resourceClass)) continue;
    names.push(resourceClass);
    items.push(lastRequested(requested, resourceClass) as Inventory);
  }
  return ok(withProvider(state, bumped(provider, ClassMap.ofDistinct(names, items))));
}

/** The last inventory requested for the class, or `undefined` if none is. */
function lastRequested(requested: readonly (readonly [string, Inventory])[], resourceClass: string): Inventory | undefined {
  for (let index = requested.length - 1; index >= 0; index -= 1) {
    const entry = requested[index] as readonly [string, Inventory];
    if (entry[0] === resourceClass) return entry[1];
  }
  return undefined;
}

export function updateInventory(
  state: State,
  providerUuid: string,
  resourceClass: string,
  generation: number,
  inventory: Inventory,
  rule: CapacityRule,
): Outcome {
  const provider = providerOr404(state, providerUuid);
  if (isError(provider)) return failed(provider);
  if (generation !== provider.generation) return failed(generationConflict());
  const problem = capacityProblem(rule, providerUuid, resourceClass, inventory);
  if (problem !== null) return failed(error(400, `Unable to update inventory for resource provider ${providerUuid}: ${problem}`));
  if (!resourceClassExists(state, resourceClass)) return failed(resourceClassNotFound(resourceClass));
  if (!provider.inventories.has(resourceClass)) {
    return failed(
      error(400, `No inventory record with resource class for resource provider ${providerUuid}: No inventory of class ${resourceClass} found.`),
    );
  }
  return ok(withProvider(state, bumped(provider, provider.inventories.with(resourceClass, inventory))));
}

export function deleteInventory(state: State, providerUuid: string, resourceClass: string): Outcome {
  const provider = providerOr404(state, providerUuid);
  if (isError(provider)) return failed(provider);
  if (!resourceClassExists(state, resourceClass)) return inventoryNotFound(resourceClass, `No such resource class ${resourceClass}.`);
  if (classesInUse(state, provider, [resourceClass]).length > 0) {
    return failed(
      error(
        409,
        `Unable to delete inventory of class ${resourceClass}: Inventory for '${resourceClass}' on resource provider '${providerUuid}' in use.`,
        'placement.concurrent_update',
      ),
    );
  }
  if (!provider.inventories.has(resourceClass)) return inventoryNotFound(resourceClass, `No inventory of class ${resourceClass} found for delete`);
  return ok(withProvider(state, bumped(provider, provider.inventories.without(resourceClass))));
}

/** A module-level function rather than a closure in `deleteInventory`: under tsx, naming a closure costs a call per creation. */
function inventoryNotFound(resourceClass: string, reason: string): Outcome {
  return failed(error(404, `No inventory of class ${resourceClass} found for delete: ${reason}`));
}

export function deleteInventories(state: State, providerUuid: string): Outcome {
  const provider = providerOr404(state, providerUuid);
  if (isError(provider)) return failed(provider);
  const inUse = classesInUse(state, provider, provider.inventories.keys());
  if (inUse.length > 0) {
    return failed(error(409, `Inventory for '${inUse.join(', ')}' on resource provider '${providerUuid}' in use.`, 'placement.inventory.inuse'));
  }
  return ok(withProvider(state, bumped(provider, ClassMap.empty())));
}
