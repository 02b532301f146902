/**
 * The limits every search runs under, so that a check always ends: a
 * deadline read from an injected clock (the checker never reads a clock of
 * its own, so tests can drive time) and a cap on memoised states, which is
 * what the search's memory grows with.
 */

export interface SearchBudget {
  /** Milliseconds on any monotonic scale; called every few hundred search steps. */
  readonly now: () => number;
  /** The search gives up when `now()` reaches this. */
  readonly deadlineAt: number;
  /** Most memoised (linearized set, state) pairs one partition's search may hold. */
  readonly statesMax: number;
}

/** Why a search gave up without a verdict. */
export type BudgetExhausted =
  | { readonly kind: 'time'; readonly deadlineAt: number }
  | { readonly kind: 'states'; readonly statesMax: number; readonly partitionOperationsCount: number };

/** Search steps between two readings of the clock: reading it costs more than a step. */
export const CLOCK_READ_INTERVAL = 64;

export function describeBudgetExhausted(reason: BudgetExhausted): string {
  switch (reason.kind) {
    case 'time':
      return 'the time limit ran out before the search reached a verdict; raise --time-limit-ms';
    case 'states':
      return (
        `a partition of ${reason.partitionOperationsCount} operations needed more than ${reason.statesMax} memoised states; ` +
        'raise --memory-states-max (memory grows with it)'
      );
    default:
      return assertNever(reason);
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
}
