/**
 * What the conformance generator produces: abstract requests ("actions")
 * that refer to pool entries by index and to generations symbolically.
 *
 * An action becomes a concrete `HttpRequest` only when it runs, against the
 * model's state at that point (see `materialiseAction`): a `current`
 * generation is the one the model holds right then. So after shrinking has
 * removed earlier requests, a "fresh generation" is still fresh, and the
 * shrunk sequence still shows the same behaviour.
 */

/**
 * A provider or consumer as a request names it: an entry of its pool (which
 * may not exist yet, or ever), or the `existing`-th of those the model holds
 * right then (wrapping around; the pool entry of that number when there are
 * none). Most requests use the second, so they usually find their target.
 */
export type Reference = { readonly pool: number } | { readonly existing: number };

/** A microversion header value (`1.28`, `latest`, `1.40`) or no header at all. */
export type VersionChoice = string | null;

/** A provider generation as the request gives it. */
export type ProviderGenerationChoice = 'current' | 'behind' | 'ahead' | 'missing';

/** A consumer generation as the request gives it (1.28+). */
export type ConsumerGenerationChoice = 'current' | 'null' | 'behind' | 'ahead' | 'missing';

/**
 * How the request deviates from a well-formed one. `schema` variants break
 * the body's shape for its microversion; the others break the transport.
 */
export type Corruption =
  | 'none'
  | 'malformedJson'
  | 'textPlain'
  | 'noContentType'
  | 'emptyBody'
  | 'notAnObject'
  | 'extraProperty'
  | 'noToken'
  | 'notAdmin'
  | 'acceptHtml';

/** An inventory record; `null` leaves the field out so the service's default applies. */
export interface InventoryChoice {
  readonly total: number | null;
  readonly reserved: number | null;
  readonly minUnit: number | null;
  readonly maxUnit: number | null;
  readonly stepSize: number | null;
  readonly allocationRatio: number | null;
}

/** One provider's part of an allocation body. */
export interface ProviderAllocationChoice {
  /** Pool: ALLOCATION_PROVIDERS. */
  readonly provider: Reference;
  /**
   * Class and amount (0 and negatives are schema errors). A class reference's
   * pool is RESOURCE_CLASSES; `existing` picks among the provider's inventories.
   */
  readonly resources: readonly (readonly [Reference, number])[];
  /** The optional, ignored per-provider generation of 1.12+ bodies. */
  readonly generation: number | null;
}

/** Body shape: as the microversion wants it, or deliberately another version's. */
export type AllocationShape = 'asVersion' | 'listForm' | 'dictForm' | 'noProjectUser' | 'withMappings';

/** One consumer's allocations, for PUT (one) or POST (several). */
export interface ConsumerAllocationChoice {
  /** Pool: CONSUMERS. */
  readonly consumer: Reference;
  /** Empty clears the consumer's allocations (1.28+ for PUT, any POST). */
  readonly allocations: readonly ProviderAllocationChoice[];
  readonly consumerGeneration: ConsumerGenerationChoice;
  /** Indexes into PROJECTS, USERS and CONSUMER_TYPES. */
  readonly project: number;
  readonly user: number;
  readonly consumerType: number;
}

export type Action =
  | { readonly kind: 'createProvider'; readonly uuid: number; readonly name: number; readonly parent: number | null }
  | { readonly kind: 'updateProvider'; readonly provider: Reference; readonly name: number; readonly parent: number | 'none' | 'keep' }
  | { readonly kind: 'deleteProvider'; readonly provider: Reference }
  | { readonly kind: 'showProvider'; readonly provider: Reference }
  | { readonly kind: 'listProviders'; readonly filters: readonly number[] }
  | { readonly kind: 'createInventory'; readonly provider: Reference; readonly resourceClass: number; readonly inventory: InventoryChoice }
  | {
      readonly kind: 'setInventories';
      readonly provider: Reference;
      readonly generation: ProviderGenerationChoice;
      readonly inventories: readonly (readonly [number, InventoryChoice])[];
    }
  | {
      readonly kind: 'updateInventory';
      readonly provider: Reference;
      /** Pool: RESOURCE_CLASSES; `existing` picks among the provider's inventories. */
      readonly resourceClass: Reference;
      readonly generation: ProviderGenerationChoice;
      readonly inventory: InventoryChoice;
    }
  | { readonly kind: 'deleteInventory'; readonly provider: Reference; readonly resourceClass: Reference }
  | { readonly kind: 'deleteInventories'; readonly provider: Reference }
  | { readonly kind: 'showInventory'; readonly provider: Reference; readonly resourceClass: Reference }
  | { readonly kind: 'listInventories'; readonly provider: Reference }
  | { readonly kind: 'putAllocations'; readonly write: ConsumerAllocationChoice; readonly shape: AllocationShape }
  | { readonly kind: 'postAllocations'; readonly writes: readonly ConsumerAllocationChoice[]; readonly shape: AllocationShape }
  | { readonly kind: 'deleteAllocations'; readonly consumer: Reference }
  | { readonly kind: 'showConsumerAllocations'; readonly consumer: Reference }
  | { readonly kind: 'showProviderAllocations'; readonly provider: Reference }
  | { readonly kind: 'showProviderUsages'; readonly provider: Reference }
  | { readonly kind: 'totalUsages'; readonly project: number | null; readonly user: number | null; readonly consumerType: number | null }
  | { readonly kind: 'putTrait'; readonly trait: number }
  | { readonly kind: 'showTrait'; readonly trait: number }
  | { readonly kind: 'deleteTrait'; readonly trait: number }
  | { readonly kind: 'listTraits'; readonly filter: number }
  | { readonly kind: 'setProviderTraits'; readonly provider: Reference; readonly generation: ProviderGenerationChoice; readonly traits: readonly number[] }
  | { readonly kind: 'deleteProviderTraits'; readonly provider: Reference }
  | { readonly kind: 'listProviderTraits'; readonly provider: Reference }
  | { readonly kind: 'setAggregates'; readonly provider: Reference; readonly generation: ProviderGenerationChoice; readonly aggregates: readonly number[] }
  | { readonly kind: 'listAggregates'; readonly provider: Reference }
  | { readonly kind: 'createResourceClass'; readonly name: number }
  | { readonly kind: 'putResourceClass'; readonly name: number; readonly newName: number }
  | { readonly kind: 'deleteResourceClass'; readonly name: number }
  | { readonly kind: 'showResourceClass'; readonly name: number }
  | { readonly kind: 'listResourceClasses' }
  | { readonly kind: 'showRoot' };

export type ActionKind = Action['kind'];

/** An action with the microversion it is sent at and how it is corrupted. */
export interface RequestPlan {
  readonly action: Action;
  readonly version: VersionChoice;
  readonly corruption: Corruption;
}
