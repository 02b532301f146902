/**
 * The Wing-Gong search with Lowe's memoisation, as Porcupine runs it, over
 * one partition of a history.
 *
 * The events (calls and returns) sit in a linked list in time order. At each
 * level of the search, the candidates are the operations called before the
 * first return left in the list. Try them one by one: run the operation on
 * the model, and if the model's response explains the observed one and the
 * pair (linearized set, state fingerprint) is new, remember the pair, lift
 * the operation's events out of the list, and go one level deeper. When no
 * candidate works, the operation returning first was not placed in time:
 * undo the last choice and try the next candidate at that level. The
 * partition is linearizable when every operation with a known outcome is
 * placed; operations with unknown outcomes left over are taken to happen
 * after everything else, or never, which no response can tell apart.
 *
 * Refinements over Porcupine:
 * - Candidates are tried in a chosen order (`openLevel.ts`): reads first, then
 *   the writes a pending read needs, then other writes, then unknown outcomes.
 *   Any order is complete; a good one backtracks far less.
 * - An operation whose outcome is unknown has no return event, so it stays a
 *   candidate until the end, and its response is never compared. Unknown
 *   outcomes are taken as late as the responses allow, which is right when
 *   they were lost, and keeps the search from trying every timed-out request
 *   at every level first.
 * - A level where a pending read saw a provider generation the state has
 *   already passed fails at once (`providerGenerationObservations.ts`).
 * - An unknown outcome that would change nothing at a level is not placed
 *   there: leaving it for later (or never) keeps every option open.
 * - An observationally pure operation (a GET, or a refused request; see
 *   `preparedOperation.ts`) that is explained now is committed: if nothing
 *   works after placing it now, nothing works after placing it later either,
 *   so the search backtracks past it instead of trying alternatives.
 *
 * Every loop is bounded: each level adds a memo entry (at most `statesMax`),
 * each level tries each operation at most once, and each backtrack removes a
 * level. The clock is read every `CLOCK_READ_INTERVAL` steps.
 */
import type { State } from '../../model/index.ts';
import { buildEntryList, lift, unlift, type Entry } from './entryList.ts';
import { LinearizedSet } from './linearizedSet.ts';
import { ModelResults, StateNode } from './modelResults.ts';
import type { PreparedOperation } from './preparedOperation.ts';
import { nextCandidate, openLevel, type Level, type LevelContext, type TryingPriority } from './openLevel.ts';
import { possiblyDeletedProviders, type ProviderGenerationObservation } from './providerGenerationObservations.ts';
import { CLOCK_READ_INTERVAL, type BudgetExhausted, type SearchBudget } from './searchBudget.ts';
import type { FingerprintScope } from './stateFingerprint.ts';
import { VisitedStates, type Position } from './visitedStates.ts';

/** The furthest the search got: a prefix every response of which the model explains. */
export interface DeadEnd {
  /** Indices into the partition's operations, in linearized order. */
  readonly prefix: readonly number[];
  /** The model's state after the prefix. */
  readonly state: State;
  /** That state's node, whose results the search asked (`modelResults.ts`). */
  readonly node: StateNode;
}

export interface SearchStatistics {
  readonly statesCount: number;
  readonly stepsCount: number;
}

export type PartitionVerdict =
  | { readonly kind: 'ok'; readonly order: readonly number[]; readonly statistics: SearchStatistics }
  /** `results` holds the model's answers the search computed, which the witness asks again of the dead end's state. */
  | { readonly kind: 'illegal'; readonly deadEnd: DeadEnd; readonly results: ModelResults; readonly statistics: SearchStatistics }
  | { readonly kind: 'unknown'; readonly reason: BudgetExhausted; readonly statistics: SearchStatistics };

interface Choice {
  readonly level: Level;
  readonly entry: Entry;
  /** The state before the choice (as its node), and the search's position there. */
  readonly node: StateNode;
  readonly position: Position;
  /** A pure operation placed as soon as it was explained: no alternatives at its level. */
  readonly committed: boolean;
}

