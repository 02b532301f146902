/**
 * What makes two mismatches "the same" while shrinking: the same kind of
 * request (method and route, ids left out) getting the same pair of
 * statuses, with differences in the same places. Shrinking keeps a smaller
 * sequence only if it still shows this signature, so it cannot drift to an
 * unrelated mismatch on the way.
 */
import type { SequenceRun } from './runSequence.ts';

/** Path segments that follow these name an object, not a route. */
const COLLECTIONS: ReadonlySet<string> = new Set(['resource_providers', 'allocations', 'traits', 'resource_classes', 'inventories']);

export function routeOf(path: string): string {
  const segments = (path.split('?')[0] ?? '').split('/');
  return segments.map((segment, index) => (index > 0 && COLLECTIONS.has(segments[index - 1] ?? '') ? '{}' : segment)).join('/');
}

/** `null` when the run did not end in an unexplained mismatch. */
export function mismatchSignature(run: SequenceRun): string | null {
  if (run.verdict.kind !== 'mismatch') return null;
  const step = run.steps[run.verdict.index];
  if (step === undefined || step.real.kind !== 'response') return null;
  const places = [...new Set(run.verdict.differences.map((difference) => difference.where))].sort().join(', ');
  return `${step.request.method} ${routeOf(step.request.path)}: model ${step.model.status}, real ${step.real.response.status}; differs in ${places}`;
}
