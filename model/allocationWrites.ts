/**
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
 *
 * This is the model's hottest path, so it works on short arrays indexed by
 * item and looks each provider and consumer up once: no per-item keys, sets
 * or map copies. A request holds a few items, so the quadratic scans below
 * (an item's running sum, "has an earlier item the same provider") cost
 * less than hashing would. model/testing/referenceAllocationWrites.ts is
 * the same rules written plainly; a property test holds the two equal.
 */
import { ClassMap } from './classMap.ts';
import type { ConsumerWrite, Outcome } from './commands.ts';
import { failed, ok } from './commands.ts';
import { error, type PlacementError } from './errors.ts';
import { pythonRepr } from './pythonRepr.ts';
import { pythonSetOrder, resourceClassExists } from './resourceClasses.ts';
import { withTables, type AllocationRow, type Consumer, type Inventory, type Provider, type State } from './state.ts';

/**
 * The rows a write inserts, in request order (consumer, provider, class),
 * as parallel arrays: `rows[i]` (with `used` 0: a row the write removes)
 * belongs to the write `writes[i]` and sits on the provider at position
 * `positions[i]` of the state's table, -1 when there is none.
 */
interface Items {
  readonly rows: AllocationRow[];
  readonly writes: number[];
  readonly positions: number[];
}

