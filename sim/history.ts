/**
 * What a run of a program produced: every request with when it started and
 * ended and what came back. The in-process target and live targets record
 * the same shape, so every checker reads both.
 */
import type { HttpRequest, HttpResponse } from '../model/index.ts';

/** A response, or the admission that we do not know what happened. */
export type Completion =
  | { readonly kind: 'response'; readonly response: HttpResponse }
  /**
   * A timeout or a connection error: the request may or may not have taken
   * effect, and checkers must allow both.
   */
  | { readonly kind: 'unknown'; readonly reason: string };

export interface Operation {
  /** Position in the history; unique. */
  readonly id: number;
  /** Client index (0-based); the setup prefix runs as client -1. */
  readonly client: number;
  /** Index of the request within its client's sequence. */
  readonly step: number;
  readonly request: HttpRequest;
  /**
   * Invocation and completion times. Logical ticks on the in-process target,
   * nanoseconds from the run's start on a live one; only their order matters
   * to checkers. `completedAt` is `null` for an unknown outcome that never
   * returned.
   */
  readonly invokedAt: number;
  readonly completedAt: number | null;
  readonly completion: Completion;
}

export interface History {
  /** Operations in order of invocation. */
  readonly operations: readonly Operation[];
}

/** Whether the operations' ids grow along the list, as a run records them: then they are unique and ordered, and can be searched. */
export function idsIncrease(operations: readonly Operation[]): boolean {
  for (let index = 1; index < operations.length; index += 1) {
    if (!((operations[index - 1]?.id ?? Number.NaN) < (operations[index]?.id ?? Number.NaN))) return false;
  }
  return true;
}
