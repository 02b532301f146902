/**
 * Which providers had their inventory changed by a successful request
 * during the run. Inventory may legally shrink below usage in Placement, so
 * checks on the final snapshot leave those providers to the
 * linearizability check.
 */
import type { RunRecord } from '../runRecord.ts';
import { statusOf } from '../runRecord.ts';
import { memoByIdentity } from '../../sim/memoByIdentity.ts';
import { clientOperations, RUNS_KEPT } from '../snapshot.ts';

const INVENTORY_PATH = /^\/resource_providers\/([^/?]+)\/inventories/;
const PROVIDERS_PREFIX = '/resource_providers/';

/** Per run: the capacity and unit-constraint invariants both ask. */
export const providersWithInventoryChanges: (run: RunRecord) => ReadonlySet<string> = memoByIdentity(providersWithInventoryChangesUncached, RUNS_KEPT);

function providersWithInventoryChangesUncached(run: RunRecord): ReadonlySet<string> {
  const changed = new Set<string>();
  for (const operation of clientOperations(run)) {
    // The expression's anchored start first: most writes are of allocations, and make no match.
    if (operation.request.method === 'GET' || !operation.request.path.startsWith(PROVIDERS_PREFIX)) continue;
    const match = INVENTORY_PATH.exec(operation.request.path);
    if (match === null || match[1] === undefined) continue;
    const status = statusOf(operation);
    // An unknown outcome may have changed the inventory too.
    if (status === null || (status >= 200 && status < 300)) changed.add(match[1]);
  }
  return changed;
}
