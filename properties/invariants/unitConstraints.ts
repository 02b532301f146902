/**
 * Allocation amounts respect min_unit, max_unit and step_size: every
 * allocation in the final snapshot, on a provider whose inventory the run
 * did not change, fits its inventory's unit rules.
 */
import type { RunRecord } from '../runRecord.ts';
import { parseSnapshot } from '../snapshot.ts';
import type { Violation } from '../violation.ts';
import { providersWithInventoryChanges } from './touchedInventories.ts';

export function checkUnitConstraints(run: RunRecord): Violation[] {
  const violations: Violation[] = [];
  const changed = providersWithInventoryChanges(run);
  for (const provider of parseSnapshot(run).providers) {
    if (!provider.exists || changed.has(provider.uuid)) continue;
    for (const [consumer, resources] of Object.entries(provider.allocations)) {
      for (const [resourceClass, amount] of Object.entries(resources)) {
        const inventory = provider.inventories[resourceClass];
        if (inventory === undefined) continue;
        const fits = amount >= inventory.minUnit && amount <= inventory.maxUnit && amount % inventory.stepSize === 0;
        if (fits) continue;
        violations.push({
          invariant: 'unit-constraints',
          summary: `consumer ${consumer} holds ${amount} ${resourceClass} on ${provider.uuid}, outside min ${inventory.minUnit}, max ${inventory.maxUnit}, step ${inventory.stepSize}`,
          explanation: [
            `Let ${resourceClass} on provider ${provider.uuid} have min_unit ${inventory.minUnit}, max_unit ${inventory.maxUnit} and step_size ${inventory.stepSize}, unchanged during the run.`,
            `Then every allocation of it must be a multiple of ${inventory.stepSize} between ${inventory.minUnit} and ${inventory.maxUnit},`,
            `but consumer ${consumer} holds ${amount}.`,
          ],
          operations: provider.reads,
          data: { provider: provider.uuid, consumer, resourceClass, amount, inventory },
        });
      }
    }
  }
  return violations;
}
