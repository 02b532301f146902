/**
 * Capacity is never exceeded by allocation writes: in the final snapshot,
 * every class on every provider whose inventory the run did not change uses
 * at most (total - reserved) * allocation_ratio.
 */
import type { RunRecord } from '../runRecord.ts';
import { parseSnapshot } from '../snapshot.ts';
import type { Violation } from '../violation.ts';
import { providersWithInventoryChanges } from './touchedInventories.ts';

export function checkCapacity(run: RunRecord): Violation[] {
  const violations: Violation[] = [];
  const changed = providersWithInventoryChanges(run);
  for (const provider of parseSnapshot(run).providers) {
    if (!provider.exists || changed.has(provider.uuid)) continue;
    for (const [resourceClass, inventory] of Object.entries(provider.inventories)) {
      const used = provider.usages[resourceClass] ?? 0;
      const capacity = (inventory.total - inventory.reserved) * inventory.allocationRatio;
      if (used <= capacity) continue;
      const holders = Object.entries(provider.allocations)
        .filter(([, resources]) => (resources[resourceClass] ?? 0) > 0)
        .map(([consumer, resources]) => `${consumer} (${resources[resourceClass] ?? 0})`);
      violations.push({
        invariant: 'capacity',
        summary: `${resourceClass} on provider ${provider.uuid} is over-allocated: ${used} used of capacity ${capacity}`,
        explanation: [
          `Let provider ${provider.uuid} have ${resourceClass} total ${inventory.total}, reserved ${inventory.reserved}, allocation_ratio ${inventory.allocationRatio}: its capacity is (${inventory.total} - ${inventory.reserved}) x ${inventory.allocationRatio} = ${capacity}.`,
          `Then no inventory write changed it during the run, so only allocation writes changed its usage,`,
          `but the allocations of ${holders.length > 0 ? holders.join(', ') : 'consumers the API does not show'} add up to ${used}, and ${used} > ${capacity}.`,
        ],
        operations: provider.reads,
        data: { provider: provider.uuid, resourceClass, used, capacity, inventory },
      });
    }
  }
  return violations;
}