export function searchPartition(
  operations: readonly PreparedOperation[],
  initialState: State,
  scope: FingerprintScope,
  budget: SearchBudget,
): PartitionVerdict {
  const head = buildEntryList(operations);
  const context = new PartitionContext(operations);
  const linearized = new LinearizedSet(operations.map((prepared) => !prepared.outcomeKnown));
  const memo = new VisitedStates(scope);
  const choices: Choice[] = [];
  let knownRemaining = operations.filter((prepared) => prepared.outcomeKnown).length;
  let node = new StateNode(initialState);
  let position = VisitedStates.start(initialState);
  let deadEnd: DeadEnd = { prefix: [], state: initialState, node };
  let level = openLevel(head, node, context);
  let stepsCount = 0;
  // Each level tries each operation at most once; there are at most `statesMax` levels
  // opened, and each backtrack reopens one of them.
  const stepsMax = (2 * budget.statesMax + 2) * (operations.length + 2);

  while (knownRemaining > 0) {
    stepsCount += 1;
    if (stepsCount > stepsMax) throw new Error(`search exceeded its step bound ${stepsMax}: a bug in the checker`);
    if (stepsCount % CLOCK_READ_INTERVAL === 0 && budget.now() >= budget.deadlineAt) {
      return { kind: 'unknown', reason: { kind: 'time', deadlineAt: budget.deadlineAt }, statistics: statisticsOf(memo, stepsCount) };
    }
    const entry = nextCandidate(level, node, context);
    if (entry !== undefined) {
      level.next += 1;
      const prepared = requireOperation(operations, entry.operationIndex);
      const handled = context.results.explainingAnswer(node, entry.operationIndex);
      if (handled === null) continue;
      const next = VisitedStates.step(position, handled.state);
      // An unknown outcome that changes nothing here is better left for later or never:
      // every continuation after placing it is also open without it.
      if (!prepared.outcomeKnown && memo.same(next, position)) continue;
      const committed = prepared.observationallyPure && memo.same(next, position);
      linearized.add(entry.operationIndex);
      const visit = memo.visit(linearized.key(), next, budget.statesMax);
      if (visit === 'full') {
        const reason: BudgetExhausted = { kind: 'states', statesMax: budget.statesMax, partitionOperationsCount: operations.length };
        return { kind: 'unknown', reason, statistics: statisticsOf(memo, stepsCount) };
      }
      if (visit === 'new') {
        choices.push({ level, entry, node, position, committed });
        node = handled;
        position = next;
        lift(entry);
        if (prepared.outcomeKnown) knownRemaining -= 1;
        level = openLevel(head, node, context);
        continue;
      }
      linearized.remove(entry.operationIndex);
      // A committed operation whose continuation already failed fails the whole level.
      if (!committed) continue;
    }

    // This level fails: no candidate is left, or a committed one failed before.
    if (choices.length > deadEnd.prefix.length) {
      deadEnd = { prefix: choices.map((choice) => choice.entry.operationIndex), state: node.state, node };
    }
    // Undo choices until one has alternatives left; each pass removes one choice.
    for (;;) {
      const choice = choices.pop();
      if (choice === undefined) return { kind: 'illegal', deadEnd, results: context.results, statistics: statisticsOf(memo, stepsCount) };
      node = choice.node;
      position = choice.position;
      linearized.remove(choice.entry.operationIndex);
      unlift(choice.entry);
      if (requireOperation(operations, choice.entry.operationIndex).outcomeKnown) knownRemaining += 1;
      if (!choice.committed) {
        level = choice.level;
        break;
      }
    }
  }
  return { kind: 'ok', order: choices.map((choice) => choice.entry.operationIndex), statistics: statisticsOf(memo, stepsCount) };
}

/** A function rather than a closure over the counts: the TypeScript loader names a closure when it is made, at every search. */
function statisticsOf(memo: VisitedStates, stepsCount: number): SearchStatistics {
  return { statesCount: memo.size, stepsCount };
}

/** What the search's levels read about the partition (`LevelContext`), one object per search. */
class PartitionContext implements LevelContext {
  readonly operations: readonly PreparedOperation[];
  readonly priorities: readonly TryingPriority[];
  readonly results: ModelResults;
  private readonly deletable: ReadonlySet<string>;
  /** Worked out for an operation when it first becomes a candidate: most never do. */
  private readonly observations: (readonly ProviderGenerationObservation[] | undefined)[];

  constructor(operations: readonly PreparedOperation[]) {
    this.operations = operations;
    this.priorities = operations.map(tryingPriority);
    this.results = new ModelResults(operations);
    this.deletable = possiblyDeletedProviders(operations);
    this.observations = new Array<readonly ProviderGenerationObservation[] | undefined>(operations.length);
  }

  observationsOf(operationIndex: number): readonly ProviderGenerationObservation[] {
    let known = this.observations[operationIndex];
    if (known === undefined) {
      const seen = this.operations[operationIndex]?.observedGenerations ?? [];
      const deletable = this.deletable;
      known = deletable.size === 0 ? seen : seen.filter((observation) => !deletable.has(observation.providerUuid));
      this.observations[operationIndex] = known;
    }
    return known;
  }
}

/**
 * Pure operations first, then other known outcomes, then unknown outcomes; by
 * call within each. (Trying writes by call did much better on the benchmark's
 * histories than by return or by the middle of the interval.)
 */
function tryingPriority(prepared: PreparedOperation): TryingPriority {
  if (!prepared.outcomeKnown) return { tier: 2, time: prepared.invokedAt };
  if (prepared.observationallyPure) return { tier: 0, time: prepared.invokedAt };
  return { tier: 1, time: prepared.invokedAt };
}

function requireOperation(operations: readonly PreparedOperation[], index: number): PreparedOperation {
  const prepared = operations[index];
  if (prepared === undefined) throw new Error(`no operation at index ${index}`);
  return prepared;
}
