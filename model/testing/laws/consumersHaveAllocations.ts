/**
 * Law: a consumer exists only while it has allocations.
 *
 * Note for the model owner: the real 8.0.0 leaves an allocation-less
 * consumer behind in two cases (a write that fails 400 for a missing
 * provider, and a 1.28+ write of `{}` for a new consumer; see
 * model/rules/consumers.test.ts). Modelling those means weakening this law
 * to "a consumer without allocations has generation 0 and was named by
 * such a request".
 */
import type { StepLaw } from './stepLaw.ts';

export const consumersHaveAllocations: StepLaw = {
  name: 'a consumer exists only while it has allocations',
  check: (step) => {
    for (const consumer of step.after.consumers.values()) {
      if (consumer.allocations.length === 0) return `consumer ${consumer.uuid} exists without allocations`;
    }
    return null;
  },
};
