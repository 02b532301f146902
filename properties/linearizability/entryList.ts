/**
 * The doubly linked list of call and return events that the Wing-Gong /
 * Lowe search walks (as in Porcupine): events in time order, each call
 * pointing to its return. Linearizing an operation lifts both of its events
 * out of the list; backtracking puts them back in O(1).
 */

export interface Entry {
  readonly kind: 'head' | 'call' | 'return';
  /** Index of the operation in the partition's list; -1 for the head. */
  readonly operationIndex: number;
  /** A call's return, or a return's call; `null` for the head. */
  match: Entry | null;
  previous: Entry | null;
  next: Entry | null;
}

/** When an operation was called and when it returned (Infinity: never known). */
export interface Interval {
  readonly invokedAt: number;
  readonly returnedAt: number;
}

/**
 * Builds the list and returns its head (a sentinel before the first event).
 * At equal times calls come before returns: an operation that returned at
 * the instant another was called is concurrent with it, since real-time order
 * only binds operations whose intervals are strictly apart.
 */
export function buildEntryList(intervals: readonly Interval[]): Entry {
  // The events in order of (time, call before return, operation index): the calls and the returns each
  // in order of (time, index), merged with a call first at equal times. No event objects, and the calls
  // usually need no sorting (histories come ordered by call).
  const calls = byTime(intervals, (interval) => interval.invokedAt);
  const returns = byTime(intervals, (interval) => interval.returnedAt);
  const head: Entry = { kind: 'head', operationIndex: -1, match: null, previous: null, next: null };
  // Calls by operation index: indices are dense, so an array serves as the map.
  const callEntries = new Array<Entry | undefined>(intervals.length);
  let last = head;
  let callAt = 0;
  let returnAt = 0;
  while (callAt < calls.length || returnAt < returns.length) {
    const call = calls[callAt];
    const returned = returns[returnAt];
    // `!(a > b)` rather than `a <= b`: two infinite times are equal here, as in a sort by time.
    const takeCall = call !== undefined && (returned === undefined || !(timeOf(intervals, call, 'call') > timeOf(intervals, returned, 'return')));
    const operationIndex = takeCall ? call : (returned ?? -1);
    const entry: Entry = { kind: takeCall ? 'call' : 'return', operationIndex, match: null, previous: last, next: null };
    last.next = entry;
    last = entry;
    if (takeCall) {
      callAt += 1;
      callEntries[operationIndex] = entry;
    } else {
      returnAt += 1;
      const callEntry = callEntries[operationIndex];
      if (callEntry === undefined) throw new Error(`return before call for operation ${operationIndex}`);
      callEntry.match = entry;
      entry.match = callEntry;
    }
  }
  return head;
}

/** Operation indices in order of `time`, then index; an ordered list is left as it is. */
function byTime(intervals: readonly Interval[], time: (interval: Interval) => number): number[] {
  // Filled by index at its final length: pushing onto an empty array grows it several times.
  const order = new Array<number>(intervals.length);
  let ordered = true;
  let previous = Number.NEGATIVE_INFINITY;
  for (let index = 0; index < intervals.length; index += 1) {
    const at = time(intervals[index] ?? NEVER);
    // Equal times keep index order; NaN never comes from a history but would need sorting.
    if (!(at >= previous)) ordered = false;
    previous = at;
    order[index] = index;
  }
  if (!ordered) sortByTime(order, intervals, time);
  return order;
}

/** Up to this many events are put in order by insertion: no comparator closure per comparison, and a history's returns come nearly in order. */
const INSERTION_SORT_MAX = 64;

/** Sorts indices by (time, index), a total order, so any correct sort gives this one. */
function sortByTime(order: number[], intervals: readonly Interval[], time: (interval: Interval) => number): void {
  if (order.length > INSERTION_SORT_MAX) {
    order.sort((left, right) => time(intervals[left] ?? NEVER) - time(intervals[right] ?? NEVER) || left - right);
    return;
  }
  for (let sorted = 1; sorted < order.length; sorted += 1) {
    const index = order[sorted] ?? 0;
    const at = time(intervals[index] ?? NEVER);
    let slot = sorted;
    for (; slot > 0; slot -= 1) {
      const before = order[slot - 1] ?? 0;
      // `before` goes after `index` when the comparator of the sort above says so: (time difference || index difference) > 0.
      if (!((time(intervals[before] ?? NEVER) - at || before - index) > 0)) break;
      order[slot] = before;
    }
    order[slot] = index;
  }
}

function timeOf(intervals: readonly Interval[], index: number, kind: 'call' | 'return'): number {
  const interval = intervals[index] ?? NEVER;
  return kind === 'call' ? interval.invokedAt : interval.returnedAt;
}

const NEVER: Interval = { invokedAt: Number.POSITIVE_INFINITY, returnedAt: Number.POSITIVE_INFINITY };

/** Removes a call and its return from the list. */
export function lift(call: Entry): void {
  const returned = requireMatch(call);
  unlink(call);
  unlink(returned);
}

/** Puts back a call and its return lifted by `lift` (in reverse order of lifting). */
export function unlift(call: Entry): void {
  const returned = requireMatch(call);
  relink(returned);
  relink(call);
}

function unlink(entry: Entry): void {
  if (entry.previous !== null) entry.previous.next = entry.next;
  if (entry.next !== null) entry.next.previous = entry.previous;
}

function relink(entry: Entry): void {
  if (entry.previous !== null) entry.previous.next = entry;
  if (entry.next !== null) entry.next.previous = entry;
}

function requireMatch(call: Entry): Entry {
  if (call.kind !== 'call' || call.match === null) throw new Error(`not a call entry: operation ${call.operationIndex}`);
  return call.match;
}
