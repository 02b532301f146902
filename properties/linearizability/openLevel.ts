/**
 * One level of the linearizability search: the operations that may take
 * effect next, in the order to try them.
 *
 * The candidates are the calls before the first return left in the event
 * list. Any order of trying them is complete; the order only decides how
 * soon a linearization is found:
 * 1. reads and refused requests first (cheap, and committed when explained);
 * 2. then the writes that would make a read (or the candidate that returned
 *    first) explainable when it is not yet: probably what happened before it;
 * 3. then other known outcomes, in the order they were called;
 * 4. then unknown outcomes, as late as the responses allow. (Leaving out
 *    those not needed by a read was tried: it misses orders and then
 *    searches far longer.)
 * A level is born failed when a pending read saw a provider generation the
 * state has already passed (`providerGenerationObservations.ts`).
 */
import type { Entry } from './entryList.ts';
import type { ModelResults, StateNode } from './modelResults.ts';
import type { PreparedOperation } from './preparedOperation.ts';
import { isPastObservation, type ProviderGenerationObservation } from './providerGenerationObservations.ts';

export interface Level {
  /** In the order to try them; the writes from `writesFrom` on are put in order when first reached. */
  readonly candidates: Entry[];
  /** Index of the next candidate to try. */
  next: number;
  /**
   * Index of the first write while the writes still wait for their order
   * (`orderWrites`), else -1. The reads come first, and a read explained
   * there is committed (`searchPartition.ts`): the search then never comes
   * back to this level's writes, so their look-ahead would be wasted.
   */
  writesFrom: number;
}

/** What the search knows about its operations, computed once per partition. */
export interface LevelContext {
  readonly operations: readonly PreparedOperation[];
  readonly priorities: readonly TryingPriority[];
  /** The provider generations an operation's response saw that the search may rely on. */
  observationsOf(operationIndex: number): readonly ProviderGenerationObservation[];
  readonly results: ModelResults;
}

/** Lower tiers first, then earlier times. */
export interface TryingPriority {
  readonly tier: number;
  readonly time: number;
}

export function openLevel(head: Entry, node: StateNode, context: LevelContext): Level {
  // Counted first, then filled at that length: the first push onto an empty array makes room for 16,
  // and a level holds a few (both walks are bounded by the length of the list).
  let count = 0;
  for (let entry = head.next; entry !== null && entry.kind === 'call'; entry = entry.next) count += 1;
  const candidates = new Array<Entry>(count);
  let filled = 0;
  for (let entry = head.next; entry !== null && entry.kind === 'call'; entry = entry.next) candidates[filled++] = entry;
  // Loops rather than callbacks from here on: a level opens at every step the search takes.
  for (const entry of candidates) {
    if (isPastObservation(node.state, context.observationsOf(entry.operationIndex))) return { candidates, next: candidates.length, writesFrom: -1 };
  }
  if (candidates.length > 1) sortByPriority(candidates, context);
  let firstWrite = -1;
  for (let index = 0; index < candidates.length && firstWrite < 0; index += 1) {
    if (priorityOf(candidates[index], context).tier > 0) firstWrite = index;
  }
  // With at most one write there is nothing to reorder.
  const writesFrom = firstWrite < 0 || firstWrite >= candidates.length - 1 ? -1 : firstWrite;
  return { candidates, next: 0, writesFrom };
}

/**
 * The level's next candidate to try in `node`'s state (the state the level
 * was opened in), or `undefined` when none is left. The writes' order depends
 * only on the level and its state, both as they were when it opened, so
 * working it out when first needed gives the order working it out at once
 * would have given.
 */
export function nextCandidate(level: Level, node: StateNode, context: LevelContext): Entry | undefined {
  if (level.next === level.writesFrom) orderWrites(level, node, context);
  return level.candidates[level.next];
}

/** The reads, the helpers, then the other writes in their order, in place. */
function orderWrites(level: Level, node: StateNode, context: LevelContext): void {
  const candidates = level.candidates;
  const firstWrite = level.writesFrom;
  level.writesFrom = -1;
  const helpers = helpersOf(candidates, firstWrite, node, context);
  if (helpers.length === 0) return;
  const writes = candidates.slice(firstWrite);
  let at = firstWrite;
  for (const helper of helpers) candidates[at++] = helper;
  for (const entry of writes) if (!helpers.includes(entry)) candidates[at++] = entry;
}