export function writeAllocations(
  state: State,
  form: 'put' | 'post',
  consumers: readonly ConsumerWrite[],
  checkGenerations: boolean,
): Outcome {
  const existing: (Consumer | undefined)[] = [];
  for (const write of consumers) existing.push(state.consumers.get(write.uuid));
  if (checkGenerations) {
    for (let index = 0; index < consumers.length; index += 1) {
      const conflict = generationConflict(existing[index], consumers[index]?.generation ?? null);
      if (conflict !== null) return failed(conflict);
    }
  }
  const items: Items = { rows: [], writes: [], positions: [] };
  for (let index = 0; index < consumers.length; index += 1) {
    const missing = collectItems(state, consumers[index], index, existing[index], items);
    if (missing !== null) return failed(missing);
  }
  const checked = checkItems(state, form, consumers, existing, items);
  if (checked !== null) return failed(checked);
  return ok(applyItems(state, consumers, existing, items));
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

/** Appends the write's rows to `items`; returns a 400 for an unknown provider. */
function collectItems(state: State, write: ConsumerWrite | undefined, index: number, existing: Consumer | undefined, items: Items): PlacementError | null {
  if (write === undefined) return null;
  if (write.allocations.length === 0) {
    // Clearing: the consumer's current rows are written with used = 0.
    for (const row of existing?.allocations ?? []) {
      items.rows.push({ providerUuid: row.providerUuid, resourceClass: row.resourceClass, used: 0 });
      items.writes.push(index);
      items.positions.push(state.providers.positionOf(row.providerUuid) ?? -1);
    }
    return null;
  }
  for (const allocation of write.allocations) {
    const position = state.providers.positionOf(allocation.providerUuid);
    if (position === undefined) return error(400, `Allocation for resource provider '${allocation.providerUuid}' that does not exist.`);
    for (const [resourceClass, used] of allocation.resources) {
      items.rows.push({ providerUuid: allocation.providerUuid, resourceClass, used });
      items.writes.push(index);
      items.positions.push(position);
    }
  }
  return null;
}

/** Whether items `left` and `right` name the same provider (positions decide, except for providers that do not exist). */
function sameProvider(items: Items, left: number, right: number): boolean {
  const position = items.positions[left];
  return position === items.positions[right] && (position !== -1 || items.rows[left]?.providerUuid === items.rows[right]?.providerUuid);
}

/** Whether an item before `index` names the same provider. */
function providerSeenBefore(items: Items, index: number): boolean {
  for (let earlier = 0; earlier < index; earlier += 1) if (sameProvider(items, earlier, index)) return true;
  return false;
}

/** Whether a write before `index` is for the same consumer. */
function consumerSeenBefore(consumers: readonly ConsumerWrite[], index: number): boolean {
  const uuid = consumers[index]?.uuid;
  for (let earlier = 0; earlier < index; earlier += 1) if (consumers[earlier]?.uuid === uuid) return true;
  return false;
}

function checkItems(
  state: State,
  form: 'put' | 'post',
  consumers: readonly ConsumerWrite[],
  existing: readonly (Consumer | undefined)[],
  items: Items,
): PlacementError | null {
  const { rows } = items;
  for (const row of rows) {
    if (!resourceClassExists(state, row.resourceClass)) {
      const reason = `No such resource class ${row.resourceClass}.`;
      const firstConsumer = consumers[0]?.uuid ?? '';
      return form === 'put'
        ? error(400, `Unable to allocate inventory for consumer ${firstConsumer}: ${reason}`)
        : error(400, `Unable to allocate inventory ${reason}`);
    }
  }
  let providersWithoutInventory: string[] | null = null;
  for (let index = 0; index < rows.length; index += 1) {
    if (providerSeenBefore(items, index)) continue;
    const provider = state.providers.at(items.positions[index] ?? -1);
    if (provider === undefined || !hasInventoryOfAny(provider, rows)) {
      providersWithoutInventory ??= [];
      providersWithoutInventory.push(rows[index]?.providerUuid ?? '');
    }
  }
  if (providersWithoutInventory !== null) {
    const requestClasses = rows.map((row) => row.resourceClass);
    return invalidInventory(pythonSetOrder(state, requestClasses).join(', '), providersWithoutInventory.join(', '));
  }
  for (let index = 0; index < rows.length; index += 1) {
    const row = rows[index];
    if (row === undefined || row.used === 0) continue;
    const provider = state.providers.at(items.positions[index] ?? -1);
    const inventory = provider?.inventories.get(row.resourceClass);
    if (provider === undefined || inventory === undefined) return invalidInventory(row.resourceClass, row.providerUuid);
    if (row.used < inventory.minUnit || row.used > inventory.maxUnit || row.used % inventory.stepSize !== 0) {
      return allocationRefused(row, 'violate inventory constraints');
    }
    const usedByOthers = usageOutside(provider, row.resourceClass, consumers, existing);
    const capacity = allocationCapacity(inventory);
    if (capacity < usedByOthers + row.used || capacity < usedByOthers + runningSum(items, index)) {
      return allocationRefused(row, 'exceed the capacity');
    }
  }
  return null;
}

function hasInventoryOfAny(provider: Provider, rows: readonly AllocationRow[]): boolean {
  for (const row of rows) if (provider.inventories.has(row.resourceClass)) return true;
  return false;
}

/** The request's own amounts of the item's provider and class, up to and including the item, summed in request order. */
function runningSum(items: Items, index: number): number {
  const resourceClass = items.rows[index]?.resourceClass;
  let sum = 0;
  for (let earlier = 0; earlier <= index; earlier += 1) {
    const row = items.rows[earlier];
    if (row !== undefined && row.resourceClass === resourceClass && sameProvider(items, earlier, index)) sum += row.used;
  }
  return sum;
}

/** Capacity as allocation checks compute it: a float, not truncated (state.ts's `allocationCapacity`, inlined here). */
function allocationCapacity(inventory: Inventory): number {
  return (inventory.total - inventory.reserved) * inventory.allocationRatio;
}

function invalidInventory(resourceClasses: string, providers: string): PlacementError {
  return error(409, `Unable to allocate inventory: Inventory for '${resourceClasses}' on resource provider '${providers}' invalid.`);
}

function allocationRefused(row: AllocationRow, consequence: string): PlacementError {
  return error(
    409,
    `Unable to allocate inventory: Unable to create allocation for '${row.resourceClass}' on resource provider '${row.providerUuid}'. The requested amount would ${consequence}.`,
  );
}

/** Usage of a class on a provider by consumers that are not being rewritten (each rewritten consumer counted once). */
function usageOutside(provider: Provider, resourceClass: string, consumers: readonly ConsumerWrite[], existing: readonly (Consumer | undefined)[]): number {
  let usage = provider.usages.get(resourceClass) ?? 0;
  for (let index = 0; index < consumers.length; index += 1) {
    const held = existing[index];
    if (held === undefined || consumerSeenBefore(consumers, index)) continue;
    for (const row of held.allocations) {
      if (row.providerUuid === provider.uuid && row.resourceClass === resourceClass) usage -= row.used;
    }
  }
  return usage;
}

/**
 * Changes to providers' usages, per provider in the order providers are
 * first met, per class in the order classes are first met (a class new to
 * a provider is appended in that order).
 */
class UsageChanges {
  readonly providerUuids: string[] = [];
  readonly classes: string[][] = [];
  readonly amounts: number[][] = [];

  add(providerUuid: string, resourceClass: string, delta: number): void {
    let slot = this.providerUuids.indexOf(providerUuid);
    if (slot < 0) {
      slot = this.providerUuids.length;
      this.providerUuids.push(providerUuid);
      this.classes.push([]);
      this.amounts.push([]);
    }
    const classes = this.classes[slot] ?? [];
    const amounts = this.amounts[slot] ?? [];
    const position = classes.indexOf(resourceClass);
    if (position < 0) {
      classes.push(resourceClass);
      amounts.push(delta);
    } else {
      amounts[position] = (amounts[position] ?? 0) + delta;
    }
  }

  /** The provider's usages after its changes; the same map when it has none. */
  applyTo(provider: Provider): ClassMap<number> {
    const slot = this.providerUuids.indexOf(provider.uuid);
    const classes = this.classes[slot];
    const amounts = this.amounts[slot];
    if (classes === undefined || amounts === undefined || classes.length === 0) return provider.usages;
    const names = provider.usages.names.slice();
    const values = provider.usages.items.slice();
    for (let index = 0; index < classes.length; index += 1) {
      const resourceClass = classes[index] ?? '';
      const position = names.indexOf(resourceClass);
      const value = (position < 0 ? 0 : (values[position] ?? 0)) + (amounts[index] ?? 0);
      if (value !== 0) {
        if (position < 0) {
          names.push(resourceClass);
          values.push(value);
        } else {
          values[position] = value;
        }
      } else if (position >= 0) {
        names.splice(position, 1);
        values.splice(position, 1);
      }
    }
    return ClassMap.ofDistinct(names, values);
  }
}

function applyItems(state: State, consumers: readonly ConsumerWrite[], existing: readonly (Consumer | undefined)[], items: Items): State {
  const changes = new UsageChanges();
  let consumerMap = state.consumers;
  for (let index = 0; index < consumers.length; index += 1) {
    const write = consumers[index];
    if (write === undefined) continue;
    const held = existing[index];
    // A consumer named twice gets the rows of both writes.
    const rows: AllocationRow[] = [];
    for (let item = 0; item < items.rows.length; item += 1) {
      const row = items.rows[item];
      const owner = items.writes[item] ?? -1;
      if (row !== undefined && row.used > 0 && (owner === index || consumers[owner]?.uuid === write.uuid)) rows.push(row);
    }
    if (held === undefined && rows.length === 0) continue;
    for (const row of held?.allocations ?? []) changes.add(row.providerUuid, row.resourceClass, -row.used);
    for (const row of rows) changes.add(row.providerUuid, row.resourceClass, row.used);
    if (rows.length === 0) {
      consumerMap = consumerMap.delete(write.uuid);
      continue;
    }
    consumerMap = consumerMap.set(write.uuid, {
      uuid: write.uuid,
      projectId: write.projectId,
      userId: write.userId,
      consumerType: write.consumerType ?? held?.consumerType ?? null,
      generation: (held?.generation ?? 0) + 1,
      allocations: rows,
    });
  }
  const positions: number[] = [];
  const providers: Provider[] = [];
  // Every provider the request names gets a new generation.
  for (let index = 0; index < items.rows.length; index += 1) {
    const position = items.positions[index] ?? -1;
    const provider = state.providers.at(position);
    if (provider === undefined || positions.includes(position)) continue;
    positions.push(position);
    providers.push(withUsages(provider, provider.generation + 1, changes.applyTo(provider)));
  }
  // A provider that only lost rows (a consumer moved away) keeps its generation.
  for (const providerUuid of changes.providerUuids) {
    const position = state.providers.positionOf(providerUuid);
    const provider = position === undefined ? undefined : state.providers.at(position);
    if (position === undefined || provider === undefined || positions.includes(position)) continue;
    positions.push(position);
    providers.push(withUsages(provider, provider.generation, changes.applyTo(provider)));
  }
  return withTables(state, state.providers.replacing(positions, providers), consumerMap);
}

/** The provider with a generation and usages; written out so every provider object has the same shape. */
function withUsages(provider: Provider, generation: number, usages: ClassMap<number>): Provider {
  return {
    uuid: provider.uuid,
    name: provider.name,
    generation,
    parentUuid: provider.parentUuid,
    rootUuid: provider.rootUuid,
    inventories: provider.inventories,
    usages,
    traits: provider.traits,
    aggregates: provider.aggregates,
  };
}

/**
 * DELETE /allocations/{consumer}: removes every row and the consumer. No
 * generation changes, no generation check; 404 when there is nothing to
 * delete. The path string is matched exactly (no normalisation).
 */
export function deleteAllocations(state: State, consumerUuid: string): Outcome {
  const consumer = state.consumers.get(consumerUuid);
  if (consumer === undefined) return failed(error(404, `No allocations for consumer '${consumerUuid}'`));
  const changes = new UsageChanges();
  for (const row of consumer.allocations) changes.add(row.providerUuid, row.resourceClass, -row.used);
  const positions: number[] = [];
  const providers: Provider[] = [];
  for (const providerUuid of changes.providerUuids) {
    const position = state.providers.positionOf(providerUuid);
    const provider = position === undefined ? undefined : state.providers.at(position);
    if (position === undefined || provider === undefined) continue;
    positions.push(position);
    providers.push(withUsages(provider, provider.generation, changes.applyTo(provider)));
  }
  return ok(withTables(state, state.providers.replacing(positions, providers), state.consumers.delete(consumerUuid)));
}
