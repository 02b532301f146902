/**
 * The allocation writes as they were written before the single-pass
 * rewrite in model/allocationWrites.ts: item lists, sets and maps, each
 * rule spelled out once. Kept as the oracle the fast version is
 * property-tested against (allocationWrites.test.ts), so that any
 * difference in outcome, message or resulting state shows.
 *
 * Allocation writes: PUT /allocations/{consumer}, POST /allocations and
 * DELETE /allocations/{consumer}, as one atomic step each.
 *
 * The checks run in the order Placement 8.0.0 runs them, because the first
 * failing check decides the status and message:
 *   1. consumer generations, consumer by consumer (from 1.28);
 *   2. every named provider exists (400);
 *   3. every resource class exists (400);
 *   4. every provider has inventory of at least one requested class (409);
 *   5. item by item: inventory present, min/max/step, capacity (409).
 * Capacity counts the usage of consumers outside the request plus a running
 * sum of the request's own amounts, so several consumers in one POST add up.
 */
import type { ConsumerWrite, Outcome } from '../commands.ts';
import { failed, ok } from '../commands.ts';
import { error, type PlacementError } from '../errors.ts';
import { pythonRepr } from '../pythonRepr.ts';
import { pythonSetOrder, resourceClassExists } from '../resourceClasses.ts';
import type { ClassMap } from '../classMap.ts';
import type { PersistentHashMap } from '../persistentHashMap.ts';
import { allocationCapacity, withTables, type AllocationRow, type Consumer, type Provider, type State } from '../state.ts';

/** One row the write will insert (or, with `used` 0, remove). */
interface WriteItem {
  readonly consumerUuid: string;
  readonly providerUuid: string;
  readonly resourceClass: string;
  readonly used: number;
}

export function referenceWriteAllocations(
  state: State,
  form: 'put' | 'post',
  consumers: readonly ConsumerWrite[],
  checkGenerations: boolean,
): Outcome {
  if (checkGenerations) {
    for (const write of consumers) {
      const conflict = generationConflict(state.consumers.get(write.uuid), write.generation);
      if (conflict !== null) return failed(conflict);
    }
  }
  const items: WriteItem[] = [];
  for (const write of consumers) {
    const missing = collectItems(state, write, items);
    if (missing !== null) return failed(missing);
  }
  const checked = checkItems(state, form, consumers, items);
  if (checked !== null) return failed(checked);
  return ok(applyItems(state, consumers, items));
}

function generationConflict(existing: Consumer | undefined, given: number | null): PlacementError | null {
  if (existing !== undefined) {
    if (existing.generation === given) return null;
    return error(
      409,
      `consumer generation conflict - expected ${existing.generation} but got ${pythonRepr(given)}`,
      'placement.concurrent_update',
    );
  }
  if (given === null) return null;
  return error(409, `consumer generation conflict - expected null but got ${given}`, 'placement.concurrent_update');
}

/** Appends the consumer's rows to `items`; returns a 400 for an unknown provider. */
function collectItems(state: State, write: ConsumerWrite, items: WriteItem[]): PlacementError | null {
  if (write.allocations.length === 0) {
    // Clearing: the consumer's current rows are written with used = 0.
    for (const row of state.consumers.get(write.uuid)?.allocations ?? []) {
      items.push({ consumerUuid: write.uuid, providerUuid: row.providerUuid, resourceClass: row.resourceClass, used: 0 });
    }
    return null;
  }
  for (const allocation of write.allocations) {
    if (!state.providers.has(allocation.providerUuid)) {
      return error(400, `Allocation for resource provider '${allocation.providerUuid}' that does not exist.`);
    }
  }
  for (const allocation of write.allocations) {
    for (const [resourceClass, used] of allocation.resources) {
      items.push({ consumerUuid: write.uuid, providerUuid: allocation.providerUuid, resourceClass, used });
    }
  }
  return null;
}

function checkItems(state: State, form: 'put' | 'post', consumers: readonly ConsumerWrite[], items: readonly WriteItem[]): PlacementError | null {
  for (const item of items) {
    if (!resourceClassExists(state, item.resourceClass)) {
      const reason = `No such resource class ${item.resourceClass}.`;
      const firstConsumer = consumers[0]?.uuid ?? '';
      return form === 'put'
        ? error(400, `Unable to allocate inventory for consumer ${firstConsumer}: ${reason}`)
        : error(400, `Unable to allocate inventory ${reason}`);
    }
  }
  const requestClasses = items.map((item) => item.resourceClass);
  const requestClassSet = new Set(requestClasses);
  const providersWithoutInventory: string[] = [];
  for (const providerUuid of new Set(items.map((item) => item.providerUuid))) {
    const provider = state.providers.get(providerUuid);
    const hasAny = provider !== undefined && [...requestClassSet].some((name) => provider.inventories.has(name));
    if (!hasAny) providersWithoutInventory.push(providerUuid);
  }
  if (providersWithoutInventory.length > 0) {
    return invalidInventory(pythonSetOrder(state, requestClasses).join(', '), providersWithoutInventory.join(', '));
  }
  const requestConsumers = new Set(consumers.map((write) => write.uuid));
  const runningSums = new Map<string, number>();
  for (const item of items) {
    const key = `${item.providerUuid} ${item.resourceClass}`;
    const runningSum = (runningSums.get(key) ?? 0) + item.used;
    runningSums.set(key, runningSum);
    if (item.used === 0) continue;
    const provider = state.providers.get(item.providerUuid);
    const inventory = provider?.inventories.get(item.resourceClass);
    if (provider === undefined || inventory === undefined) return invalidInventory(item.resourceClass, item.providerUuid);
    if (item.used < inventory.minUnit || item.used > inventory.maxUnit || item.used % inventory.stepSize !== 0) {
      return allocationRefused(item, 'violate inventory constraints');
    }
    const usedByOthers = usageOutside(state, provider, item.resourceClass, requestConsumers);
    const capacity = allocationCapacity(inventory);
    if (capacity < usedByOthers + item.used || capacity < usedByOthers + runningSum) {
      return allocationRefused(item, 'exceed the capacity');
    }
  }
  return null;
}

