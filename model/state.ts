/**
 * The model's state: what Placement stores, as immutable values.
 *
 * Every function that "changes" the state returns a new one and leaves its
 * input untouched. Providers are few, so they live in a copied-on-write
 * `ReadonlyMap` that keeps creation order (the order the database lists
 * them in). Consumers can be many, so they live in a persistent hash map
 * whose updates copy only a path of small nodes.
 */
import { Map as PersistentMap } from 'immutable';

export interface Inventory {
  readonly total: number;
  readonly reserved: number;
  readonly minUnit: number;
  readonly maxUnit: number;
  readonly stepSize: number;
  readonly allocationRatio: number;
}

export interface Provider {
  readonly uuid: string;
  readonly name: string;
  readonly generation: number;
  readonly parentUuid: string | null;
  readonly rootUuid: string;
  /** Inventory per resource class, in the order the classes were added. */
  readonly inventories: ReadonlyMap<string, Inventory>;
  /**
   * Sum of `used` per resource class over every consumer's allocations on
   * this provider; classes with no usage are absent. Derived from the
   * consumers, kept here so capacity checks need no scan.
   */
  readonly usages: ReadonlyMap<string, number>;
  /** Trait names, sorted. */
  readonly traits: readonly string[];
  /** Aggregate uuids, in the order they were associated. */
  readonly aggregates: readonly string[];
}

export interface AllocationRow {
  readonly providerUuid: string;
  readonly resourceClass: string;
  readonly used: number;
}

export interface Consumer {
  readonly uuid: string;
  readonly projectId: string;
  readonly userId: string;
  /** `null` is shown as "unknown" by the API. */
  readonly consumerType: string | null;
  readonly generation: number;
  /** Never empty: a consumer exists exactly while it holds allocations. */
  readonly allocations: readonly AllocationRow[];
}

export interface State {
  readonly providers: ReadonlyMap<string, Provider>;
  readonly consumers: PersistentMap<string, Consumer>;
  /** Custom resource classes in id order (ids 10000, 10001, ...). */
  readonly customResourceClasses: readonly string[];
  /** Custom traits, sorted. */
  readonly customTraits: readonly string[];
  /**
   * Counters for the ids the service would invent (request ids, uuids of
   * providers created without one). They advance on every request, so they
   * are kept apart from the resource data that laws compare.
   */
  readonly counters: Counters;
}

export interface Counters {
  readonly requests: number;
  readonly uuids: number;
}

export function emptyState(): State {
  return {
    providers: new Map(),
    consumers: PersistentMap(),
    customResourceClasses: [],
    customTraits: [],
    counters: { requests: 0, uuids: 0 },
  };
}

export function withProvider(state: State, provider: Provider): State {
  const providers = new Map(state.providers);
  providers.set(provider.uuid, provider);
  return { ...state, providers };
}

export function withoutProvider(state: State, uuid: string): State {
  const providers = new Map(state.providers);
  providers.delete(uuid);
  return { ...state, providers };
}

/** Replaces several providers at once with a single copy of the map. */
export function withProviders(state: State, changed: Iterable<Provider>): State {
  const providers = new Map(state.providers);
  for (const provider of changed) providers.set(provider.uuid, provider);
  return { ...state, providers };
}

export function usageOf(provider: Provider, resourceClass: string): number {
  return provider.usages.get(resourceClass) ?? 0;
}

/** Capacity as allocation checks compute it: a float, not truncated. */
export function allocationCapacity(inventory: Inventory): number {
  return (inventory.total - inventory.reserved) * inventory.allocationRatio;
}

/** Capacity as inventory validation computes it: truncated with int(). */
export function inventoryCapacity(inventory: Inventory): number {
  return Math.trunc((inventory.total - inventory.reserved) * inventory.allocationRatio);
}
