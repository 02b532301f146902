/**
 * The reads that take a quiescent snapshot after a run: every provider's
 * usages, inventories and allocations, and every consumer's allocations.
 * They go through the same target as the run, so a live service and the
 * in-process one are observed the same way.
 */
import type { HttpRequest } from '../model/index.ts';
import type { Program } from './program/program.ts';
import { consumerPaths, providerPaths } from './program/requestPaths.ts';

export function snapshotRequests(program: Program): readonly HttpRequest[] {
  const requests: HttpRequest[] = [];
  for (const provider of program.providers) {
    const paths = providerPaths(provider.uuid);
    requests.push(paths.readUsages, paths.readInventories, paths.readAllocations);
  }
  for (const consumer of program.consumers) requests.push(consumerPaths(consumer).read);
  return requests;
}