function invalidInventory(resourceClasses: string, providers: string): PlacementError {
  return error(409, `Unable to allocate inventory: Inventory for '${resourceClasses}' on resource provider '${providers}' invalid.`);
}

function allocationRefused(item: WriteItem, consequence: string): PlacementError {
  return error(
    409,
    `Unable to allocate inventory: Unable to create allocation for '${item.resourceClass}' on resource provider '${item.providerUuid}'. The requested amount would ${consequence}.`,
  );
}

/** Usage of a class on a provider by consumers that are not being rewritten. */
function usageOutside(state: State, provider: Provider, resourceClass: string, rewritten: ReadonlySet<string>): number {
  let usage = provider.usages.get(resourceClass) ?? 0;
  for (const consumerUuid of rewritten) {
    for (const row of state.consumers.get(consumerUuid)?.allocations ?? []) {
      if (row.providerUuid === provider.uuid && row.resourceClass === resourceClass) usage -= row.used;
    }
  }
  return usage;
}

function applyItems(state: State, consumers: readonly ConsumerWrite[], items: readonly WriteItem[]): State {
  const usageChanges = new Map<string, Map<string, number>>();
  const addUsage = (providerUuid: string, resourceClass: string, delta: number): void => {
    let perClass = usageChanges.get(providerUuid);
    if (perClass === undefined) {
      perClass = new Map();
      usageChanges.set(providerUuid, perClass);
    }
    perClass.set(resourceClass, (perClass.get(resourceClass) ?? 0) + delta);
  };
  let consumerMap: PersistentHashMap<Consumer> = state.consumers;
  for (const write of consumers) {
    const existing = state.consumers.get(write.uuid);
    const rows: AllocationRow[] = [];
    for (const item of items) {
      if (item.consumerUuid === write.uuid && item.used > 0) {
        rows.push({ providerUuid: item.providerUuid, resourceClass: item.resourceClass, used: item.used });
      }
    }
    const touched = existing !== undefined || rows.length > 0;
    if (!touched) continue;
    for (const row of existing?.allocations ?? []) addUsage(row.providerUuid, row.resourceClass, -row.used);
    for (const row of rows) addUsage(row.providerUuid, row.resourceClass, row.used);
    if (rows.length === 0) {
      consumerMap = consumerMap.delete(write.uuid);
      continue;
    }
    consumerMap = consumerMap.set(write.uuid, {
      uuid: write.uuid,
      projectId: write.projectId,
      userId: write.userId,
      consumerType: write.consumerType ?? existing?.consumerType ?? null,
      generation: (existing?.generation ?? 0) + 1,
      allocations: rows,
    });
  }
  const providers = new Map<string, Provider>();
  for (const providerUuid of new Set(items.map((item) => item.providerUuid))) {
    const provider = state.providers.get(providerUuid);
    if (provider === undefined) continue;
    providers.set(providerUuid, {
      ...provider,
      generation: provider.generation + 1,
      usages: applyUsageDelta(provider.usages, usageChanges.get(providerUuid)),
    });
  }
  // A provider that only lost rows (a consumer moved away) keeps its generation.
  for (const [providerUuid, delta] of usageChanges) {
    if (items.some((item) => item.providerUuid === providerUuid)) continue;
    const provider = state.providers.get(providerUuid);
    if (provider !== undefined) providers.set(providerUuid, { ...provider, usages: applyUsageDelta(provider.usages, delta) });
  }
  return withTables(state, state.providers.withAll(providers.values()), consumerMap);
}

function applyUsageDelta(usages: ClassMap<number>, delta: ReadonlyMap<string, number> | undefined): ClassMap<number> {
  if (delta === undefined || delta.size === 0) return usages;
  let next = usages;
  for (const [resourceClass, change] of delta) {
    const value = (next.get(resourceClass) ?? 0) + change;
    next = value === 0 ? next.without(resourceClass) : next.with(resourceClass, value);
  }
  return next;
}

/**
 * DELETE /allocations/{consumer}: removes every row and the consumer. No
 * generation changes, no generation check; 404 when there is nothing to
 * delete. The path string is matched exactly (no normalisation).
 */
export function referenceDeleteAllocations(state: State, consumerUuid: string): Outcome {
  const consumer = state.consumers.get(consumerUuid);
  if (consumer === undefined) return failed(error(404, `No allocations for consumer '${consumerUuid}'`));
  const providers = new Map<string, Provider>();
  const perProvider = new Map<string, Map<string, number>>();
  for (const row of consumer.allocations) {
    const delta = perProvider.get(row.providerUuid) ?? new Map<string, number>();
    delta.set(row.resourceClass, (delta.get(row.resourceClass) ?? 0) - row.used);
    perProvider.set(row.providerUuid, delta);
  }
  for (const [providerUuid, delta] of perProvider) {
    const provider = state.providers.get(providerUuid);
    if (provider !== undefined) providers.set(providerUuid, { ...provider, usages: applyUsageDelta(provider.usages, delta) });
  }
  return ok(withTables(state, state.providers.withAll(providers.values()), state.consumers.delete(consumerUuid)));
}
