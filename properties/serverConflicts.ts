/**
 * Conflicts the server detects itself (a compare-and-set of a provider or
 * consumer generation that lost a race), as opposed to a generation the
 * client sent that does not match. Placement answers them with 409
 * `placement.concurrent_update`; the request had no effect. They are
 * legitimate when another request touching the same provider or consumer
 * ran at the same time, and spurious otherwise.
 */
import type { Operation } from '../sim/history.ts';
import { isLowerCaseCanonicalUuidAt, UUID_LENGTH } from '../model/uuid.ts';
import { memoByIdentity } from '../sim/memoByIdentity.ts';
import { RequestFact } from '../model/sharedRequest.ts';
import { DETAIL_SERVER_CONFLICT, detailFlags } from './errorDetails.ts';

/** What a 409 response's detail says, as flags (`errorDetails.ts`); 0 for any other status. */
export function conflictFlagsOf(operation: Operation): number {
  // The status first: it rules out most operations without reading a body.
  if (operation.completion.kind !== 'response' || operation.completion.response.status !== 409) return 0;
  return detailFlags(operation);
}

export function isServerConflict(operation: Operation): boolean {
  return (conflictFlagsOf(operation) & DETAIL_SERVER_CONFLICT) !== 0;
}

function writes(operation: Operation): boolean {
  return operation.request.method !== 'GET';
}

/** Another write overlapping it in time names one of the same providers or consumers. */
export function conflictIsJustified(operation: Operation, operations: readonly Operation[]): boolean {
  return conflictsOf(operations).justified(operation);
}

/**
 * One history's conflict verdicts, each worked out once: the
 * conflicts-justified invariant and the linearizability check ask about
 * every server conflict of a run (a few dozen per run on the 8.0.0
 * profile), and each answer compares it with every overlapping write. Held
 * per history rather than per operation, so the memo keeps one entry per
 * run.
 */
class HistoryConflicts {
  private readonly operations: readonly Operation[];
  /** Whether the operations are listed by time of invocation, as a run records them: a scan for overlapping ones can then stop at the first invoked after the end. */
  private readonly byInvocation: boolean;
  private readonly verdicts = new Map<Operation, boolean>();

  constructor(operations: readonly Operation[]) {
    this.operations = operations;
    this.byInvocation = invokedInOrder(operations);
  }

  justified(operation: Operation): boolean {
    let verdict = this.verdicts.get(operation);
    if (verdict === undefined) {
      verdict = this.anOverlappingWriteTouchesTheSame(operation);
      this.verdicts.set(operation, verdict);
    }
    return verdict;
  }

  private anOverlappingWriteTouchesTheSame(operation: Operation): boolean {
    const mine = touched.of(operation.request);
    if (mine.size === 0) return false;
    const ended = operation.completedAt ?? Number.POSITIVE_INFINITY;
    for (const other of this.operations) {
      // Every later operation was invoked at or after this one's end too.
      if (this.byInvocation && other.invokedAt >= ended) break;
      if (other.id === operation.id || !writes(other)) continue;
      const otherEnded = other.completedAt ?? Number.POSITIVE_INFINITY;
      if (!(other.invokedAt < ended && otherEnded > operation.invokedAt)) continue;
      for (const uuid of touched.of(other.request)) if (mine.has(uuid)) return true;
    }
    return false;
  }
}

function invokedInOrder(operations: readonly Operation[]): boolean {
  for (let index = 1; index < operations.length; index += 1) {
    if (!((operations[index - 1]?.invokedAt ?? Number.NaN) <= (operations[index]?.invokedAt ?? Number.NaN))) return false;
  }
  return true;
}

/**
 * Provider and consumer uuids a request names in its path or body: a function of the request
 * alone, kept on the request when it is a shared one (`RequestFact`), since a client sends one
 * request object for every request with the same method, path, microversion and body.
 */
const touched = new RequestFact<ReadonlySet<string>>((request) => {
  // The path and the body each on its own: a uuid holds no space, so no match spans the two,
  // and joining them first would copy the body.
  const named = new Set<string>();
  addUuidsIn(request.path, named);
  if (request.body !== null) addUuidsIn(request.body, named);
  return named;
});

/** Per history: the invariants ask of one run's operations at a time (see memoByIdentity.ts for why not a weak map). */
const HISTORIES_KEPT = 4;
const conflictsOf: (operations: readonly Operation[]) => HistoryConflicts = memoByIdentity((operations) => new HistoryConflicts(operations), HISTORIES_KEPT);

/** Where a uuid's first dash is, from its start; the others follow at 13, 18 and 23. */
const FIRST_DASH = 8;

/**
 * Adds to `named` what `text.match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g)`
 * finds: lower-case uuids, left to right, each search going on after the last match. Every match has
 * a dash 8 characters in, so only the places 8 before a dash are tried, in order (which keeps the
 * regular expression's leftmost, non-overlapping matches), and the engine finds the dashes natively:
 * a body is mostly text between uuids, which the expression would try at every character, and its
 * list of matches is not needed.
 */
export function addUuidsIn(text: string, named: Set<string>): void {
  const lastStart = text.length - UUID_LENGTH;
  for (let dash = text.indexOf('-', FIRST_DASH); dash >= 0 && dash - FIRST_DASH <= lastStart; ) {
    const start = dash - FIRST_DASH;
    if (isLowerCaseCanonicalUuidAt(text, start)) {
      named.add(text.slice(start, start + UUID_LENGTH));
      // The next match starts after this one, so its first dash is at least that far on.
      dash = text.indexOf('-', start + UUID_LENGTH + FIRST_DASH);
    } else {
      dash = text.indexOf('-', dash + 1);
    }
  }
}
