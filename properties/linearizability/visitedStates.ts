/**
 * The search's memo of the pairs (linearized set, state fingerprint) it has
 * reached, with fingerprints taken only when an answer depends on them.
 *
 * A pair is new whenever its linearized set is: no fingerprint is needed to
 * tell. Only when a second state arrives with a set already seen must the
 * fingerprints of both be compared. On the benchmark's histories that is
 * about 5 of 35 pairs, so most states are never fingerprinted. Answers are
 * exactly those of a memo keyed by set and fingerprint, since a fingerprint
 * taken late is the one taken early (the fingerprinter is a pure function of
 * the state, and its numbers only ever compare fingerprints within one
 * search).
 *
 * A set's first state waits unfingerprinted (`Position`), which keeps it
 * alive; to keep memory bounded by the states bound and not by the states'
 * sizes, at most `PENDING_MAX` sets wait at once, and the oldest is
 * fingerprinted when more arrive.
 */
import type { State } from '../../model/index.ts';
import { StateFingerprinter, type FingerprintScope } from './stateFingerprint.ts';

/** A state the search stands on, with its fingerprint number once taken. */
export interface Position {
  readonly state: State;
  fingerprintId: number | undefined;
}

/** The fingerprints reached with one linearized set: one waiting position, or numbers. */
interface SetEntry {
  pending: Position | null;
  ids: Set<number> | null;
}

const PENDING_MAX = 4_096;

export class VisitedStates {
  private readonly scope: FingerprintScope;
  private readonly pendingMax: number;
  private fingerprinter: StateFingerprinter | null = null;
  private readonly fingerprintIds = new Map<string, number>();
  private readonly bySet = new Map<string, SetEntry>();
  /** Entries that may hold a waiting position, oldest first from `pendingStart`. */
  private pendingEntries: SetEntry[] = [];
  private pendingStart = 0;
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
    return left === right || this.idOf(left) === this.idOf(right);
  }

  /**
   * Adds the pair (set, position's fingerprint) when it is new and fewer than
   * `sizeMax` pairs are held: `full` when it is new but there is no room.
   */
  visit(setKey: string, position: Position, sizeMax: number): 'new' | 'seen' | 'full' {
    const entry = this.bySet.get(setKey);
    if (entry === undefined) {
      if (this.size >= sizeMax) return 'full';
      const added: SetEntry = { pending: position, ids: null };
      this.bySet.set(setKey, added);
      this.pendingEntries.push(added);
      if (this.pendingEntries.length - this.pendingStart > this.pendingMax) this.settleOldest();
      this.size += 1;
      return 'new';
    }
    const ids = this.settle(entry);
    const id = this.idOf(position);
    if (ids.has(id)) return 'seen';
    if (this.size >= sizeMax) return 'full';
    ids.add(id);
    this.size += 1;
    return 'new';
  }

  private settle(entry: SetEntry): Set<number> {
    const ids = entry.ids ?? new Set<number>();
    entry.ids = ids;
    if (entry.pending !== null) {
      ids.add(this.idOf(entry.pending));
      entry.pending = null;
    }
    return ids;
  }

  private settleOldest(): void {
    const oldest = this.pendingEntries[this.pendingStart];
    this.pendingStart += 1;
    if (oldest !== undefined) this.settle(oldest);
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
