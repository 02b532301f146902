/**
 * Slots by request number for what is remembered per request id (see
 * `RequestScope.requestNumber`): a target numbers its requests from 1 in
 * every run, so the same ids recur under the same numbers run after run,
 * and a slot in a list by number is found without hashing the id.
 */

/** What is kept for a request number: the id it was kept for (a number given with another id misses), and the value. */
export interface IdSlot<T> {
  readonly requestId: string;
  readonly value: T;
}

/** Request numbers with a slot: the first few thousand. */
const SLOT_NUMBERS = 4_096;

export function isSlotNumber(number: number): boolean {
  return Number.isInteger(number) && number >= 0 && number < SLOT_NUMBERS;
}
