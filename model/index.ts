/**
 * The reference model of OpenStack Placement 8.0.0: public surface.
 */
export { handle, type Handled } from './handle.ts';
export { applyCommand } from './applyCommand.ts';
export type { Command, ConsumerWrite, Outcome, ProviderAllocation } from './commands.ts';
export type { HttpRequest, HttpResponse } from './http.ts';
export { inventoryRequestFields, placementRequest } from './http.ts';
export { emptyState, type State, type Provider, type Consumer, type Inventory, type AllocationRow } from './state.ts';
export { MAX_MICROVERSION, MIN_MICROVERSION, formatMicroversion, microversion, type Microversion } from './microversion.ts';
