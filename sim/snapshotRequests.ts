/**
 * The reads that take a quiescent snapshot after a run: every provider's
 * usages, inventories and allocations, and every consumer's allocations.
 * They go through the same target as the run, so a live service and the
 * in-process one are observed the same way.
 */
import { placementRequest, type HttpRequest } from '../model/index.ts';
import type { Program } from './program/program.ts';
import { LATEST_WITHOUT_BODY, consumerPath, providerPaths } from './program/requestPaths.ts';

export function snapshotRequests(program: Program): readonly HttpRequest[] {
  const requests: HttpRequest[] = [];
  for (const provider of program.providers) {
    const paths = providerPaths(provider.uuid);
    requests.push(placementRequest('GET', paths.usages, LATEST_WITHOUT_BODY));
    requests.push(placementRequest('GET', paths.inventories, LATEST_WITHOUT_BODY));
    requests.push(placementRequest('GET', paths.allocations, LATEST_WITHOUT_BODY));
  }
  for (const consumer of program.consumers) {
    requests.push(placementRequest('GET', consumerPath(consumer), LATEST_WITHOUT_BODY));
  }
  return requests;
}