const NO_PRIORITY: TryingPriority = { tier: 0, time: 0 };

function priorityOf(entry: Entry | undefined, context: LevelContext): TryingPriority {
  return entry === undefined ? NO_PRIORITY : (context.priorities[entry.operationIndex] ?? NO_PRIORITY);
}

/**
 * Lower tiers first, then earlier times, then lower indices: a total order, so
 * any sort gives this one. An insertion sort: a level holds a few candidates
 * (about one per client), and `Array.prototype.sort` copies them and calls a
 * closure per comparison at every level the search opens.
 */
export function sortByPriority(candidates: Entry[], context: LevelContext): void {
  for (let sorted = 1; sorted < candidates.length; sorted += 1) {
    const entry = candidates[sorted];
    if (entry === undefined) continue;
    let index = sorted;
    for (; index > 0; index -= 1) {
      const before = candidates[index - 1];
      if (before === undefined || !precedes(entry, before, context)) break;
      candidates[index] = before;
    }
    candidates[index] = entry;
  }
}

function precedes(left: Entry, right: Entry, context: LevelContext): boolean {
  const leftPriority = priorityOf(left, context);
  const rightPriority = priorityOf(right, context);
  return (leftPriority.tier - rightPriority.tier || leftPriority.time - rightPriority.time || left.operationIndex - right.operationIndex) < 0;
}

/**
 * The writes (known or unknown outcome) after which a read, or the most
 * urgent candidate, becomes explainable when it is not explainable yet. Only
 * pairs that name a common entity are tried, to keep this cheap.
 */
function helpersOf(candidates: readonly Entry[], firstWrite: number, node: StateNode, context: LevelContext): Entry[] {
  const targets: Target[] = [];
  const urgent = mostUrgent(candidates, context);
  for (const entry of candidates) {
    const prepared = context.operations[entry.operationIndex];
    if (prepared === undefined || !prepared.outcomeKnown) continue;
    if (!prepared.observationallyPure && entry !== urgent) continue;
    if (!context.results.explains(node, entry.operationIndex)) targets.push({ entry, prepared });
  }
  if (targets.length === 0) return [];
  const helpers: Entry[] = [];
  for (let index = firstWrite; index < candidates.length; index += 1) {
    const entry = candidates[index];
    const writer = entry === undefined ? undefined : context.operations[entry.operationIndex];
    if (entry === undefined || writer === undefined) continue;
    if (helpsATarget(entry, writer, targets, node, context)) helpers.push(entry);
  }
  return helpers;
}

/**
 * Whether some target that shares an entity with `writer` is explained after
 * it. Written as loops, without the list of related targets and the closures
 * that building it would take: this runs for every write at every level.
 */
function helpsATarget(entry: Entry, writer: PreparedOperation, targets: readonly Target[], node: StateNode, context: LevelContext): boolean {
  // The write's state (as its node), answered only once a related target needs it.
  let after: StateNode | null = null;
  for (const target of targets) {
    if (target.entry === entry || !sharesEntity(writer.entities, target.prepared.entities)) continue;
    after ??= context.results.of(node, entry.operationIndex);
    if (context.results.explains(after, target.entry.operationIndex)) return true;
  }
  return false;
}

/** A candidate with a known outcome that is not explained yet. */
interface Target {
  readonly entry: Entry;
  readonly prepared: PreparedOperation;
}

/** The known candidate that returned first: it must take effect soonest. */
function mostUrgent(candidates: readonly Entry[], context: LevelContext): Entry | null {
  let urgent: Entry | null = null;
  let urgentReturn = Number.POSITIVE_INFINITY;
  for (const entry of candidates) {
    const prepared = context.operations[entry.operationIndex];
    if (prepared === undefined || !prepared.outcomeKnown || prepared.returnedAt >= urgentReturn) continue;
    urgent = entry;
    urgentReturn = prepared.returnedAt;
  }
  return urgent;
}

/** Whether two operations name a common entity (`null`: anything). Footprints are short, so a scan beats hashing. */
function sharesEntity(left: readonly number[] | null, right: readonly number[] | null): boolean {
  if (left === null || right === null) return true;
  for (const entity of left) if (right.includes(entity)) return true;
  return false;
}
