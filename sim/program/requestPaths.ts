/**
 * The paths a run's requests name, one string per consumer or provider: the
 * setup, the clients and the final snapshot send several requests to each,
 * and every reader of a path (the target's and the model's memos keyed by
 * it) then meets one string whose hash is already computed, rather than a
 * new concatenation to flatten and hash each time. Bounded by wiping, at a
 * few runs' worth (a run names three or four consumers and two or three
 * providers): paths name a run's own uuids, and entries kept longer only
 * survive into the old generation.
 */
const consumerPaths = new Map<string, string>();
const providerPathSets = new Map<string, ProviderPaths>();
const CONSUMER_PATHS_MAX = 16;
const PROVIDER_PATHS_MAX = 8;

export interface ProviderPaths {
  readonly provider: string;
  readonly inventories: string;
  readonly usages: string;
  readonly allocations: string;
}

/** `/allocations/<consumer>`. */
export function consumerPath(consumer: string): string {
  let path = consumerPaths.get(consumer);
  if (path === undefined) {
    path = `/allocations/${consumer}`;
    if (consumerPaths.size >= CONSUMER_PATHS_MAX) consumerPaths.clear();
    consumerPaths.set(consumer, path);
  }
  return path;
}

/** `/resource_providers/<provider>` and the paths under it that runs name. */
export function providerPaths(provider: string): ProviderPaths {
  let paths = providerPathSets.get(provider);
  if (paths === undefined) {
    const base = `/resource_providers/${provider}`;
    paths = { provider: base, inventories: `${base}/inventories`, usages: `${base}/usages`, allocations: `${base}/allocations` };
    if (providerPathSets.size >= PROVIDER_PATHS_MAX) providerPathSets.clear();
    providerPathSets.set(provider, paths);
  }
  return paths;
}

/** The options of a request without a body at microversion 1.39, one object for all of them: `placementRequest` only reads its options. */
export const LATEST_WITHOUT_BODY: { readonly microversion: string } = { microversion: '1.39' };
