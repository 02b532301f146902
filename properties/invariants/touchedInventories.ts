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

const PROVIDERS_PREFIX = '/resource_providers/';
const INVENTORIES = '/inventories';

/** Per run: the capacity and unit-constraint invariants both ask. */
export const providersWithInventoryChanges: (run: RunRecord) => ReadonlySet<string> = memoByIdentity(providersWithInventoryChangesUncached, RUNS_KEPT);

function providersWithInventoryChangesUncached(run: RunRecord): ReadonlySet<string> {
  const changed = new Set<string>();
  for (const operation of clientOperations(run)) {
    // The prefix first: most writes are of allocations.
    if (operation.request.method === 'GET' || !operation.request.path.startsWith(PROVIDERS_PREFIX)) continue;
    const provider = inventoriesProvider(operation.request.path);
    if (provider === null) continue;
    const status = statusOf(operation);
    // An unknown outcome may have changed the inventory too.
    if (status === null || (status >= 200 && status < 300)) changed.add(provider);
  }
  return changed;
}

/**
 * What `^/resource_providers/([^/?]+)/inventories` captures in `path` (which
 * starts with the prefix), read in place: the segment runs to the first
 * slash or question mark, and is followed by `/inventories`. (The
 * expression could not match a shorter segment either: the character after
 * it would be neither.)
 */
function inventoriesProvider(path: string): string | null {
  const start = PROVIDERS_PREFIX.length;
  let end = start;
  while (end < path.length) {
    const code = path.charCodeAt(end);
    if (code === SLASH || code === QUESTION_MARK) break;
    end += 1;
  }
  return end > start && path.startsWith(INVENTORIES, end) ? path.slice(start, end) : null;
}

const SLASH = 0x2f;
const QUESTION_MARK = 0x3f;
