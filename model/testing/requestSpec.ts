/**
 * Requests as data: what a generated request means, before it is rendered
 * to HTTP. Laws read the spec to know what a request was supposed to do;
 * `renderRequest` turns it into the bytes a client would send.
 *
 * The universe is deliberately small (three providers, four consumers, a
 * handful of classes and traits) so that random sequences collide: the
 * same provider is written twice, a consumer is cleared and re-created, a
 * class is deleted while in use.
 */
import type { Inventory } from '../state.ts';

export const PROVIDER_INDEXES = [1, 2, 3] as const;
export const CONSUMER_INDEXES = [1, 2, 3, 4] as const;
export const AGGREGATE_INDEXES = [1, 2, 3] as const;

/** Standard classes, one custom class that may be created, one that never is. */
export const RESOURCE_CLASSES = ['VCPU', 'MEMORY_MB', 'DISK_GB', 'CUSTOM_A', 'CUSTOM_NEVER'] as const;
export type ResourceClassName = (typeof RESOURCE_CLASSES)[number];
export const CREATABLE_RESOURCE_CLASSES = ['CUSTOM_A', 'CUSTOM_B'] as const;

/** One standard trait, two creatable custom traits. */
export const TRAITS = ['HW_CPU_X86_AVX', 'CUSTOM_T', 'CUSTOM_U'] as const;

/** Microversions where some rule changes, so every branch is reached. */
export const MICROVERSIONS = [
  '1.0', '1.1', '1.2', '1.5', '1.6', '1.7', '1.8', '1.12', '1.13', '1.14', '1.19', '1.20',
  '1.23', '1.25', '1.26', '1.27', '1.28', '1.34', '1.37', '1.38', '1.39',
] as const;
export type MicroversionText = (typeof MICROVERSIONS)[number];

/**
 * A generation to send: the one the target currently has (what a careful
 * client sends), or a fixed value (what a stale or confused client sends).
 * `null` is "no consumer yet" for consumer generations.
 */
export type GenerationChoice = { readonly kind: 'current' } | { readonly kind: 'literal'; readonly value: number | null };

export interface InventorySpec extends Inventory {
  readonly resourceClass: ResourceClassName;
}

export interface ProviderAllocationSpec {
  readonly provider: number;
  readonly resources: readonly (readonly [ResourceClassName, number])[];
}

export interface ConsumerWriteSpec {
  readonly consumer: number;
  /** Empty means "remove all of this consumer's allocations". */
  readonly allocations: readonly ProviderAllocationSpec[];
  readonly generation: GenerationChoice;
  readonly projectId: string;
  readonly userId: string;
  readonly consumerType: string;
}

export type ReadTarget =
  | { readonly kind: 'provider'; readonly provider: number }
  | { readonly kind: 'providers' }
  | { readonly kind: 'inventories'; readonly provider: number }
  | { readonly kind: 'providerUsages'; readonly provider: number }
  | { readonly kind: 'providerAllocations'; readonly provider: number }
  | { readonly kind: 'consumerAllocations'; readonly consumer: number }
  | { readonly kind: 'totalUsages'; readonly projectId: string; readonly consumerType: string | null }
  | { readonly kind: 'traits' }
  | { readonly kind: 'resourceClasses' };

/** A request that changes (or tries to change) the state. */
export type WriteSpec =
  | { readonly kind: 'createProvider'; readonly provider: number; readonly name: string; readonly parent: number | null }
  | { readonly kind: 'updateProvider'; readonly provider: number; readonly name: string; readonly parent: number | null | 'absent' }
  | { readonly kind: 'deleteProvider'; readonly provider: number }
  | { readonly kind: 'createInventory'; readonly provider: number; readonly inventory: InventorySpec }
  | { readonly kind: 'setInventories'; readonly provider: number; readonly generation: GenerationChoice; readonly inventories: readonly InventorySpec[] }
  | { readonly kind: 'updateInventory'; readonly provider: number; readonly generation: GenerationChoice; readonly inventory: InventorySpec }
  | { readonly kind: 'deleteInventory'; readonly provider: number; readonly resourceClass: ResourceClassName }
  | { readonly kind: 'deleteInventories'; readonly provider: number }
  | { readonly kind: 'putAllocations'; readonly write: ConsumerWriteSpec }
  | { readonly kind: 'postAllocations'; readonly writes: readonly ConsumerWriteSpec[] }
  | { readonly kind: 'deleteAllocations'; readonly consumer: number }
  | { readonly kind: 'setProviderTraits'; readonly provider: number; readonly generation: GenerationChoice; readonly traits: readonly string[] }
  | { readonly kind: 'deleteProviderTraits'; readonly provider: number }
  | { readonly kind: 'putTrait'; readonly name: string }
  | { readonly kind: 'deleteTrait'; readonly name: string }
  | { readonly kind: 'setAggregates'; readonly provider: number; readonly generation: GenerationChoice; readonly aggregates: readonly number[] }
  | { readonly kind: 'putResourceClass'; readonly name: string }
  | { readonly kind: 'deleteResourceClass'; readonly name: string };

/** Ways a client gets a request wrong before any rule is applied. */
export type Defect = 'truncatedJson' | 'noContentType' | 'wrongContentType' | 'noToken' | 'unacceptableVersion' | 'malformedVersion';

export type RequestSpec =
  | { readonly kind: 'write'; readonly microversion: MicroversionText; readonly write: WriteSpec }
  | { readonly kind: 'read'; readonly microversion: MicroversionText; readonly target: ReadTarget }
  | { readonly kind: 'defective'; readonly microversion: MicroversionText; readonly write: WriteSpec; readonly defect: Defect };

/** `'1.28'` → 28; every generated version has major 1. */
export function minorOf(microversion: MicroversionText): number {
  return Number(microversion.slice(2));
}

/** The write a spec attempts, if any (a defective request still names one). */
export function attemptedWrite(spec: RequestSpec): WriteSpec | null {
  return spec.kind === 'read' ? null : spec.write;
}
