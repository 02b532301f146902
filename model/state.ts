/**
 * The model's state: what Placement stores, as immutable values.
 *
 * Every function that "changes" the state returns a new one and leaves its
 * input untouched. Providers are few, so they live in a short array in
 * creation order (the order the database lists them in) with a shared
 * uuid index (`ProviderTable`). Consumers can be many, so they live in a
 * persistent hash map whose updates copy only a path of small nodes. Per
 * class values of a provider are short arrays (`ClassMap`).
 */
import { ClassMap } from './classMap.ts';
import { PersistentHashMap } from './persistentHashMap.ts';
import { ProviderTable } from './providerTable.ts';

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
  readonly inventories: ClassMap<Inventory>;
  /**
   * Sum of `used` per resource class over every consumer's allocations on
   * this provider; classes with no usage are absent. Derived from the
   * consumers, kept here so capacity checks need no scan.
   */
  readonly usages: ClassMap<number>;
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
  readonly providers: ProviderTable;
  readonly consumers: PersistentHashMap<Consumer>;
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
    providers: ProviderTable.empty(),
    consumers: PersistentHashMap.empty(),
    customResourceClasses: [],
    customTraits: [],
    counters: { requests: 0, uuids: 0 },
  };
}

export function withProvider(state: State, provider: Provider): State {
  return withTables(state, state.providers.with(provider), state.consumers);
}

export function withoutProvider(state: State, uuid: string): State {
  return withTables(state, state.providers.without(uuid), state.consumers);
}

export function withProviders(state: State, changed: Iterable<Provider>): State {
  return withTables(state, state.providers.withAll(changed), state.consumers);
}

/** The state with new provider and consumer tables; written out, not spread, because it is on every write's path. */
export function withTables(state: State, providers: ProviderTable, consumers: PersistentHashMap<Consumer>): State {
  return {
    providers,
    consumers,
    customResourceClasses: state.customResourceClasses,
    customTraits: state.customTraits,
    counters: state.counters,
  };
}

/**
 * The state with new counters. Written out rather than spread, like
 * `withTables`: a spread copy gets an object layout of its own, and the
 * allocation code, which reads every state, would then meet two.
 */
export function withCounters(state: State, requests: number, uuids: number): State {
  return {
    providers: state.providers,
    consumers: state.consumers,
    customResourceClasses: state.customResourceClasses,
    customTraits: state.customTraits,
    counters: countersOf(requests, uuids),
  };
}

/**
 * Counters are read-only, so one object serves every state with the same
 * values: every answer counts a request, and the checker answers a run's
 * requests with the same few counts, mostly with no invented uuid yet.
 * Kept for the first `SHARED_COUNTERS` requests without invented uuids (a
 * fixed bound, as far as a run's requests go); others are made per call.
 */
function countersOf(requests: number, uuids: number): Counters {
  if (uuids !== 0 || !Number.isInteger(requests) || requests < 1 || requests >= SHARED_COUNTERS) return { requests, uuids };
  let counters = sharedCounters[requests];
  if (counters === undefined) {
    counters = { requests, uuids: 0 };
    sharedCounters[requests] = counters;
  }
  return counters;
}

const SHARED_COUNTERS = 4096;
const sharedCounters: Counters[] = [];

/** Capacity as allocation checks compute it: a float, not truncated. */
export function allocationCapacity(inventory: Inventory): number {
  return (inventory.total - inventory.reserved) * inventory.allocationRatio;
}

/** Capacity as inventory validation computes it: truncated with int(). */
export function inventoryCapacity(inventory: Inventory): number {
  return Math.trunc((inventory.total - inventory.reserved) * inventory.allocationRatio);
}
