/**
 * The setup prefix of a program as requests: providers, their inventories,
 * then the allocations that exist before the clients start.
 */
import { placementRequestSending, type HttpRequest } from '../model/http.ts';
import type { Action, Program } from './program/program.ts';
import { consumerPath, providerPaths } from './program/requestPaths.ts';
import { consumerWriteBody, inventoriesWriteBody, providerCreateBody } from './program/requestBodies.ts';

export function setupRequests(program: Program): readonly { readonly request: HttpRequest; readonly action: Action | null }[] {
  const requests: { request: HttpRequest; action: Action | null }[] = [];
  for (const provider of program.providers) {
    requests.push({
      request: placementRequestSending('POST', '/resource_providers', '1.39', providerCreateBody(provider.name, provider.uuid)),
      action: null,
    });
    requests.push({
      request: placementRequestSending('PUT', providerPaths(provider.uuid).inventories, '1.39', inventoriesWriteBody(0, provider.inventories)),
      action: { kind: 'setInventory', provider: provider.uuid, inventories: provider.inventories, generation: 'known' },
    });
  }
  for (const allocation of program.setupAllocations) {
    const action: Action = { kind: 'putAllocations', microversion: '1.39', consumer: allocation.consumer, allocations: allocation.allocations, generation: 'null' };
    requests.push({
      request: placementRequestSending('PUT', consumerPath(allocation.consumer), '1.39', consumerWriteBody('dictTyped', null, allocation.allocations)),
      action,
    });
  }
  return requests;
}
