/**
 * The reads that take a quiescent snapshot after a run: every provider's
 * usages, inventories and allocations, and every consumer's allocations.
 * They go through the same target as the run, so a live service and the
 * in-process one are observed the same way.
 */
import { placementRequest, type HttpRequest } from '../model/index.ts';
import type { Program } from './program/program.ts';

export function snapshotRequests(program: Program): readonly HttpRequest[] {
  const requests: HttpRequest[] = [];
  for (const provider of program.providers) {
    requests.push(placementRequest('GET', `/resource_providers/${provider.uuid}/usages`, { microversion: '1.39' }));
    requests.push(placementRequest('GET', `/resource_providers/${provider.uuid}/inventories`, { microversion: '1.39' }));
    requests.push(placementRequest('GET', `/resource_providers/${provider.uuid}/allocations`, { microversion: '1.39' }));
  }
  for (const consumer of program.consumers) {
    requests.push(placementRequest('GET', `/allocations/${consumer}`, { microversion: '1.39' }));
  }
  return requests;
}
