/**
 * A read-only view of the database as one statement sees it: a base version
 * with a transaction's own uncommitted changes laid over it.
 */
import type { AllocationRow, ConsumerRow, InventoryRow, ProviderRow, Tables } from './tables.ts';
import { inventoryKey } from './tables.ts';

/** A transaction's own changes; `null` marks a deleted row. */
export interface Overlay {
  readonly providers: Map<string, ProviderRow | null>;
  readonly inventories: Map<string, InventoryRow | null>;
  readonly allocations: Map<number, AllocationRow | null>;
  readonly consumers: Map<string, ConsumerRow | null>;
}

export function emptyOverlay(): Overlay {
  return { providers: new Map(), inventories: new Map(), allocations: new Map(), consumers: new Map() };
}

function merged<K, V>(base: ReadonlyMap<K, V>, overlay: ReadonlyMap<K, V | null>): V[] {
  const rows: V[] = [];
  for (const [key, row] of base) {
    if (overlay.has(key)) continue;
    rows.push(row);
  }
  for (const row of overlay.values()) if (row !== null) rows.push(row);
  return rows;
}

function lookup<K, V>(base: ReadonlyMap<K, V>, overlay: ReadonlyMap<K, V | null>, key: K): V | undefined {
  if (overlay.has(key)) return overlay.get(key) ?? undefined;
  return base.get(key);
}

export class View {
  /** One statement sees one set of rows, so the merged, sorted list is built once. */
  private allocationRows: AllocationRow[] | null = null;

  constructor(
    readonly base: Tables,
    private readonly overlay: Overlay,
  ) {}

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
    return merged(this.base.inventories, this.overlay.inventories).filter((row) => row.providerUuid === providerUuid);
  }

  allocations(): readonly AllocationRow[] {
    this.allocationRows ??= merged(this.base.allocations, this.overlay.allocations).sort((left, right) => left.id - right.id);
    return this.allocationRows;
  }

  allocationsOfConsumer(consumerUuid: string): AllocationRow[] {
    return this.allocations().filter((row) => row.consumerUuid === consumerUuid);
  }

  allocationsOnProvider(providerUuid: string): AllocationRow[] {
    return this.allocations().filter((row) => row.providerUuid === providerUuid);
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
