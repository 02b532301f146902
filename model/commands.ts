/**
 * The typed command layer under the HTTP surface: every write the model
 * supports, as a discriminated union on `kind`. The HTTP layer parses and
 * validates a request into one of these; `applyCommand` runs it.
 */
import type { PlacementError } from './errors.ts';
import type { Inventory, State } from './state.ts';

/** How an inventory's capacity is validated; it changed at microversion 1.26. */
export type CapacityRule = 'positive' | 'nonNegative';

export interface ProviderAllocation {
  readonly providerUuid: string;
  /** Resource class and amount, in request order. */
  readonly resources: readonly (readonly [string, number])[];
}

export interface ConsumerWrite {
  readonly uuid: string;
  readonly projectId: string;
  readonly userId: string;
  /** The generation the client expects; only checked from 1.28. */
  readonly generation: number | null;
  /** The consumer type; only set from 1.38, `null` before. */
  readonly consumerType: string | null;
  /** Empty means "remove all of this consumer's allocations". */
  readonly allocations: readonly ProviderAllocation[];
}

export type Command =
  | { readonly kind: 'createProvider'; readonly uuid: string; readonly name: string; readonly parentUuid: string | null }
  | {
      readonly kind: 'updateProvider';
      readonly uuid: string;
      readonly name: string;
      /** `undefined` when the request did not mention the parent. */
      readonly parentUuid: string | null | undefined;
      readonly allowReparenting: boolean;
    }
  | { readonly kind: 'deleteProvider'; readonly uuid: string }
  | {
      readonly kind: 'createInventory';
      readonly providerUuid: string;
      readonly resourceClass: string;
      readonly inventory: Inventory;
      readonly capacityRule: CapacityRule;
    }
  | {
      readonly kind: 'setInventories';
      readonly providerUuid: string;
      readonly generation: number;
      readonly inventories: readonly (readonly [string, Inventory])[];
      readonly capacityRule: CapacityRule;
    }
  | {
      readonly kind: 'updateInventory';
      readonly providerUuid: string;
      readonly resourceClass: string;
      readonly generation: number;
      readonly inventory: Inventory;
      readonly capacityRule: CapacityRule;
    }
  | { readonly kind: 'deleteInventory'; readonly providerUuid: string; readonly resourceClass: string }
  | { readonly kind: 'deleteInventories'; readonly providerUuid: string }
  | {
      readonly kind: 'writeAllocations';
      /** PUT /allocations/{consumer} or POST /allocations: same rules, different messages. */
      readonly form: 'put' | 'post';
      readonly consumers: readonly ConsumerWrite[];
      readonly checkGenerations: boolean;
    }
  | { readonly kind: 'deleteAllocations'; readonly consumerUuid: string }
  | { readonly kind: 'createResourceClass'; readonly name: string }
  | { readonly kind: 'ensureResourceClass'; readonly name: string }
  | { readonly kind: 'deleteResourceClass'; readonly name: string }
  | { readonly kind: 'ensureTrait'; readonly name: string }
  | { readonly kind: 'deleteTrait'; readonly name: string }
  | { readonly kind: 'setProviderTraits'; readonly providerUuid: string; readonly generation: number; readonly traits: readonly string[] }
  | { readonly kind: 'deleteProviderTraits'; readonly providerUuid: string }
  | {
      readonly kind: 'setAggregates';
      readonly providerUuid: string;
      readonly aggregates: readonly string[];
      /** `null` before 1.19: no generation check and no generation bump. */
      readonly generation: number | null;
    };

export type CommandKind = Command['kind'];

/** The result of a command: a new state, or an error and the unchanged state. */
export type Outcome =
  | { readonly kind: 'ok'; readonly state: State; readonly created: boolean }
  | { readonly kind: 'error'; readonly error: PlacementError };

export function ok(state: State, created = false): Outcome {
  return { kind: 'ok', state, created };
}

export function failed(error: PlacementError): Outcome {
  return { kind: 'error', error };
}
