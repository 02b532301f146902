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
import { mapKey, type HashedKey } from './persistentHashMap.ts';
import type { ProviderTable } from './providerTable.ts';
import { pythonRepr } from './pythonRepr.ts';
import { pythonSetOrder, resourceClassExists } from './resourceClasses.ts';
import { withTables, type AllocationRow, type Consumer, type Inventory, type Provider, type State } from './state.ts';

/**
 * The items a write names, in request order (consumer, provider, class),
 * as parallel arrays: item `i` puts `amounts[i]` of `classes[i]` (0: a row
 * the write removes) on the provider `providerUuids[i]`, at position
 * `positions[i]` of the state's table (-1 when there is none). The items
 * of write `w` are `starts[w]` up to `starts[w + 1]`; `keys[w]` and
 * `existing[w]` are its consumer's map key and current record.
 *
 * One module-level instance serves every call: none of it escapes a call
 * and a write runs to completion before the next begins (nothing here
 * re-enters), so reusing the arrays saves allocating them per write. Only
 * the first `count` items and `consumers.length` writes are current; the
 * slots beyond hold leftovers of earlier writes and are never read.
 */
interface Items {
  readonly providerUuids: string[];
  readonly classes: string[];
  readonly amounts: number[];
  readonly positions: number[];
  readonly starts: number[];
  readonly keys: HashedKey[];
  readonly existing: (Consumer | undefined)[];
  count: number;
}

const ITEMS: Items = { providerUuids: [], classes: [], amounts: [], positions: [], starts: [], keys: [], existing: [], count: 0 };

