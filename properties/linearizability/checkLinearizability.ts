/**
 * Is a concurrent history explained by the model in some order consistent
 * with real time? (Operation A must precede B when A returned before B was
 * called; operations whose intervals overlap may go either way.)
 *
 * The history is split into independent partitions (`partition.ts`), each
 * searched from the same initial state (`searchPartition.ts`). Operations
 * with an unknown outcome may take effect at any moment after they were
 * called, or never; an unknown outcome of a read changes nothing and is
 * dropped up front. Pure: the only clock is the injected `now`.
 */
import type { State } from '../../model/index.ts';
import { idsIncrease, type History, type Operation } from '../../sim/history.ts';
import { operationFootprint } from './operationFootprint.ts';
import { partitionHistory, wholeHistory, type Partition } from './partition.ts';
import { isReadOnlyRequest, prepareOperation } from './preparedOperation.ts';
import type { BudgetExhausted, SearchBudget } from './searchBudget.ts';
import { searchPartition } from './searchPartition.ts';
import { buildWitness, type Witness } from './witness.ts';

export interface LinearizabilityOptions {
  /** Milliseconds on a monotonic scale: a real clock in the CLI, a fake one in tests. */
  readonly now: () => number;
  readonly timeLimitMs: number;
  /** Memory bound: most memoised states one partition's search may hold. */
  readonly statesMax: number;
  /**
   * `components` (the default) checks independent parts separately; `single`
   * checks the history as one, which is slower but needs no footprints: tests
   * compare the two to catch a footprint that misses a dependency.
   */
  readonly partitioning?: 'components' | 'single';
}

export const DEFAULT_TIME_LIMIT_MS = 60_000;
/**
 * Measured at about 1.3 KB of heap per memoised state (the memo key, the
 * interned fingerprint, the canonical texts of changed providers and
 * consumers), so about 650 MB at this bound, well inside node's default heap.
 */
export const DEFAULT_STATES_MAX = 500_000;

export interface CheckStatistics {
  readonly operationsCount: number;
  /** Reads with an unknown outcome: they constrain nothing, so they are not searched. */
  readonly ignoredOperationsCount: number;
  readonly partitionsCount: number;
  readonly partitionsCheckedCount: number;
  readonly largestPartitionOperationsCount: number;
  readonly statesCount: number;
  readonly stepsCount: number;
  /** Why everything is one partition, when it is. */
  readonly globalReason: string | null;
}

export type LinearizabilityResult =
  | {
      readonly kind: 'ok';
      /** Per partition, the operation ids in an order that explains them (unknown outcomes left out are taken never to happen). */
      readonly linearizations: readonly (readonly number[])[];
      readonly statistics: CheckStatistics;
    }
  | { readonly kind: 'illegal'; readonly witness: Witness; readonly statistics: CheckStatistics }
  | { readonly kind: 'unknown'; readonly reason: BudgetExhausted; readonly statistics: CheckStatistics };

export function checkLinearizability(history: History, initialState: State, options: LinearizabilityOptions): LinearizabilityResult {
  assertPositive('timeLimitMs', options.timeLimitMs);
  assertPositive('statesMax', options.statesMax);
  assertUniqueIds(history);
  const budget: SearchBudget = { now: options.now, deadlineAt: options.now() + options.timeLimitMs, statesMax: options.statesMax };
  const relevant = history.operations.filter((operation) => !(operation.completion.kind === 'unknown' && isReadOnlyRequest(operation)));
  // Sorted in place (`relevant` is this check's own array), and only when out of order: histories
  // come ordered by call, and ids are unique, so the order is total and sorting an ordered list changes nothing.
  const ordered = relevant;
  if (!isOrderedByCall(ordered)) ordered.sort(byCall);
  const footprints = ordered.map((operation) => operationFootprint(operation.request));
  const partitions =
    options.partitioning === 'single'
      ? [wholeHistory(ordered, footprints, 'partitioning was switched off')]
      : partitionHistory(ordered, initialState, footprints);

  const linearizations: number[][] = [];
  let firstUnknown: BudgetExhausted | null = null;
  let statesCount = 0;
  let stepsCount = 0;
  let partitionsCheckedCount = 0;

  for (const partition of partitions) {
    if (options.now() >= budget.deadlineAt) {
      firstUnknown ??= { kind: 'time', deadlineAt: budget.deadlineAt };
      break;
    }
    const prepared = partition.operations.map((operation, index) => prepareOperation(operation, partition.entities[index] ?? null));
    const verdict = searchPartition(prepared, initialState, partition.scope, budget);
    partitionsCheckedCount += 1;
    statesCount += verdict.statistics.statesCount;
    stepsCount += verdict.statistics.stepsCount;
    switch (verdict.kind) {
      case 'ok':
        linearizations.push(verdict.order.map((index) => prepared[index]?.operation.id ?? -1));
        break;
      case 'illegal':
        // One partition without a linearization settles the whole history.
        return {
          kind: 'illegal',
          witness: buildWitness(prepared, verdict.deadEnd, verdict.results),
          statistics: statisticsOf(history, relevant, partitions, partitionsCheckedCount, statesCount, stepsCount),
        };
      case 'unknown':
        // Keep going: another partition may still settle the history as illegal.
        firstUnknown ??= verdict.reason;
        break;
      default:
        return assertNever(verdict);
    }
  }
  const statistics = statisticsOf(history, relevant, partitions, partitionsCheckedCount, statesCount, stepsCount);
  if (firstUnknown !== null) return { kind: 'unknown', reason: firstUnknown, statistics };
  return { kind: 'ok', linearizations, statistics };
}

/**
 * The check's statistics once it stops. A function of the counts rather than
 * a closure over them: the TypeScript loader names a closure when it is
 * made, which costs more than the check's other bookkeeping.
 */
function statisticsOf(
  history: History,
  relevant: readonly Operation[],
  partitions: readonly Partition[],
  partitionsCheckedCount: number,
  statesCount: number,
  stepsCount: number,
): CheckStatistics {
  return {
    operationsCount: history.operations.length,
    ignoredOperationsCount: history.operations.length - relevant.length,
    partitionsCount: partitions.length,
    partitionsCheckedCount,
    largestPartitionOperationsCount: partitions.reduce((largest, partition) => Math.max(largest, partition.operations.length), 0),
    statesCount,
    stepsCount,
    globalReason: partitions[0]?.globalReason ?? null,
  };
}

function assertPositive(name: string, value: number): void {
  if (!(value > 0)) throw new Error(`${name} must be positive, got ${value}`);
}

/** By call, then by id. */
function byCall(left: Operation, right: Operation): number {
  return left.invokedAt - right.invokedAt || left.id - right.id;
}

function isOrderedByCall(operations: readonly Operation[]): boolean {
  for (let index = 1; index < operations.length; index += 1) {
    const before = operations[index - 1];
    const after = operations[index];
    if (before === undefined || after === undefined || !(byCall(before, after) < 0)) return false;
  }
  return true;
}

function assertUniqueIds(history: History): void {
  // Ids that grow along the history are unique without a set of them: the usual history.
  if (idsIncrease(history.operations)) return;
  const seen = new Set<number>();
  for (const operation of history.operations) {
    if (seen.has(operation.id)) throw new Error(`operation id ${operation.id} appears twice in the history`);
    seen.add(operation.id);
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
}
