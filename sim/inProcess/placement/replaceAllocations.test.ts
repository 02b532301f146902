import { describe, expect, it } from 'vitest';
import { STANDARD_RESOURCE_CLASSES } from '../../../model/data/standardResourceClasses.ts';
import { Random } from '../../random.ts';
import { emptyTables, inventoryKey, type AllocationRow, type InventoryRow, type Tables } from '../../store/tables.ts';
import { NO_CHANGES, View } from '../../store/view.ts';
import { checkCapacity, type WriteFailure, type WriteItem } from './replaceAllocations.ts';

const STANDARD_CLASSES: ReadonlySet<string> = new Set(STANDARD_RESOURCE_CLASSES);
const PROVIDERS = ['p1', 'p2', 'p3'];
const CLASSES = ['VCPU', 'MEMORY_MB', 'DISK_GB', 'CUSTOM_GONE'];
const CONSUMERS = ['c1', 'c2', 'c3'];

/**
 * `_check_capacity_exceeded` written the direct way, with sets of distinct
 * providers and classes and a map of running sums: checkCapacity scans the
 * items instead, and must give the same answer.
 */
function checkCapacityDirectly(view: View, items: readonly WriteItem[]): WriteFailure | null {
  for (const item of items) {
    if (!view.resourceClassExists(item.resourceClass, STANDARD_CLASSES)) return { kind: 'notFound', message: `No such resource class ${item.resourceClass}.` };
  }
  const classes = [...new Set(items.map((item) => item.resourceClass))];
  const missing = [...new Set(items.map((item) => item.providerUuid))].filter(
    (providerUuid) => !classes.some((resourceClass) => view.inventory(providerUuid, resourceClass) !== undefined),
  );
  if (missing.length > 0) {
    return { kind: 'invalidInventory', message: `Inventory for '${classes.join(', ')}' on resource provider '${missing.join(', ')}' invalid.` };
  }
  const requestConsumers = new Set(items.map((item) => item.consumerUuid));
  const runningSums = new Map<string, number>();
  for (const item of items) {
    const key = `${item.providerUuid} ${item.resourceClass}`;
    const runningSum = (runningSums.get(key) ?? 0) + item.used;
    runningSums.set(key, runningSum);
    if (item.used === 0) continue;
    const inventory = view.inventory(item.providerUuid, item.resourceClass);
    if (inventory === undefined) {
      return { kind: 'invalidInventory', message: `Inventory for '${item.resourceClass}' on resource provider '${item.providerUuid}' invalid.` };
    }
    if (item.used < inventory.minUnit || item.used > inventory.maxUnit || item.used % inventory.stepSize !== 0) {
      return {
        kind: 'invalidInventory',
        message: `Unable to create allocation for '${item.resourceClass}' on resource provider '${item.providerUuid}'. The requested amount would violate inventory constraints.`,
      };
    }
    let usedByOthers = 0;
    for (const row of view.allocationsOnProvider(item.providerUuid)) {
      if (row.resourceClass === item.resourceClass && !requestConsumers.has(row.consumerUuid)) usedByOthers += row.used;
    }
    const capacity = (inventory.total - inventory.reserved) * inventory.allocationRatio;
    if (capacity < usedByOthers + item.used || capacity < usedByOthers + runningSum) {
      return {
        kind: 'invalidInventory',
        message: `Unable to create allocation for '${item.resourceClass}' on resource provider '${item.providerUuid}'. The requested amount would exceed the capacity.`,
      };
    }
  }
  return null;
}

function randomTables(random: Random): Tables {
  const inventories = new Map<string, InventoryRow>();
  for (const providerUuid of PROVIDERS) {
    for (const resourceClass of CLASSES.slice(0, 3)) {
      if (random.chance(0.4)) continue;
      inventories.set(inventoryKey(providerUuid, resourceClass), {
        providerUuid,
        resourceClass,
        total: random.integer(0, 12),
        reserved: random.integer(0, 2),
        minUnit: random.integer(1, 2),
        maxUnit: random.integer(2, 12),
        stepSize: random.integer(1, 2),
        allocationRatio: random.pick([1, 1.5, 0.7]),
      });
    }
  }
  const allocations = new Map<number, AllocationRow>();
  for (let id = 1; id <= random.integer(0, 8); id += 1) {
    allocations.set(id, { id, providerUuid: random.pick(PROVIDERS), consumerUuid: random.pick(CONSUMERS), resourceClass: random.pick(CLASSES), used: random.integer(1, 4) });
  }
  return { ...emptyTables(), inventories, allocations };
}

function randomItems(random: Random): WriteItem[] {
  return Array.from({ length: random.integer(1, 6) }, () => ({
    consumerUuid: random.pick(CONSUMERS),
    providerUuid: random.pick(PROVIDERS),
    resourceClass: random.pick(CLASSES),
    used: random.pick([0, 0.1, 0.2, 1, 2, 3, 5, 8]),
  }));
}

describe('checkCapacity', () => {
  it('answers as the direct formulation does', () => {
    const random = new Random('checkCapacity');
    const answers = new Set<string>();
    for (let round = 0; round < 5_000; round += 1) {
      const view = new View(randomTables(random), NO_CHANGES);
      const items = randomItems(random);
      const expected = checkCapacityDirectly(view, items);
      expect(checkCapacity(view, items)).toEqual(expected);
      answers.add(expected === null ? 'ok' : expected.kind === 'http' ? 'http' : expected.message.replace(/'[^']*'/g, '?').replace(/class \S+/, 'class ?'));
    }
    // Every kind of answer came up, so the comparison covered each path.
    expect(answers.size).toBeGreaterThanOrEqual(5);
  });
});
