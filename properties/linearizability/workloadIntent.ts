/**
 * What a simulated client means to do, turned into a request against the
 * state at the moment it is made (so it can name current generations, or
 * deliberately stale ones). Shared by the property tests and the benchmark,
 * which only differ in how they choose intents.
 */
import type { HttpRequest, State } from '../../model/index.ts';
import { request } from './goldenHistories.ts';

/** Whether a write names the current generation, none, or an outdated one. */
export type GenerationChoice = 'current' | 'null' | 'stale';

export type WorkloadIntent =
  | { readonly kind: 'allocate'; readonly consumer: string; readonly provider: string; readonly vcpu: number; readonly generation: GenerationChoice }
  | { readonly kind: 'moveAllocation'; readonly from: string; readonly to: string; readonly provider: string; readonly vcpu: number }
  | { readonly kind: 'deleteAllocations'; readonly consumer: string }
  | { readonly kind: 'readAllocations'; readonly consumer: string }
  | { readonly kind: 'readUsages'; readonly provider: string }
  | { readonly kind: 'readProvider'; readonly provider: string }
  | { readonly kind: 'setInventory'; readonly provider: string; readonly total: number; readonly generation: GenerationChoice }
  | { readonly kind: 'createTrait'; readonly trait: string }
  | { readonly kind: 'setTraits'; readonly provider: string; readonly trait: string; readonly generation: GenerationChoice }
  | { readonly kind: 'listProviders' }
  | { readonly kind: 'deleteProvider'; readonly provider: string }
  | { readonly kind: 'createProvider'; readonly provider: string; readonly name: string };

export function requestForIntent(intent: WorkloadIntent, state: State): HttpRequest {
  switch (intent.kind) {
    case 'allocate':
      return request('PUT', `/allocations/${intent.consumer}`, {
        allocations: { [intent.provider]: { resources: { VCPU: intent.vcpu } } },
        ...consumerFields(),
        consumer_generation: consumerGeneration(state, intent.consumer, intent.generation),
      });
    case 'moveAllocation':
      // Placement's move: one POST that clears one consumer and gives its resources to another.
      return request('POST', '/allocations', {
        [intent.from]: { allocations: {}, ...consumerFields(), consumer_generation: consumerGeneration(state, intent.from, 'current') },
        [intent.to]: {
          allocations: { [intent.provider]: { resources: { VCPU: intent.vcpu } } },
          ...consumerFields(),
          consumer_generation: consumerGeneration(state, intent.to, 'current'),
        },
      });
    case 'deleteAllocations':
      return request('DELETE', `/allocations/${intent.consumer}`);
    case 'readAllocations':
      return request('GET', `/allocations/${intent.consumer}`);
    case 'readUsages':
      return request('GET', `/resource_providers/${intent.provider}/usages`);
    case 'readProvider':
      return request('GET', `/resource_providers/${intent.provider}`);
    case 'setInventory':
      return request('PUT', `/resource_providers/${intent.provider}/inventories`, {
        resource_provider_generation: providerGeneration(state, intent.provider, intent.generation),
        inventories: { VCPU: { total: intent.total } },
      });
    case 'createTrait':
      return request('PUT', `/traits/${intent.trait}`);
    case 'setTraits':
      return request('PUT', `/resource_providers/${intent.provider}/traits`, {
        resource_provider_generation: providerGeneration(state, intent.provider, intent.generation),
        traits: [intent.trait],
      });
    case 'listProviders':
      return request('GET', '/resource_providers');
    case 'deleteProvider':
      return request('DELETE', `/resource_providers/${intent.provider}`);
    case 'createProvider':
      return request('POST', '/resource_providers', { uuid: intent.provider, name: intent.name });
    default:
      return assertNever(intent);
  }
}

function consumerFields(): Record<string, string> {
  return { project_id: 'project', user_id: 'user', consumer_type: 'INSTANCE' };
}

function consumerGeneration(state: State, consumer: string, choice: GenerationChoice): number | null {
  const current = state.consumers.get(consumer)?.generation ?? null;
  switch (choice) {
    case 'current':
      return current;
    case 'null':
      return null;
    case 'stale':
      return current === null ? 0 : current - 1;
    default:
      return assertNever(choice);
  }
}

function providerGeneration(state: State, provider: string, choice: GenerationChoice): number | null {
  const current = state.providers.get(provider)?.generation ?? 0;
  switch (choice) {
    case 'current':
      return current;
    case 'null':
      return null;
    case 'stale':
      return current - 1;
    default:
      return assertNever(choice);
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
}
