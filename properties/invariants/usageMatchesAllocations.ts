/**
 * Provider usage equals the sum of the allocations the API shows on it. The
 * usage query counts every allocation row; the allocation listing joins
 * consumers. A difference means rows whose consumer is gone: allocations no
 * client can see, change or delete.
 */
import type { RunRecord } from '../runRecord.ts';
import { parseSnapshot } from '../snapshot.ts';
import type { Violation } from '../violation.ts';

export function checkUsageMatchesAllocations(run: RunRecord): Violation[] {
  const violations: Violation[] = [];
  for (const provider of parseSnapshot(run).providers) {
    if (!provider.exists) continue;
    for (const [resourceClass, used] of Object.entries(provider.usages)) {
      let visible = 0;
      for (const resources of Object.values(provider.allocations)) visible += resources[resourceClass] ?? 0;
      if (visible === used) continue;
      violations.push({
        invariant: 'usage-matches-allocations',
        summary: `${resourceClass} usage on ${provider.uuid} is ${used} but its visible allocations sum to ${visible}`,
        explanation: [
          `Let provider ${provider.uuid} report ${resourceClass} usage ${used} (GET .../usages counts every allocation row).`,
          `Then the allocations listed by GET .../allocations (rows joined with their consumer) must add up to ${used},`,
          `but they add up to ${visible}: ${used - visible} units belong to rows whose consumer no longer exists.`,
        ],
        operations: provider.reads,
        data: { provider: provider.uuid, resourceClass, used, visible },
      });
    }
  }
  return violations;
}
