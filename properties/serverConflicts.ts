/**
 * Conflicts the server detects itself (a compare-and-set of a provider or
 * consumer generation that lost a race), as opposed to a generation the
 * client sent that does not match. Placement answers them with 409
 * `placement.concurrent_update`; the request had no effect. They are
 * legitimate when another request touching the same provider or consumer
 * ran at the same time, and spurious otherwise.
 */
import type { Operation } from '../sim/history.ts';
import { memoByIdentity } from '../sim/memoByIdentity.ts';
import { responseOf } from './runRecord.ts';

const SERVER_CONFLICT = /Inventory and\/or allocations changed while attempting to allocate|Another thread concurrently updated/;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

export function isServerConflict(operation: Operation): boolean {
  // The status first: it rules out most operations without reading a body.
  if (operation.completion.kind !== 'response' || operation.completion.response.status !== 409) return false;
  const response = responseOf(operation);
  if (response === null || response.status !== 409) return false;
  const errors = (response.body as { errors?: unknown } | null)?.errors;
  const first: unknown = Array.isArray(errors) ? errors[0] : undefined;
  const detail = typeof first === 'object' && first !== null ? (first as { detail?: unknown }).detail : undefined;
  return typeof detail === 'string' && SERVER_CONFLICT.test(detail);
}

// Each conflict is compared with every overlapping write, by two invariants.
/** Provider and consumer uuids a request names in its path or body. */
export const touchedUuids: (operation: Operation) => ReadonlySet<string> = memoByIdentity(
  (operation) => new Set(`${operation.request.path} ${operation.request.body ?? ''}`.match(UUID) ?? []),
);

function writes(operation: Operation): boolean {
  return operation.request.method !== 'GET';
}

/**
 * The verdicts known, by conflict, with the history they were reached in:
 * the conflicts-justified invariant and the linearizability check ask the
 * same question of every server conflict of a run (a few dozen per run on
 * the 8.0.0 profile), and each answer scans the whole history. Keys are held
 * weakly, so a verdict lives as long as its operation.
 */
const justifiedVerdicts = new WeakMap<Operation, { readonly operations: readonly Operation[]; readonly justified: boolean }>();

/** Another write overlapping it in time names one of the same providers or consumers. */
export function conflictIsJustified(operation: Operation, operations: readonly Operation[]): boolean {
  const known = justifiedVerdicts.get(operation);
  if (known !== undefined && known.operations === operations) return known.justified;
  const justified = anOverlappingWriteTouchesTheSame(operation, operations);
  justifiedVerdicts.set(operation, { operations, justified });
  return justified;
}

function anOverlappingWriteTouchesTheSame(operation: Operation, operations: readonly Operation[]): boolean {
  const mine = touchedUuids(operation);
  const ended = operation.completedAt ?? Number.POSITIVE_INFINITY;
  return operations.some((other) => {
    if (other.id === operation.id || !writes(other)) return false;
    const otherEnded = other.completedAt ?? Number.POSITIVE_INFINITY;
    if (!(other.invokedAt < ended && otherEnded > operation.invokedAt)) return false;
    for (const uuid of touchedUuids(other)) if (mine.has(uuid)) return true;
    return false;
  });
}
