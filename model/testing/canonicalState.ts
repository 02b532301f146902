/**
 * A state as plain JSON text, for comparing states by value: providers in
 * creation order (the order the service lists them), consumers sorted by
 * uuid (their map's iteration order is an implementation detail).
 */
import type { State } from '../state.ts';

export interface CanonicalOptions {
  /** Request and uuid counters advance on every request; laws about data leave them out. */
  readonly includeCounters: boolean;
}

export function canonicalState(state: State, options: CanonicalOptions): string {
  const providers = [...state.providers.values()].map((provider) => ({
    ...provider,
    inventories: [...provider.inventories],
    usages: [...provider.usages],
  }));
  const consumers = [...state.consumers.values()].sort((left, right) => (left.uuid < right.uuid ? -1 : left.uuid > right.uuid ? 1 : 0));
  return JSON.stringify({
    providers,
    consumers,
    customResourceClasses: state.customResourceClasses,
    customTraits: state.customTraits,
    ...(options.includeCounters ? { counters: state.counters } : {}),
  });
}
