/**
 * The setup prefix of a program as requests: providers, their inventories,
 * then the allocations that exist before the clients start.
 */
import { placementRequest, type HttpRequest } from '../model/index.ts';
import { inventoriesBody } from './program/knowledge.ts';
import type { Action, Program } from './program/program.ts';
import { consumerPath, providerPaths } from './program/requestPaths.ts';

export function setupRequests(program: Program): readonly { readonly request: HttpRequest; readonly action: Action | null }[] {
  const requests: { request: HttpRequest; action: Action | null }[] = [];
  for (const provider of program.providers) {
    requests.push({
      request: placementRequest('POST', '/resource_providers', { microversion: '1.39', body: { name: provider.name, uuid: provider.uuid } }),
      action: null,
    });
    requests.push({
      request: placementRequest('PUT', providerPaths(provider.uuid).inventories, {
        microversion: '1.39',
        body: { resource_provider_generation: 0, inventories: inventoriesBody(provider.inventories) },
      }),
      action: { kind: 'setInventory', provider: provider.uuid, inventories: provider.inventories, generation: 'known' },
    });
  }
  for (const allocation of program.setupAllocations) {
    const action: Action = { kind: 'putAllocations', microversion: '1.39', consumer: allocation.consumer, allocations: allocation.allocations, generation: 'null' };
    const body: Record<string, unknown> = {};
    for (const spec of allocation.allocations) body[spec.provider] = { resources: spec.resources };
    requests.push({
      request: placementRequest('PUT', consumerPath(allocation.consumer), {
        microversion: '1.39',
        body: { allocations: body, project_id: 'sim-project', user_id: 'sim-user', consumer_generation: null, consumer_type: 'INSTANCE' },
      }),
      action,
    });
  }
  return requests;
}
