/**
 * The paths a run's requests name, one string per consumer or provider, and
 * the requests without a body sent to them, one object per path and
 * method: the setup, the clients and the final snapshot send several
 * requests to each, and programs name their providers and consumers by
 * role, so the same paths and reads recur run after run. Every reader of a
 * path (the target's and the model's memos keyed by it) then meets one
 * string whose hash is already computed, a client makes no new request
 * object for a read or a deletion it sent before, and what is worked out
 * from such a request alone (its decoding, its footprint) is worked out
 * once (`SharedRequest`). Requests are only read, so sharing them is
 * invisible. Bounded by wiping, at a few runs' worth (a
 * run names three or four consumers and two or three providers).
 */
import { sharedRequestWithoutBody, type HttpRequest } from '../../model/http.ts';

const consumerPathSets = new Map<string, ConsumerPaths>();
const providerPathSets = new Map<string, ProviderPaths>();
const CONSUMER_PATHS_MAX = 16;
const PROVIDER_PATHS_MAX = 8;

/** The microversion of every request made here. */
const LATEST = '1.39';

export interface ConsumerPaths {
  /** `/allocations/<consumer>`. */
  readonly allocations: string;
  /** GET and DELETE of `allocations` at 1.39. */
  readonly read: HttpRequest;
  readonly delete: HttpRequest;
}

export interface ProviderPaths {
  readonly provider: string;
  readonly inventories: string;
  readonly usages: string;
  readonly allocations: string;
  /** GETs of `usages`, `inventories` and `allocations`, and DELETE of `provider`, at 1.39. */
  readonly readUsages: HttpRequest;
  readonly readInventories: HttpRequest;
  readonly readAllocations: HttpRequest;
  readonly delete: HttpRequest;
  /** DELETEs of one class's inventory at 1.39, by class (a provider has a handful). */
  readonly deleteInventories: Map<string, HttpRequest>;
}

/** `/allocations/<consumer>` and its requests. */
export function consumerPaths(consumer: string): ConsumerPaths {
  let paths = consumerPathSets.get(consumer);
  if (paths === undefined) {
    const allocations = `/allocations/${consumer}`;
    paths = { allocations, read: sharedRequestWithoutBody('GET', allocations, LATEST), delete: sharedRequestWithoutBody('DELETE', allocations, LATEST) };
    if (consumerPathSets.size >= CONSUMER_PATHS_MAX) consumerPathSets.clear();
    consumerPathSets.set(consumer, paths);
  }
  return paths;
}

/** `/allocations/<consumer>`. */
export function consumerPath(consumer: string): string {
  return consumerPaths(consumer).allocations;
}

/** `/resource_providers/<provider>`, the paths under it that runs name, and their requests. */
export function providerPaths(provider: string): ProviderPaths {
  let paths = providerPathSets.get(provider);
  if (paths === undefined) {
    const base = `/resource_providers/${provider}`;
    const inventories = `${base}/inventories`;
    const usages = `${base}/usages`;
    const allocations = `${base}/allocations`;
    paths = {
      provider: base,
      inventories,
      usages,
      allocations,
      readUsages: sharedRequestWithoutBody('GET', usages, LATEST),
      readInventories: sharedRequestWithoutBody('GET', inventories, LATEST),
      readAllocations: sharedRequestWithoutBody('GET', allocations, LATEST),
      delete: sharedRequestWithoutBody('DELETE', base, LATEST),
      deleteInventories: new Map(),
    };
    if (providerPathSets.size >= PROVIDER_PATHS_MAX) providerPathSets.clear();
    providerPathSets.set(provider, paths);
  }
  return paths;
}

/** DELETE `/resource_providers/<provider>/inventories/<resourceClass>` at 1.39. */
export function deleteInventoryRequest(provider: string, resourceClass: string): HttpRequest {
  const paths = providerPaths(provider);
  let request = paths.deleteInventories.get(resourceClass);
  if (request === undefined) {
    request = sharedRequestWithoutBody('DELETE', `${paths.inventories}/${resourceClass}`, LATEST);
    // Bounded by wiping: programs name a handful of classes.
    if (paths.deleteInventories.size >= DELETE_INVENTORIES_MAX) paths.deleteInventories.clear();
    paths.deleteInventories.set(resourceClass, request);
  }
  return request;
}

const DELETE_INVENTORIES_MAX = 32;
