/**
 * A program: the shared setup and, per client, a sequence of actions.
 *
 * Actions are Placement requests described by intent ("write these
 * allocations with the generation I last saw") rather than as raw bytes, so
 * that a client can fill in what it learned from earlier responses, the way
 * Placement's real clients read, modify and write.
 */
import type { Inventory } from '../../model/index.ts';

export interface AllocationSpec {
  readonly provider: string;
  readonly resources: Readonly<Record<string, number>>;
}

/** An inventory as a program sets it up or writes it: the model's record. */
export type InventorySpec = Inventory;

/**
 * Which generation a write sends: the latest the client has seen, `null`
 * (the client believes the consumer is new), or a stale one (one less than
 * the latest seen).
 */
export type GenerationChoice = 'known' | 'null' | 'stale';

export interface ConsumerAllocationsSpec {
  readonly consumer: string;
  /** Empty clears the consumer (from 1.28). */
  readonly allocations: readonly AllocationSpec[];
  readonly generation: GenerationChoice;
}

export type Action =
  | ({ readonly kind: 'putAllocations'; readonly microversion: string } & ConsumerAllocationsSpec)
  | { readonly kind: 'postAllocations'; readonly microversion: string; readonly consumers: readonly ConsumerAllocationsSpec[] }
  | { readonly kind: 'deleteAllocations'; readonly consumer: string }
  | { readonly kind: 'readConsumer'; readonly consumer: string }
  | {
      readonly kind: 'setInventory';
      readonly provider: string;
      readonly inventories: Readonly<Record<string, InventorySpec>>;
      readonly generation: 'known' | 'stale';
    }
  | { readonly kind: 'deleteInventory'; readonly provider: string; readonly resourceClass: string }
  | { readonly kind: 'deleteProvider'; readonly provider: string }
  | { readonly kind: 'readUsages'; readonly provider: string };

export type ActionKind = Action['kind'];

export interface ProviderSpec {
  readonly uuid: string;
  readonly name: string;
  readonly inventories: Readonly<Record<string, InventorySpec>>;
}

export interface Program {
  readonly providers: readonly ProviderSpec[];
  /** Consumers every client may use; also read back after the run. */
  readonly consumers: readonly string[];
  /** Allocations written during setup, before the clients start. */
  readonly setupAllocations: readonly { readonly consumer: string; readonly allocations: readonly AllocationSpec[] }[];
  readonly clients: readonly (readonly Action[])[];
}

export const PROJECT_ID = 'sim-project';
export const USER_ID = 'sim-user';
export const CONSUMER_TYPE = 'INSTANCE';
