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
 * as parallel arrays sized up front: `rows[i]` (with `used` 0: a row the
 * write removes) sits on the provider at position `positions[i]` of the
 * state's table, -1 when there is none. The rows of write `w` are
 * `starts[w]` up to `starts[w + 1]`.
 */
interface Items {
  readonly rows: AllocationRow[];
  readonly positions: number[];
  readonly starts: number[];
}

export function writeAllocations(
  state: State,
  form: 'put' | 'post',
  consumers: readonly ConsumerWrite[],
  checkGenerations: boolean,
): Outcome {
  const existing = consumers.map((write) => state.consumers.get(write.uuid));
  if (checkGenerations) {
    for (let index = 0; index < consumers.length; index += 1) {
      const conflict = generationConflict(existing[index], consumers[index]?.generation ?? null);
      if (conflict !== null) return failed(conflict);
    }
  }
  const count = itemCount(consumers, existing);
  const items: Items = { rows: new Array<AllocationRow>(count), positions: new Array<number>(count), starts: new Array<number>(consumers.length + 1) };
  const missing = collectItems(state, consumers, existing, items);
  if (missing !== null) return failed(missing);
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

/** How many rows the writes name (a clearing write: as many as the consumer holds). */
function itemCount(consumers: readonly ConsumerWrite[], existing: readonly (Consumer | undefined)[]): number {
  let count = 0;
  for (let index = 0; index < consumers.length; index += 1) {
    const write = consumers[index];
    if (write === undefined) continue;
    if (write.allocations.length === 0) count += existing[index]?.allocations.length ?? 0;
    else for (const allocation of write.allocations) count += allocation.resources.length;
  }
  return count;
}

/** Fills `items` write by write; returns a 400 for an unknown provider. */
function collectItems(state: State, consumers: readonly ConsumerWrite[], existing: readonly (Consumer | undefined)[], items: Items): PlacementError | null {
  const { rows, positions, starts } = items;
  let next = 0;
  for (let index = 0; index < consumers.length; index += 1) {
    starts[index] = next;
    const write = consumers[index];
    if (write === undefined) continue;
    if (write.allocations.length === 0) {
      // Clearing: the consumer's current rows are written with used = 0.
      for (const row of existing[index]?.allocations ?? []) {
        rows[next] = { providerUuid: row.providerUuid, resourceClass: row.resourceClass, used: 0 };
        positions[next] = state.providers.positionOf(row.providerUuid) ?? -1;
        next += 1;
      }
      continue;
    }
    for (const allocation of write.allocations) {
      const position = state.providers.positionOf(allocation.providerUuid);
      const provider = position === undefined ? undefined : state.providers.at(position);
      if (position === undefined || provider === undefined) {
        return error(400, `Allocation for resource provider '${allocation.providerUuid}' that does not exist.`);
      }
      // Rows keep the provider's own uuid string (equal to the request's): later
      // comparisons against it then succeed on identity, without comparing text.
      const providerUuid = provider.uuid;
      const { resources } = allocation;
      // Indexed rather than destructured: destructuring each pair costs an iterator.
      for (let resource = 0; resource < resources.length; resource += 1) {
        const pair = resources[resource];
        if (pair === undefined) continue;
        rows[next] = { providerUuid, resourceClass: pair[0], used: pair[1] };
        positions[next] = position;
        next += 1;
      }
    }
  }
  starts[consumers.length] = next;
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

/** Whether an item before `index` names the same resource class. */
function classSeenBefore(rows: readonly AllocationRow[], index: number): boolean {
  const resourceClass = rows[index]?.resourceClass;
  for (let earlier = 0; earlier < index; earlier += 1) if (rows[earlier]?.resourceClass === resourceClass) return true;
  return false;
}

/** Whether writes `left` and `right` are for the same consumer. */
function sameConsumer(consumers: readonly ConsumerWrite[], left: number, right: number): boolean {
  return left === right || consumers[left]?.uuid === consumers[right]?.uuid;
}

/** Whether a write before `index` is for the same consumer. */
function consumerSeenBefore(consumers: readonly ConsumerWrite[], index: number): boolean {
  for (let earlier = 0; earlier < index; earlier += 1) if (sameConsumer(consumers, earlier, index)) return true;
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
  for (let index = 0; index < rows.length; index += 1) {
    const row = rows[index];
    // A class already checked needs no second lookup.
    if (row === undefined || classSeenBefore(rows, index) || resourceClassExists(state, row.resourceClass)) continue;
    const reason = `No such resource class ${row.resourceClass}.`;
    const firstConsumer = consumers[0]?.uuid ?? '';
    return form === 'put'
      ? error(400, `Unable to allocate inventory for consumer ${firstConsumer}: ${reason}`)
      : error(400, `Unable to allocate inventory ${reason}`);
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
  for (const row of rows) if (provider.inventories.positionOf(row.resourceClass) >= 0) return true;
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
 * Changes to providers' usages: one entry per provider and class, in the
 * order they are first met (a class new to a provider is appended to its
 * usages in that order). Sized up front for at most `capacity` entries.
 */
class UsageChanges {
  private readonly providerUuids: string[];
  private readonly classes: string[];
  private readonly amounts: number[];
  /** Whether the entry is its provider's first. */
  private readonly firsts: boolean[];
  private count = 0;

  constructor(capacity: number) {
    this.providerUuids = new Array<string>(capacity);
    this.classes = new Array<string>(capacity);
    this.amounts = new Array<number>(capacity);
    this.firsts = new Array<boolean>(capacity);
  }

  add(providerUuid: string, resourceClass: string, delta: number): void {
    let first = true;
    for (let entry = 0; entry < this.count; entry += 1) {
      if (this.providerUuids[entry] !== providerUuid) continue;
      first = false;
      if (this.classes[entry] === resourceClass) {
        this.amounts[entry] = (this.amounts[entry] ?? 0) + delta;
        return;
      }
    }
    this.providerUuids[this.count] = providerUuid;
    this.classes[this.count] = resourceClass;
    this.amounts[this.count] = delta;
    this.firsts[this.count] = first;
    this.count += 1;
  }

  get size(): number {
    return this.count;
  }

  /** The provider of entry `entry` if it is that provider's first entry (so each provider is met once). */
  newProviderAt(entry: number): string | undefined {
    return this.firsts[entry] === true ? this.providerUuids[entry] : undefined;
  }

  /** The provider's usages after its changes; the same map when it has none. */
  applyTo(provider: Provider): ClassMap<number> {
    const { usages } = provider;
    let names = usages.names;
    let values: number[] | null = null;
    let namesCopied = false;
    for (let entry = 0; entry < this.count; entry += 1) {
      if (this.providerUuids[entry] !== provider.uuid) continue;
      const resourceClass = this.classes[entry] ?? '';
      const current = values ?? usages.items;
      let position = -1;
      for (let index = 0; index < names.length; index += 1) {
        if (names[index] === resourceClass) {
          position = index;
          break;
        }
      }
      const value = (position < 0 ? 0 : (current[position] ?? 0)) + (this.amounts[entry] ?? 0);
      values ??= usages.items.slice();
      if (value !== 0 && position >= 0) {
        values[position] = value;
        continue;
      }
      if (value === 0 && position < 0) continue;
      // The set of classes changes: copy the names too (they are shared until then).
      if (!namesCopied) {
        names = names.slice();
        namesCopied = true;
      }
      const editable = names as string[];
      if (value !== 0) {
        editable.push(resourceClass);
        values.push(value);
      } else {
        editable.splice(position, 1);
        values.splice(position, 1);
      }
    }
    return values === null ? usages : ClassMap.ofDistinct(names, values);
  }
}

function applyItems(state: State, consumers: readonly ConsumerWrite[], existing: readonly (Consumer | undefined)[], items: Items): State {
  const { rows, positions, starts } = items;
  let capacity = rows.length * consumers.length;
  for (const held of existing) capacity += held?.allocations.length ?? 0;
  const changes = new UsageChanges(capacity);
  let consumerMap = state.consumers;
  for (let index = 0; index < consumers.length; index += 1) {
    const write = consumers[index];
    if (write === undefined) continue;
    const held = existing[index];
    // The rows the consumer ends with: those of this write and of any other write for the same consumer.
    let owned = 0;
    for (let other = 0; other < consumers.length; other += 1) {
      if (!sameConsumer(consumers, other, index)) continue;
      for (let item = starts[other] ?? 0; item < (starts[other + 1] ?? 0); item += 1) if ((rows[item]?.used ?? 0) > 0) owned += 1;
    }
    if (held === undefined && owned === 0) continue;
    const allocations = new Array<AllocationRow>(owned);
    let next = 0;
    for (let other = 0; other < consumers.length; other += 1) {
      if (!sameConsumer(consumers, other, index)) continue;
      for (let item = starts[other] ?? 0; item < (starts[other + 1] ?? 0); item += 1) {
        const row = rows[item];
        if (row !== undefined && row.used > 0) {
          allocations[next] = row;
          next += 1;
        }
      }
    }
    for (const row of held?.allocations ?? []) changes.add(row.providerUuid, row.resourceClass, -row.used);
    for (const row of allocations) changes.add(row.providerUuid, row.resourceClass, row.used);
    if (owned === 0) {
      consumerMap = consumerMap.delete(write.uuid);
      continue;
    }
    consumerMap = consumerMap.set(write.uuid, {
      uuid: write.uuid,
      projectId: write.projectId,
      userId: write.userId,
      consumerType: write.consumerType ?? held?.consumerType ?? null,
      generation: (held?.generation ?? 0) + 1,
      allocations,
    });
  }
  const table = state.providers;
  // A provider already replaced in the draft is no longer the table's.
  let draft: Provider[] | null = null;
  // Every provider the request names gets a new generation.
  for (let index = 0; index < rows.length; index += 1) {
    const position = positions[index] ?? -1;
    const provider = table.at(position);
    if (provider === undefined || (draft !== null && draft[position] !== provider)) continue;
    draft ??= table.draft();
    draft[position] = withUsages(provider, provider.generation + 1, changes.applyTo(provider));
  }
  // A provider that only lost rows (a consumer moved away) keeps its generation.
  for (let entry = 0; entry < changes.size; entry += 1) {
    const providerUuid = changes.newProviderAt(entry);
    const position = providerUuid === undefined ? undefined : table.positionOf(providerUuid);
    const provider = position === undefined ? undefined : table.at(position);
    if (position === undefined || provider === undefined || (draft !== null && draft[position] !== provider)) continue;
    draft ??= table.draft();
    draft[position] = withUsages(provider, provider.generation, changes.applyTo(provider));
  }
  return withTables(state, draft === null ? table : table.fromDraft(draft), consumerMap);
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
  const changes = new UsageChanges(consumer.allocations.length);
  for (const row of consumer.allocations) changes.add(row.providerUuid, row.resourceClass, -row.used);
  const table = state.providers;
  let draft: Provider[] | null = null;
  for (let entry = 0; entry < changes.size; entry += 1) {
    const providerUuid = changes.newProviderAt(entry);
    const position = providerUuid === undefined ? undefined : table.positionOf(providerUuid);
    const provider = position === undefined ? undefined : table.at(position);
    if (position === undefined || provider === undefined) continue;
    draft ??= table.draft();
    draft[position] = withUsages(provider, provider.generation, changes.applyTo(provider));
  }
  return ok(withTables(state, draft === null ? table : table.fromDraft(draft), state.consumers.delete(consumerUuid)));
}
