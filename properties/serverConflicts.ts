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
import { bodyOf } from './runRecord.ts';

/** Either text in a 409's detail marks a conflict the server detected (two searches for a fixed text, not an expression). */
const SERVER_CONFLICT_TEXTS = ['Inventory and/or allocations changed while attempting to allocate', 'Another thread concurrently updated'] as const;

export function isServerConflict(operation: Operation): boolean {
  // The status first: it rules out most operations without reading a body.
  if (operation.completion.kind !== 'response' || operation.completion.response.status !== 409) return false;
  const errors = (bodyOf(operation) as { errors?: unknown } | null)?.errors;
  const first: unknown = Array.isArray(errors) ? errors[0] : undefined;
  const detail = typeof first === 'object' && first !== null ? (first as { detail?: unknown }).detail : undefined;
  return typeof detail === 'string' && (detail.includes(SERVER_CONFLICT_TEXTS[0]) || detail.includes(SERVER_CONFLICT_TEXTS[1]));
}

function writes(operation: Operation): boolean {
  return operation.request.method !== 'GET';
}

/** Another write overlapping it in time names one of the same providers or consumers. */
export function conflictIsJustified(operation: Operation, operations: readonly Operation[]): boolean {
  return conflictsOf(operations).justified(operation);
}

/**
 * One history's conflict verdicts and the uuids its requests name, each
 * worked out once: the conflicts-justified invariant and the linearizability
 * check ask about every server conflict of a run (a few dozen per run on the
 * 8.0.0 profile), and each answer compares it with every overlapping write.
 * Held per history rather than per operation, so the memo keeps one entry
 * per run.
 */
class HistoryConflicts {
  private readonly operations: readonly Operation[];
  private readonly verdicts = new Map<Operation, boolean>();
  private readonly touched = new Map<Operation, ReadonlySet<string>>();

  constructor(operations: readonly Operation[]) {
    this.operations = operations;
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
    const mine = this.touchedBy(operation);
    const ended = operation.completedAt ?? Number.POSITIVE_INFINITY;
    for (const other of this.operations) {
      if (other.id === operation.id || !writes(other)) continue;
      const otherEnded = other.completedAt ?? Number.POSITIVE_INFINITY;
      if (!(other.invokedAt < ended && otherEnded > operation.invokedAt)) continue;
      for (const uuid of this.touchedBy(other)) if (mine.has(uuid)) return true;
    }
    return false;
  }

  /** Provider and consumer uuids a request names in its path or body. */
  private touchedBy(operation: Operation): ReadonlySet<string> {
    let touched = this.touched.get(operation);
    if (touched === undefined) {
      // The path and the body each on its own: a uuid holds no space, so no match spans the two,
      // and joining them first would copy the body.
      const named = new Set<string>();
      addUuidsIn(operation.request.path, named);
      const body = operation.request.body;
      if (body !== null) addUuidsIn(body, named);
      touched = named;
      this.touched.set(operation, touched);
    }
    return touched;
  }
}

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
