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
  interface Event {
    readonly time: number;
    readonly kind: 'call' | 'return';
    readonly operationIndex: number;
  }
  const events: Event[] = [];
  intervals.forEach((interval, operationIndex) => {
    events.push({ time: interval.invokedAt, kind: 'call', operationIndex });
    events.push({ time: interval.returnedAt, kind: 'return', operationIndex });
  });
  events.sort(
    (left, right) =>
      left.time - right.time || (left.kind === right.kind ? 0 : left.kind === 'call' ? -1 : 1) || left.operationIndex - right.operationIndex,
  );
  const head: Entry = { kind: 'head', operationIndex: -1, match: null, previous: null, next: null };
  // Calls by operation index: indices are dense, so an array serves as the map.
  const calls = new Array<Entry | undefined>(intervals.length);
  let last = head;
  for (const event of events) {
    const entry: Entry = { kind: event.kind, operationIndex: event.operationIndex, match: null, previous: last, next: null };
    last.next = entry;
    last = entry;
    if (event.kind === 'call') {
      calls[event.operationIndex] = entry;
    } else {
      const call = calls[event.operationIndex];
      if (call === undefined) throw new Error(`return before call for operation ${event.operationIndex}`);
      call.match = entry;
      entry.match = call;
    }
  }
  return head;
}

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
