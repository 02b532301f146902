/**
 * The Wing-Gong search with Lowe's memoisation, as Porcupine runs it, over
 * one partition of a history.
 *
 * Walk the list of call and return events. At a call, try to linearize the
 * operation next: run it on the model, and if the model's response explains
 * the observed one and the pair (linearized set, state fingerprint) is new,
 * remember the pair, lift the operation's events out of the list and start
 * again from the front. At a return, the operation returning there was not
 * linearized in time: undo the last choice and try the next call after it.
 * The partition is linearizable when every operation with a known outcome is
 * linearized; operations with unknown outcomes that are left over are taken
 * to happen after everything else, or never, which no response can tell apart.
 *
 * Two refinements:
 * - An operation whose outcome is unknown has no return event, so it stays a
 *   candidate until the end, and its response is never compared.
 * - An observationally pure operation (a GET, or a refused request; see
 *   `preparedOperation.ts`) that is explained now is committed: if nothing
 *   works after placing it now, nothing works after placing it later either,
 *   so the search backtracks past it instead of trying alternatives.
 *
 * Every loop is bounded: each lift adds a memo entry (at most `statesMax`),
 * between two lifts the walk visits each event at most once, and each
 * backtrack undoes a lift. The clock is read every `CLOCK_READ_INTERVAL` steps.
 */
import { handle, type State } from '../../model/index.ts';
import { buildEntryList, lift, unlift, type Entry } from './entryList.ts';
import { LinearizedSet } from './linearizedSet.ts';
import type { PreparedOperation } from './preparedOperation.ts';
import { compareResponses } from './responseMatch.ts';
import { CLOCK_READ_INTERVAL, type BudgetExhausted, type SearchBudget } from './searchBudget.ts';
import { StateFingerprinter, type FingerprintScope } from './stateFingerprint.ts';

/** The furthest the search got: a prefix every response of which the model explains. */
export interface DeadEnd {
  /** Indices into the partition's operations, in linearized order. */
  readonly prefix: readonly number[];
  /** The model's state after the prefix. */
  readonly state: State;
}

export interface SearchStatistics {
  readonly statesCount: number;
  readonly stepsCount: number;
}

export type PartitionVerdict =
  | { readonly kind: 'ok'; readonly order: readonly number[]; readonly statistics: SearchStatistics }
  | { readonly kind: 'illegal'; readonly deadEnd: DeadEnd; readonly statistics: SearchStatistics }
  | { readonly kind: 'unknown'; readonly reason: BudgetExhausted; readonly statistics: SearchStatistics };

interface Choice {
  readonly entry: Entry;
  /** The state and its fingerprint id before the choice. */
  readonly state: State;
  readonly fingerprintId: number;
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
  const fingerprinter = new StateFingerprinter(scope);
  const fingerprintIds = new Map<string, number>();
  const internFingerprint = (state: State): number => {
    const fingerprint = fingerprinter.fingerprint(state);
    let id = fingerprintIds.get(fingerprint);
    if (id === undefined) {
      id = fingerprintIds.size;
      fingerprintIds.set(fingerprint, id);
    }
    return id;
  };
  const linearized = new LinearizedSet(operations.map((prepared) => prepared.observed === null));
  const memo = new Set<string>();
  const choices: Choice[] = [];
  let knownRemaining = operations.filter((prepared) => prepared.observed !== null).length;
  let state = initialState;
  let fingerprintId = internFingerprint(state);
  let deadEnd: DeadEnd = { prefix: [], state };
  let entry = head.next;
  let stepsCount = 0;
  // Between two lifts or backtracks the walk visits each event once; there are at most
  // `statesMax` lifts and as many backtracks.
  const stepsMax = (2 * budget.statesMax + 2) * (2 * operations.length + 3);
  const statistics = (): SearchStatistics => ({ statesCount: memo.size, stepsCount });

  while (knownRemaining > 0) {
    stepsCount += 1;
    if (stepsCount > stepsMax) throw new Error(`search exceeded its step bound ${stepsMax}: a bug in the checker`);
    if (stepsCount % CLOCK_READ_INTERVAL === 0 && budget.now() >= budget.deadlineAt) {
      return { kind: 'unknown', reason: { kind: 'time', deadlineAt: budget.deadlineAt }, statistics: statistics() };
    }
    if (entry === null) throw new Error('walked off the event list with operations left: a bug in the checker');

    let levelFails = entry.kind === 'return';
    if (entry.kind === 'call') {
      const prepared = requireOperation(operations, entry.operationIndex);
      const handled = handle(state, prepared.operation.request);
      const explained = prepared.observed === null || compareResponses(handled.response, prepared.observed) === null;
      if (!explained) {
        entry = entry.next;
        continue;
      }
      const nextFingerprintId = internFingerprint(handled.state);
      const committed = prepared.observationallyPure && nextFingerprintId === fingerprintId;
      linearized.add(entry.operationIndex);
      const key = `${linearized.key()}#${nextFingerprintId}`;
      if (!memo.has(key)) {
        if (memo.size >= budget.statesMax) {
          const reason: BudgetExhausted = { kind: 'states', statesMax: budget.statesMax, partitionOperationsCount: operations.length };
          return { kind: 'unknown', reason, statistics: statistics() };
        }
        memo.add(key);
        choices.push({ entry, state, fingerprintId, committed });
        state = handled.state;
        fingerprintId = nextFingerprintId;
        lift(entry);
        if (prepared.observed !== null) knownRemaining -= 1;
        entry = head.next;
        continue;
      }
      linearized.remove(entry.operationIndex);
      // A committed operation whose continuation already failed fails the whole level.
      if (!committed) {
        entry = entry.next;
        continue;
      }
      levelFails = true;
    }
    if (!levelFails) throw new Error('unreachable: a call entry fell through');

    if (choices.length > deadEnd.prefix.length) {
      deadEnd = { prefix: choices.map((choice) => choice.entry.operationIndex), state };
    }
    // Undo choices until one has alternatives left; each pass removes one choice.
    for (;;) {
      const choice = choices.pop();
      if (choice === undefined) return { kind: 'illegal', deadEnd, statistics: statistics() };
      state = choice.state;
      fingerprintId = choice.fingerprintId;
      linearized.remove(choice.entry.operationIndex);
      unlift(choice.entry);
      if (requireOperation(operations, choice.entry.operationIndex).observed !== null) knownRemaining += 1;
      if (!choice.committed) {
        entry = choice.entry.next;
        break;
      }
    }
  }
  return { kind: 'ok', order: choices.map((choice) => choice.entry.operationIndex), statistics: statistics() };
}

function requireOperation(operations: readonly PreparedOperation[], index: number): PreparedOperation {
  const prepared = operations[index];
  if (prepared === undefined) throw new Error(`no operation at index ${index}`);
  return prepared;
}
