/**
 * Law: after a successful allocation write, every (provider, class) the
 * request allocated is within its capacity, (total - reserved) * ratio as a
 * float, and no other usage grew.
 *
 * Only allocation writes are bound: an inventory update may legally leave
 * a provider over capacity (bug #1619722), and a later write that does not
 * allocate that class may succeed while the provider stays over.
 */
import { providerUuid } from '../modelSession.ts';
import { attemptedWrite, type ConsumerWriteSpec } from '../requestSpec.ts';
import { succeeded, type StepLaw } from './stepLaw.ts';

export const allocationWritesRespectCapacity: StepLaw = {
  name: 'a successful allocation write stays within capacity',
  check: (step) => {
    const write = succeeded(step) ? attemptedWrite(step.spec) : null;
    let writes: readonly ConsumerWriteSpec[];
    if (write?.kind === 'putAllocations') writes = [write.write];
    else if (write?.kind === 'postAllocations') writes = write.writes;
    else return null;
    const allocated = new Set<string>();
    for (const entry of writes) {
      for (const allocation of entry.allocations) {
        const provider = step.after.providers.get(providerUuid(allocation.provider));
        for (const [resourceClass] of allocation.resources) {
          allocated.add(`${providerUuid(allocation.provider)} ${resourceClass}`);
          const inventory = provider?.inventories.get(resourceClass);
          if (provider === undefined || inventory === undefined) return `allocated ${resourceClass} on ${providerUuid(allocation.provider)} without inventory`;
          const capacity = (inventory.total - inventory.reserved) * inventory.allocationRatio;
          const usage = provider.usages.get(resourceClass) ?? 0;
          if (usage > capacity) return `${resourceClass} on ${provider.uuid}: usage ${usage} exceeds capacity ${capacity}`;
        }
      }
    }
    for (const provider of step.after.providers.values()) {
      for (const [resourceClass, usage] of provider.usages) {
        if (allocated.has(`${provider.uuid} ${resourceClass}`)) continue;
        const previous = step.before.providers.get(provider.uuid)?.usages.get(resourceClass) ?? 0;
        if (usage > previous) return `${resourceClass} on ${provider.uuid} grew from ${previous} to ${usage} without being allocated`;
      }
    }
    return null;
  },
};