export function writeAllocations(
  state: State,
  form: 'put' | 'post',
  consumers: readonly ConsumerWrite[],
  checkGenerations: boolean,
): Outcome {
  const items = ITEMS;
  const { keys, existing } = items;
  for (let index = 0; index < consumers.length; index += 1) {
    // Hashed once here for both the lookup and the update in applyItems.
    const key = mapKey(consumers[index]?.uuid ?? '');
    keys[index] = key;
    existing[index] = state.consumers.getByKey(key);
  }
  if (checkGenerations) {
    for (let index = 0; index < consumers.length; index += 1) {
      const conflict = generationConflict(existing[index], consumers[index]?.generation ?? null);
      if (conflict !== null) return failed(conflict);
    }
  }
  const missing = collectItems(state, consumers, items);
  if (missing !== null) return failed(missing);
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

/** Fills `items` write by write; returns a 400 for an unknown provider. */
function collectItems(state: State, consumers: readonly ConsumerWrite[], items: Items): PlacementError | null {
  const { providerUuids, classes, amounts, positions, starts, existing } = items;
  const table = state.providers;
  let next = 0;
  for (let index = 0; index < consumers.length; index += 1) {
    starts[index] = next;
    const write = consumers[index];
    if (write === undefined) continue;
    if (write.allocations.length === 0) {
      // Clearing: the consumer's current rows are written with used = 0.
      const held = existing[index]?.allocations ?? [];
      for (let row = 0; row < held.length; row += 1) {
        const { providerUuid, resourceClass } = held[row] as AllocationRow;
        providerUuids[next] = providerUuid;
        classes[next] = resourceClass;
        amounts[next] = 0;
        positions[next] = table.positionOf(providerUuid) ?? -1;
        next += 1;
      }
      continue;
    }
    const { allocations } = write;
    for (let allocation = 0; allocation < allocations.length; allocation += 1) {
      const requested = allocations[allocation] as (typeof allocations)[number];
      const position = table.positionOf(requested.providerUuid);
      const provider = position === undefined ? undefined : table.at(position);
      if (position === undefined || provider === undefined) {
        return error(400, `Allocation for resource provider '${requested.providerUuid}' that does not exist.`);
      }
      // Items keep the provider's own uuid string (equal to the request's): later
      // comparisons against it then succeed on identity, without comparing text.
      const providerUuid = provider.uuid;
      const { resources } = requested;
      // Indexed rather than destructured: destructuring each pair costs an iterator.
      for (let resource = 0; resource < resources.length; resource += 1) {
        const pair = resources[resource];
        if (pair === undefined) continue;
        providerUuids[next] = providerUuid;
        classes[next] = pair[0];
        amounts[next] = pair[1];
        positions[next] = position;
        next += 1;
      }
    }
  }
  starts[consumers.length] = next;
  items.count = next;
  return null;
}

/** Whether items `left` and `right` name the same provider (positions decide, except for providers that do not exist). */
function sameProvider(items: Items, left: number, right: number): boolean {
  const position = items.positions[left];
  return position === items.positions[right] && (position !== -1 || items.providerUuids[left] === items.providerUuids[right]);
}

/** Whether an item before `index` names the same provider. */
function providerSeenBefore(items: Items, index: number): boolean {
  for (let earlier = 0; earlier < index; earlier += 1) if (sameProvider(items, earlier, index)) return true;
  return false;
}

/** Whether an item before `index` names the same resource class. */
function classSeenBefore(classes: readonly string[], index: number): boolean {
  const resourceClass = classes[index];
  for (let earlier = 0; earlier < index; earlier += 1) if (classes[earlier] === resourceClass) return true;
  return false;
}

/**
 * Whether writes `left` and `right` are for the same consumer. Compares the
 * canonical copies of the uuids in `keys`, not the request's strings: those
 * come as any of the engine's string representations (parsed JSON keys,
 * concatenations, slices), and a comparison that meets a new one loses its
 * optimized code.
 */
function sameConsumer(keys: readonly HashedKey[], left: number, right: number): boolean {
  return left === right || keys[left]?.key === keys[right]?.key;
}

/** Whether a write before `index` is for the same consumer. */
function consumerSeenBefore(keys: readonly HashedKey[], index: number): boolean {
  for (let earlier = 0; earlier < index; earlier += 1) if (sameConsumer(keys, earlier, index)) return true;
  return false;
}

function checkItems(state: State, form: 'put' | 'post', consumers: readonly ConsumerWrite[], items: Items): PlacementError | null {
  const { classes, amounts, positions, providerUuids, count } = items;
  for (let index = 0; index < count; index += 1) {
    const resourceClass = classes[index] ?? '';
    // A class already checked needs no second lookup.
    if (classSeenBefore(classes, index) || resourceClassExists(state, resourceClass)) continue;
    const reason = `No such resource class ${resourceClass}.`;
    const firstConsumer = consumers[0]?.uuid ?? '';
    return form === 'put'
      ? error(400, `Unable to allocate inventory for consumer ${firstConsumer}: ${reason}`)
      : error(400, `Unable to allocate inventory ${reason}`);
  }
  let providersWithoutInventory: string[] | null = null;
  for (let index = 0; index < count; index += 1) {
    if (providerSeenBefore(items, index)) continue;
    const provider = state.providers.at(positions[index] ?? -1);
    if (provider === undefined || !hasInventoryOfAny(provider, classes, count)) {
      providersWithoutInventory ??= [];
      providersWithoutInventory.push(providerUuids[index] ?? '');
    }
  }
  if (providersWithoutInventory !== null) {
    return invalidInventory(pythonSetOrder(state, classes.slice(0, count)).join(', '), providersWithoutInventory.join(', '));
  }
  for (let index = 0; index < count; index += 1) {
    const used = amounts[index] ?? 0;
    if (used === 0) continue;
    const resourceClass = classes[index] ?? '';
    const providerUuid = providerUuids[index] ?? '';
    const provider = state.providers.at(positions[index] ?? -1);
    const inventory = provider?.inventories.get(resourceClass);
    if (provider === undefined || inventory === undefined) return invalidInventory(resourceClass, providerUuid);
    if (used < inventory.minUnit || used > inventory.maxUnit || offStep(used, inventory.stepSize)) {
      return allocationRefused(resourceClass, providerUuid, 'violate inventory constraints');
    }
    const usedByOthers = usageOutside(provider, resourceClass, consumers.length, items);
    const capacity = allocationCapacity(inventory);
    if (capacity < usedByOthers + used || capacity < usedByOthers + runningSum(items, index)) {
      return allocationRefused(resourceClass, providerUuid, 'exceed the capacity');
    }
  }
  return null;
}

/**
 * `used % stepSize !== 0`. A step of 1, the usual one, is tested without
 * the division: amounts can arrive as doubles, and a double remainder is a
 * call into the runtime, where an integer test is a few instructions.
 */
function offStep(used: number, stepSize: number): boolean {
  return stepSize === 1 ? !Number.isInteger(used) : used % stepSize !== 0;
}

/** Whether the provider has inventory of any of the first `count` classes. */
function hasInventoryOfAny(provider: Provider, classes: readonly string[], count: number): boolean {
  for (let index = 0; index < count; index += 1) if (provider.inventories.positionOf(classes[index] ?? '') >= 0) return true;
  return false;
}

/** The request's own amounts of the item's provider and class, up to and including the item, summed in request order. */
function runningSum(items: Items, index: number): number {
  const { classes, amounts } = items;
  const resourceClass = classes[index];
  let sum = 0;
  for (let earlier = 0; earlier <= index; earlier += 1) {
    if (classes[earlier] === resourceClass && sameProvider(items, earlier, index)) sum += amounts[earlier] ?? 0;
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

function allocationRefused(resourceClass: string, providerUuid: string, consequence: string): PlacementError {
  return error(
    409,
    `Unable to allocate inventory: Unable to create allocation for '${resourceClass}' on resource provider '${providerUuid}'. The requested amount would ${consequence}.`,
  );
}

/** Usage of a class on a provider by consumers that are not being rewritten (each rewritten consumer counted once). */
function usageOutside(provider: Provider, resourceClass: string, consumersCount: number, items: Items): number {
  const { keys, existing } = items;
  let usage = provider.usages.get(resourceClass) ?? 0;
  for (let index = 0; index < consumersCount; index += 1) {
    const held = existing[index];
    if (held === undefined || consumerSeenBefore(keys, index)) continue;
    for (const row of held.allocations) {
      if (row.providerUuid === provider.uuid && row.resourceClass === resourceClass) usage -= row.used;
    }
  }
  return usage;
}

/**
 * Changes to providers' usages: one entry per provider and class, in the
 * order they are first met (a class new to a provider is appended to its
 * usages in that order). Like `ITEMS`, one instance is reused by every
 * call: `reset` starts it afresh.
 */
class UsageChanges {
  private readonly providerUuids: string[] = [];
  private readonly classes: string[] = [];
  private readonly amounts: number[] = [];
  /** For a provider's first entry, its position in the state's table, or -1 until known. */
  private readonly positions: number[] = [];
  /** Whether the entry is its provider's first. */
  private readonly firsts: boolean[] = [];
  private count = 0;

  reset(): void {
    this.count = 0;
  }

  /** `position` is the provider's in the state's table, or -1 if the caller has not looked it up. */
  add(providerUuid: string, position: number, resourceClass: string, delta: number): void {
    let first = true;
    for (let entry = 0; entry < this.count; entry += 1) {
      if (this.providerUuids[entry] !== providerUuid) continue;
      if (first && this.positions[entry] === -1) this.positions[entry] = position;
      first = false;
      if (this.classes[entry] === resourceClass) {
        this.amounts[entry] = (this.amounts[entry] ?? 0) + delta;
        return;
      }
    }
    this.providerUuids[this.count] = providerUuid;
    this.classes[this.count] = resourceClass;
    this.amounts[this.count] = delta;
    this.positions[this.count] = first ? position : -1;
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

  /** For a provider's first entry, its position in the table if known, else -1. */
  positionAt(entry: number): number {
    return this.positions[entry] ?? -1;
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

const CHANGES = new UsageChanges();

/**
 * The providers' new records for `changes`, into `draft` (a copy of the
 * table's list, made here if `null`): each provider with changes that is
 * not in the draft already gets its new usages, its generation unchanged.
 */
function withUsageChanges(table: ProviderTable, changes: UsageChanges, draft: Provider[] | null): Provider[] | null {
  for (let entry = 0; entry < changes.size; entry += 1) {
    const providerUuid = changes.newProviderAt(entry);
    if (providerUuid === undefined) continue;
    const known = changes.positionAt(entry);
    const position = known >= 0 ? known : table.positionOf(providerUuid);
    const provider = position === undefined ? undefined : table.at(position);
    if (position === undefined || provider === undefined || (draft !== null && draft[position] !== provider)) continue;
    draft ??= table.draft();
    draft[position] = withUsages(provider, provider.generation, changes.applyTo(provider));
  }
  return draft;
}

function applyItems(state: State, consumers: readonly ConsumerWrite[], items: Items): State {
  const { providerUuids, classes, amounts, positions, starts, keys, existing, count } = items;
  const changes = CHANGES;
  changes.reset();
  let consumerMap = state.consumers;
  for (let index = 0; index < consumers.length; index += 1) {
    const write = consumers[index];
    const key = keys[index];
    if (write === undefined || key === undefined) continue;
    const held = existing[index];
    // The rows the consumer ends with: those of this write and of any other write for the same consumer.
    let owned = 0;
    for (let other = 0; other < consumers.length; other += 1) {
      if (!sameConsumer(keys, other, index)) continue;
      for (let item = starts[other] ?? 0; item < (starts[other + 1] ?? 0); item += 1) if ((amounts[item] ?? 0) > 0) owned += 1;
    }
    if (held === undefined && owned === 0) continue;
    if (held !== undefined) {
      for (const row of held.allocations) changes.add(row.providerUuid, -1, row.resourceClass, -row.used);
    }
    if (owned === 0) {
      consumerMap = consumerMap.deleteByKey(key);
      continue;
    }
    const allocations = new Array<AllocationRow>(owned);
    let next = 0;
    for (let other = 0; other < consumers.length; other += 1) {
      if (!sameConsumer(keys, other, index)) continue;
      for (let item = starts[other] ?? 0; item < (starts[other + 1] ?? 0); item += 1) {
        const used = amounts[item] ?? 0;
        if (used <= 0) continue;
        const providerUuid = providerUuids[item] ?? '';
        const resourceClass = classes[item] ?? '';
        allocations[next] = { providerUuid, resourceClass, used };
        changes.add(providerUuid, positions[item] ?? -1, resourceClass, used);
        next += 1;
      }
    }
    consumerMap = consumerMap.setByKey(key, {
      // The canonical copy, equal to the request's: later comparisons with it are pointer comparisons.
      uuid: key.key,
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
  for (let index = 0; index < count; index += 1) {
    const position = positions[index] ?? -1;
    const provider = table.at(position);
    if (provider === undefined || (draft !== null && draft[position] !== provider)) continue;
    draft ??= table.draft();
    draft[position] = withUsages(provider, provider.generation + 1, changes.applyTo(provider));
  }
  // A provider that only lost rows (a consumer moved away) keeps its generation.
  draft = withUsageChanges(table, changes, draft);
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
  const key = mapKey(consumerUuid);
  const consumer = state.consumers.getByKey(key);
  if (consumer === undefined) return failed(error(404, `No allocations for consumer '${consumerUuid}'`));
  const changes = CHANGES;
  changes.reset();
  for (const row of consumer.allocations) changes.add(row.providerUuid, -1, row.resourceClass, -row.used);
  const table = state.providers;
  const draft = withUsageChanges(table, changes, null);
  return ok(withTables(state, draft === null ? table : table.fromDraft(draft), state.consumers.deleteByKey(key)));
}
