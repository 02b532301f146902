/**
 * One level of the linearizability search: the operations that may take
 * effect next, in the order to try them.
 *
 * The candidates are the calls before the first return left in the event
 * list. Any order of trying them is complete; the order only decides how
 * soon a linearization is found:
 * 1. reads and refused requests first (cheap, and committed when explained);
 * 2. then other known outcomes, the earliest to return first (the most urgent);
 * 3. then unknown outcomes, as late as the responses allow, except an unknown
 *    outcome that makes the most urgent candidate explainable when it is not
 *    explainable yet: that one goes first, since it is probably what happened.
 * A level is born failed when a pending read saw a provider generation the
 * state has already passed (`providerGenerationObservations.ts`).
 */
import { handle, type Handled, type State } from '../../model/index.ts';
import type { Entry } from './entryList.ts';
import type { PreparedOperation } from './preparedOperation.ts';
import { isPastObservation, type ProviderGenerationObservation } from './providerGenerationObservations.ts';
import { compareResponses } from './responseMatch.ts';

export interface Level {
  readonly candidates: readonly Entry[];
  /** Index of the next candidate to try. */
  next: number;
  /** Model results already computed in this level's state, by operation index. */
  readonly handled: Map<number, Handled>;
}

/** What the search knows about its operations, computed once per partition. */
export interface LevelContext {
  readonly operations: readonly PreparedOperation[];
  readonly priorities: readonly TryingPriority[];
  readonly observations: readonly (readonly ProviderGenerationObservation[])[];
  /** Entity keys each operation names (`null`: anything), to guess which unknown outcome a read needs. */
  readonly footprintKeys: readonly (ReadonlySet<string> | null)[];
}

/** Lower tiers first, then earlier times. */
export interface TryingPriority {
  readonly tier: number;
  readonly time: number;
}

export function openLevel(head: Entry, state: State, context: LevelContext): Level {
  const handled = new Map<number, Handled>();
  const candidates: Entry[] = [];
  // Bounded by the length of the list.
  for (let entry = head.next; entry !== null && entry.kind === 'call'; entry = entry.next) candidates.push(entry);
  const doomed = candidates.some((entry) => isPastObservation(state, context.observations[entry.operationIndex] ?? []));
  if (doomed) return { candidates, next: candidates.length, handled };
  const priority = (entry: Entry): TryingPriority => context.priorities[entry.operationIndex] ?? { tier: 0, time: 0 };
  candidates.sort((left, right) => {
    const leftPriority = priority(left);
    const rightPriority = priority(right);
    return leftPriority.tier - rightPriority.tier || leftPriority.time - rightPriority.time || left.operationIndex - right.operationIndex;
  });
  const firstUnknown = candidates.findIndex((entry) => context.operations[entry.operationIndex]?.observed === null);
  if (firstUnknown > 0) promoteNeededUnknown(candidates, firstUnknown, state, context, handled);
  return { candidates, next: 0, handled };
}

/** Moves to the front the unknown outcomes that would make the most urgent known candidate explainable. */
function promoteNeededUnknown(candidates: Entry[], firstUnknown: number, state: State, context: LevelContext, handled: Map<number, Handled>): void {
  let urgent: Entry | null = null;
  for (const entry of candidates.slice(0, firstUnknown)) {
    const returnedAt = context.operations[entry.operationIndex]?.returnedAt ?? Number.POSITIVE_INFINITY;
    if (urgent === null || returnedAt < (context.operations[urgent.operationIndex]?.returnedAt ?? Number.POSITIVE_INFINITY)) urgent = entry;
  }
  if (urgent === null) return;
  const target = context.operations[urgent.operationIndex];
  if (target === undefined || target.observed === null) return;
  const now = handle(state, target.operation.request);
  handled.set(urgent.operationIndex, now);
  if (compareResponses(now.response, target.observed) === null) return;
  const targetKeys = context.footprintKeys[urgent.operationIndex] ?? null;
  const needed: Entry[] = [];
  for (const entry of candidates.slice(firstUnknown)) {
    const unknownKeys = context.footprintKeys[entry.operationIndex] ?? null;
    if (targetKeys !== null && unknownKeys !== null && ![...unknownKeys].some((key) => targetKeys.has(key))) continue;
    const unknown = context.operations[entry.operationIndex];
    if (unknown === undefined) continue;
    const after = handle(state, unknown.operation.request);
    handled.set(entry.operationIndex, after);
    if (compareResponses(handle(after.state, target.operation.request).response, target.observed) === null) needed.push(entry);
  }
  if (needed.length === 0) return;
  const rest = candidates.filter((entry) => !needed.includes(entry));
  candidates.splice(0, candidates.length, ...needed, ...rest);
}
