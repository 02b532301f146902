/**
 * The search's memo of the pairs (linearized set, state fingerprint) it has
 * reached, with fingerprints taken only when comparing states directly
 * would cost more.
 *
 * A pair is new whenever its linearized set is: nothing needs comparing to
 * tell. When a state arrives with a set already seen, it is compared with
 * the set's earlier states directly (`stateEquality.ts`, which decides
 * exactly what equal fingerprints would): on the benchmark's histories that
 * is about 5 of 30 pairs, each against one earlier state, and the two share
 * most of their objects. Only a set reached with more than
 * `WAITING_PER_SET_MAX` different states has its states fingerprinted and
 * numbered, so that a set with many states is looked up, not scanned.
 * Answers are exactly those of a memo keyed by set and fingerprint, since
 * a fingerprint taken late is the one taken early (the fingerprinter is a
 * pure function of the state, and its numbers only ever compare
 * fingerprints within one search).
 *
 * An unfingerprinted state waits (`Position`), which keeps it alive; to
 * keep memory bounded by the states bound and not by the states' sizes, at
 * most `PENDING_MAX` states wait at once, and the oldest set's are
 * fingerprinted when more arrive.
 */
import type { State } from '../../model/index.ts';
import { StateComparer } from './stateEquality.ts';
import { StateFingerprinter, type FingerprintScope } from './stateFingerprint.ts';

/** A state the search stands on, with its fingerprint number once taken. */
export interface Position {
  readonly state: State;
  fingerprintId: number | undefined;
}

/**
 * The fingerprints reached with one linearized set: positions waiting
 * unfingerprinted, all different, and the numbers of those fingerprinted.
 */
interface SetEntry {
  waiting: Position[];
  ids: Set<number> | null;
}

const PENDING_MAX = 4_096;
/** More states of one set than this are numbered: a scan of a few compares costs less than fingerprinting them. */
const WAITING_PER_SET_MAX = 4;

export class VisitedStates {
  private readonly scope: FingerprintScope;
  private readonly pendingMax: number;
  /** Made when two states are first compared, which a search without repeated sets never does. */
  private comparer: StateComparer | null = null;
  private fingerprinter: StateFingerprinter | null = null;
  private readonly fingerprintIds = new Map<string, number>();
  private readonly bySet = new Map<string, SetEntry>();
  /** Entries that may hold waiting positions, oldest first from `pendingStart`. */
  private pendingEntries: SetEntry[] = [];
  private pendingStart = 0;
  /** Waiting positions over all entries. */
  private pendingCount = 0;
  /** Distinct pairs added. */
  size = 0;

  constructor(scope: FingerprintScope, pendingMax = PENDING_MAX) {
    this.scope = scope;
    this.pendingMax = pendingMax;
  }

  /** The position after a step from `before` to `after`: the same one when no fingerprinted part changed. */
  static step(before: Position, after: State): Position {
    return StateFingerprinter.sameParts(before.state, after) ? before : { state: after, fingerprintId: undefined };
  }

  static start(state: State): Position {
    return { state, fingerprintId: undefined };
  }

  /** Whether the two positions have equal fingerprints. */
  same(left: Position, right: Position): boolean {
    if (left === right) return true;
    if (left.fingerprintId !== undefined && right.fingerprintId !== undefined) return left.fingerprintId === right.fingerprintId;
    this.comparer ??= new StateComparer(this.scope);
    return this.comparer.equal(left.state, right.state);
  }

  /**
   * Adds the pair (set, position's fingerprint) when it is new and fewer than
   * `sizeMax` pairs are held: `full` when it is new but there is no room.
   */
  visit(setKey: string, position: Position, sizeMax: number): 'new' | 'seen' | 'full' {
    const entry = this.bySet.get(setKey);
    if (entry === undefined) {
      if (this.size >= sizeMax) return 'full';
      const added: SetEntry = { waiting: [position], ids: null };
      this.bySet.set(setKey, added);
      this.pendingEntries.push(added);
      this.pendingCount += 1;
      this.settleOldestBeyondBound();
      this.size += 1;
      return 'new';
    }
    for (const waiting of entry.waiting) if (this.same(waiting, position)) return 'seen';
    if (entry.ids !== null && entry.ids.has(this.idOf(position))) return 'seen';
    if (this.size >= sizeMax) return 'full';
    this.size += 1;
    if (entry.ids === null && entry.waiting.length < WAITING_PER_SET_MAX) {
      // The entry is queued already: it was when its first position arrived.
      entry.waiting.push(position);
      this.pendingCount += 1;
      this.settleOldestBeyondBound();
    } else {
      this.settle(entry).add(this.idOf(position));
    }
    return 'new';
  }

  /** Numbers the entry's waiting positions, and from now on every position it gets. */
  private settle(entry: SetEntry): Set<number> {
    const ids = entry.ids ?? new Set<number>();
    entry.ids = ids;
    for (const waiting of entry.waiting) ids.add(this.idOf(waiting));
    this.pendingCount -= entry.waiting.length;
    entry.waiting = [];
    return ids;
  }

  private settleOldestBeyondBound(): void {
    while (this.pendingCount > this.pendingMax && this.pendingStart < this.pendingEntries.length) {
      const oldest = this.pendingEntries[this.pendingStart];
      this.pendingStart += 1;
      if (oldest !== undefined) this.settle(oldest);
    }
    // Drop the settled front now and then, so the queue does not grow with the search.
    if (this.pendingStart >= this.pendingMax) {
      this.pendingEntries = this.pendingEntries.slice(this.pendingStart);
      this.pendingStart = 0;
    }
  }

  private idOf(position: Position): number {
    if (position.fingerprintId !== undefined) return position.fingerprintId;
    this.fingerprinter ??= new StateFingerprinter(this.scope);
    const fingerprint = this.fingerprinter.fingerprint(position.state);
    let id = this.fingerprintIds.get(fingerprint);
    if (id === undefined) {
      id = this.fingerprintIds.size;
      this.fingerprintIds.set(fingerprint, id);
    }
    position.fingerprintId = id;
    return id;
  }
}
