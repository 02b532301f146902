/**
 * A read-only view of the database as one statement sees it: a base version
 * with a transaction's own uncommitted changes laid over it.
 */
import { memoByIdentity } from '../memoByIdentity.ts';
import type { AllocationRow, ConsumerRow, InventoryRow, ProviderRow, Tables } from './tables.ts';
import { inventoryKey } from './tables.ts';

/**
 * A transaction's own changes; `null` marks a deleted row. A table the
 * transaction has not changed keeps `NO_CHANGES`'s empty map, which is never
 * written: the store gives the transaction a map of its own for a table at
 * the first change there, so a transaction pays only for the tables it
 * changes.
 */
export interface Overlay {
  providers: Map<string, ProviderRow | null>;
  inventories: Map<string, InventoryRow | null>;
  allocations: Map<number, AllocationRow | null>;
  consumers: Map<string, ConsumerRow | null>;
}

/**
 * The overlay of a transaction that has changed nothing yet. Shared by every
 * such transaction, so it must never be written: the store gives a
 * transaction an overlay of its own at its first change.
 */
export const NO_CHANGES: Readonly<Overlay> = { providers: new Map(), inventories: new Map(), allocations: new Map(), consumers: new Map() };

/** The overlay of a transaction at its first change: every table still unchanged. */
export function emptyOverlay(): Overlay {
  return { providers: NO_CHANGES.providers, inventories: NO_CHANGES.inventories, allocations: NO_CHANGES.allocations, consumers: NO_CHANGES.consumers };
}

function merged<K, V>(base: ReadonlyMap<K, V>, overlay: ReadonlyMap<K, V | null>): V[] {
  if (overlay.size === 0) return [...base.values()];
  const rows: V[] = [];
  for (const [key, row] of base) {
    if (overlay.has(key)) continue;
    rows.push(row);
  }
  for (const row of overlay.values()) if (row !== null) rows.push(row);
  return rows;
}

function lookup<K, V>(base: ReadonlyMap<K, V>, overlay: ReadonlyMap<K, V | null>, key: K): V | undefined {
  // Most statements run without changes of their own, and then one lookup does.
  if (overlay.size === 0) return base.get(key);
  const changed = overlay.get(key);
  if (changed !== undefined) return changed ?? undefined;
  return base.get(key);
}

/**
 * The committed allocation rows sorted by id, per committed version: a
 * version is never modified, and most statements read it without changes
 * of their own over it. The versions of about one run are kept (a run
 * commits a few dozen), held strongly (see memoByIdentity.ts for why not a
 * weak map).
 */
const VERSIONS_KEPT = 64;
const sortedAllocations: (rows: ReadonlyMap<number, AllocationRow>) => readonly AllocationRow[] = memoByIdentity((rows) => sortById([...rows.values()]), VERSIONS_KEPT);

function byId(left: AllocationRow, right: AllocationRow): number {
  return left.id - right.id;
}

/**
 * The rows sorted by id, in place. Ids are handed out in increasing order,
 * so the rows usually come already sorted (only transactions committing in
 * another order than they allocated ids mix them), and one scan that finds
 * them in order spares the sort its work array and its comparator calls.
 * Ids are unique, so this gives exactly what sorting would.
 */
export function sortById(rows: AllocationRow[]): AllocationRow[] {
  for (let index = 1; index < rows.length; index += 1) {
    if ((rows[index - 1] as AllocationRow).id > (rows[index] as AllocationRow).id) return rows.sort(byId);
  }
  return rows;
}

export class View {
  /** The merged, sorted list, built once for the rows as they are (see `overlayChanged`). */
  private allocationRows: readonly AllocationRow[] | null = null;

  constructor(
    readonly base: Tables,
    private readonly overlay: Overlay,
  ) {}

  /**
   * Its overlay has changed: a transaction keeps its view across its
   * statements (the overlay's maps are read afresh on every lookup), so only
   * what it built from the rows is forgotten.
   */
  overlayChanged(): void {
    this.allocationRows = null;
  }

  provider(uuid: string): ProviderRow | undefined {
    return lookup(this.base.providers, this.overlay.providers, uuid);
  }

  providers(): ProviderRow[] {
    return merged(this.base.providers, this.overlay.providers);
  }

  inventory(providerUuid: string, resourceClass: string): InventoryRow | undefined {
    return lookup(this.base.inventories, this.overlay.inventories, inventoryKey(providerUuid, resourceClass));
  }

  inventoriesOf(providerUuid: string): InventoryRow[] {
    const rows: InventoryRow[] = [];
    const overlay = this.overlay.inventories;
    for (const [key, row] of this.base.inventories) {
      if (row.providerUuid === providerUuid && (overlay.size === 0 || !overlay.has(key))) rows.push(row);
    }
    for (const row of overlay.values()) if (row !== null && row.providerUuid === providerUuid) rows.push(row);
    return rows;
  }

  allocations(): readonly AllocationRow[] {
    if (this.allocationRows === null) {
      const committed = sortedAllocations(this.base.allocations);
      this.allocationRows = this.overlay.allocations.size === 0 ? committed : withOverlay(committed, this.overlay.allocations);
    }
    return this.allocationRows;
  }

  allocationsOfConsumer(consumerUuid: string): AllocationRow[] {
    const rows: AllocationRow[] = [];
    for (const row of this.allocations()) if (row.consumerUuid === consumerUuid) rows.push(row);
    return rows;
  }

  allocationsOnProvider(providerUuid: string): AllocationRow[] {
    const rows: AllocationRow[] = [];
    for (const row of this.allocations()) if (row.providerUuid === providerUuid) rows.push(row);
    return rows;
  }

  /** SUM(used) per class on a provider, over every row (no consumer join). */
  usageOn(providerUuid: string, resourceClass: string): number {
    let total = 0;
    for (const row of this.allocations()) {
      if (row.providerUuid === providerUuid && row.resourceClass === resourceClass) total += row.used;
    }
    return total;
  }

  consumer(uuid: string): ConsumerRow | undefined {
    return lookup(this.base.consumers, this.overlay.consumers, uuid);
  }

  consumers(): ConsumerRow[] {
    return merged(this.base.consumers, this.overlay.consumers);
  }

  resourceClassExists(name: string, standard: ReadonlySet<string>): boolean {
    return standard.has(name) || this.base.customResourceClasses.includes(name);
  }
}

/** Sorted committed rows with a transaction's changes laid over them, still sorted by id. */
function withOverlay(committed: readonly AllocationRow[], overlay: ReadonlyMap<number, AllocationRow | null>): AllocationRow[] {
  const rows: AllocationRow[] = [];
  let added = false;
  for (const row of committed) if (!overlay.has(row.id)) rows.push(row);
  for (const row of overlay.values()) {
    if (row === null) continue;
    rows.push(row);
    added = true;
  }
  return added ? sortById(rows) : rows;
}
