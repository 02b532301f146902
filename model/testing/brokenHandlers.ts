/**
 * Deliberately broken stand-ins for `handle`, one per law, each wrong in
 * exactly one way. The laws must catch every one of them; if a law stops
 * catching its broken handler, the law (or the generator) went blind.
 *
 * Each wraps the real model and damages its answer afterwards, so the
 * damage is confined to the behaviour under test.
 */
import { handle } from '../handle.ts';
import type { HttpRequest } from '../http.ts';
import { ClassMap } from '../classMap.ts';
import type { Consumer, Provider, State } from '../state.ts';
import type { Handler } from './replay.ts';

function isAllocationWrite(request: HttpRequest): boolean {
  return (request.method === 'PUT' && request.path.startsWith('/allocations/')) || (request.method === 'POST' && request.path === '/allocations');
}

function replaceProviders(state: State, change: (provider: Provider) => Provider): State {
  return { ...state, providers: state.providers.withAll([...state.providers.values()].map(change)) };
}

export type BrokenHandlerName =
  | 'forgetsProviderGenerationOnAllocationWrite'
  | 'bumpsConsumerGenerationTwice'
  | 'leavesUsageAfterDelete'
  | 'keepsEmptiedConsumers'
  | 'leaksStateOnFailure'
  | 'shrinksInventoryOnAllocationWrite'
  | 'mutatesItsInput'
  | 'numbersResponsesFromAGlobal';

/** Builds a fresh broken handler (some keep private state across calls). */
export function brokenHandler(name: BrokenHandlerName): Handler {
  switch (name) {
    case 'forgetsProviderGenerationOnAllocationWrite':
      return (state, request) => {
        const handled = handle(state, request);
        if (!isAllocationWrite(request) || handled.response.status >= 400) return handled;
        const restored = replaceProviders(handled.state, (provider) => {
          const previous = state.providers.get(provider.uuid);
          return previous === undefined ? provider : { ...provider, generation: previous.generation };
        });
        return { ...handled, state: restored };
      };
    case 'bumpsConsumerGenerationTwice':
      return (state, request) => {
        const handled = handle(state, request);
        if (!isAllocationWrite(request) || handled.response.status >= 400) return handled;
        const consumers = handled.state.consumers.map((consumer): Consumer =>
          state.consumers.get(consumer.uuid)?.generation === consumer.generation ? consumer : { ...consumer, generation: consumer.generation + 1 },
        );
        return { ...handled, state: { ...handled.state, consumers } };
      };
    case 'leavesUsageAfterDelete':
      return (state, request) => {
        const handled = handle(state, request);
        if (request.method !== 'DELETE' || !request.path.startsWith('/allocations/') || handled.response.status >= 400) return handled;
        const stale = replaceProviders(handled.state, (provider) => ({ ...provider, usages: state.providers.get(provider.uuid)?.usages ?? provider.usages }));
        return { ...handled, state: stale };
      };
    case 'keepsEmptiedConsumers':
      return (state, request) => {
        const handled = handle(state, request);
        if (!isAllocationWrite(request) || handled.response.status >= 400) return handled;
        let consumers = handled.state.consumers;
        for (const [uuid, consumer] of state.consumers) {
          if (!consumers.has(uuid)) consumers = consumers.set(uuid, { ...consumer, generation: consumer.generation + 1, allocations: [] });
        }
        return { ...handled, state: { ...handled.state, consumers } };
      };
    case 'leaksStateOnFailure':
      return (state, request) => {
        const handled = handle(state, request);
        if (!isAllocationWrite(request) || handled.response.status < 400) return handled;
        const leaked = replaceProviders(handled.state, (provider) => ({ ...provider, generation: provider.generation + 1 }));
        return { ...handled, state: leaked };
      };
    case 'shrinksInventoryOnAllocationWrite':
      return (state, request) => {
        const handled = handle(state, request);
        if (!isAllocationWrite(request) || handled.response.status >= 400) return handled;
        // Capacity 0 for every class in use: a write that "succeeds" over capacity.
        const shrunk = replaceProviders(handled.state, (provider) => {
          const inventories = new Map(provider.inventories);
          for (const resourceClass of provider.usages.keys()) {
            const inventory = inventories.get(resourceClass);
            if (inventory !== undefined) inventories.set(resourceClass, { ...inventory, reserved: inventory.total });
          }
          return { ...provider, inventories: ClassMap.of(inventories) };
        });
        return { ...handled, state: shrunk };
      };
    case 'mutatesItsInput':
      return (state, request) => {
        const handled = handle(state, request);
        if (request.method === 'PUT' && request.path.startsWith('/traits/')) (state.customTraits as string[]).push('CUSTOM_MUTATED');
        return handled;
      };
    case 'numbersResponsesFromAGlobal': {
      let served = 0;
      return (state, request) => {
        const handled = handle(state, request);
        served += 1;
        return { ...handled, response: { ...handled.response, headers: { ...handled.response.headers, 'x-served': String(served) } } };
      };
    }
    default:
      return assertNever(name);
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled broken handler: ${JSON.stringify(value)}`);
}
