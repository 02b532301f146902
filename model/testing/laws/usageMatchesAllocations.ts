/**
 * Law: every provider's usage of a class is the sum of the consumers'
 * allocation rows on it, and classes without usage are absent (no zeros).
 * The model stores usages separately for speed, so they can drift.
 */
import type { State } from '../../state.ts';
import type { StepLaw } from './stepLaw.ts';

export function usageProblem(state: State): string | null {
  const expected = new Map<string, Map<string, number>>();
  for (const consumer of state.consumers.values()) {
    for (const row of consumer.allocations) {
      if (!state.providers.has(row.providerUuid)) return `consumer ${consumer.uuid} has a row on missing provider ${row.providerUuid}`;
      if (!(row.used > 0)) return `consumer ${consumer.uuid} has a row with used ${row.used}`;
      const perClass = expected.get(row.providerUuid) ?? new Map<string, number>();
      perClass.set(row.resourceClass, (perClass.get(row.resourceClass) ?? 0) + row.used);
      expected.set(row.providerUuid, perClass);
    }
  }
  for (const provider of state.providers.values()) {
    const wanted = expected.get(provider.uuid) ?? new Map<string, number>();
    const shown = JSON.stringify([...provider.usages].sort());
    const summed = JSON.stringify([...wanted].sort());
    if (shown !== summed) return `provider ${provider.uuid} usages ${shown} but its allocations sum to ${summed}`;
  }
  return null;
}

export const usageMatchesAllocations: StepLaw = {
  name: 'usage equals the sum of allocations',
  check: (step) => usageProblem(step.after),
};
