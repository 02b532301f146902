/**
 * The rows of the simulated Placement database, mirroring the tables that
 * Placement's allocation and inventory code touches. Unlike the model's
 * state, these rows can express what a buggy or racing implementation
 * leaves behind: allocations whose consumer row is gone, consumers with no
 * allocations.
 */
import type { Inventory } from '../../model/index.ts';

export interface ProviderRow {
  readonly uuid: string;
  readonly name: string;
  readonly generation: number;
  readonly parentUuid: string | null;
  readonly rootUuid: string;
}

export interface InventoryRow extends Inventory {
  readonly providerUuid: string;
  readonly resourceClass: string;
}

export interface AllocationRow {
  readonly id: number;
  readonly providerUuid: string;
  readonly consumerUuid: string;
  readonly resourceClass: string;
  readonly used: number;
}

export interface ConsumerRow {
  readonly uuid: string;
  readonly projectId: string;
  readonly userId: string;
  readonly consumerType: string | null;
  readonly generation: number;
}

/** One committed version of the database. Never modified once built. */
export interface Tables {
  readonly providers: ReadonlyMap<string, ProviderRow>;
  readonly inventories: ReadonlyMap<string, InventoryRow>;
  readonly allocations: ReadonlyMap<number, AllocationRow>;
  readonly consumers: ReadonlyMap<string, ConsumerRow>;
  /** Custom resource classes; the standard ones always exist. */
  readonly customResourceClasses: readonly string[];
  readonly nextAllocationId: number;
}

// Rows changed in one field, written out field by field in the rows' order
// rather than spread: a spread copies the row's shape and then changes it,
// on every generation bump.

export function providerAtGeneration(row: ProviderRow, generation: number): ProviderRow {
  return { uuid: row.uuid, name: row.name, generation, parentUuid: row.parentUuid, rootUuid: row.rootUuid };
}

export function consumerAtGeneration(row: ConsumerRow, generation: number): ConsumerRow {
  return { uuid: row.uuid, projectId: row.projectId, userId: row.userId, consumerType: row.consumerType, generation };
}

export type TableName = 'providers' | 'inventories' | 'allocations' | 'consumers';

export function emptyTables(): Tables {
  return {
    providers: new Map(),
    inventories: new Map(),
    allocations: new Map(),
    consumers: new Map(),
    customResourceClasses: [],
    nextAllocationId: 1,
  };
}

/**
 * Inventory keys per provider and class, built once: statements look
 * inventories up by key many times a request, and a key built afresh is
 * hashed afresh, while a kept one (like the uuids and class names it is made
 * from) keeps its hash. A memo of a pure function, bounded by wiping.
 */
const inventoryKeys = new Map<string, Map<string, string>>();
const INVENTORY_KEY_PROVIDERS_MAX = 4_096;
const INVENTORY_KEY_CLASSES_MAX = 256;

export function inventoryKey(providerUuid: string, resourceClass: string): string {
  let byClass = inventoryKeys.get(providerUuid);
  if (byClass === undefined) {
    if (inventoryKeys.size >= INVENTORY_KEY_PROVIDERS_MAX) inventoryKeys.clear();
    byClass = new Map();
    inventoryKeys.set(providerUuid, byClass);
  }
  let key = byClass.get(resourceClass);
  if (key === undefined) {
    key = `${providerUuid} ${resourceClass}`;
    if (byClass.size >= INVENTORY_KEY_CLASSES_MAX) byClass.clear();
    byClass.set(resourceClass, key);
  }
  return key;
}
