/**
 * A simulated transactional database with the isolation levels Placement is
 * deployed on, driven one statement at a time by the scheduler.
 *
 * - `serial` (SQLite): a write transaction holds the whole database from its
 *   first statement to its end, so write transactions never overlap; reads
 *   outside them see the last committed data. The separate transactions of
 *   one request still interleave with other requests.
 * - `snapshot` (MariaDB/InnoDB REPEATABLE READ): plain reads see a snapshot
 *   taken at the transaction's first plain read; UPDATE, DELETE and INSERT
 *   read the latest committed rows and take row locks held to the end.
 * - `readCommitted` (PostgreSQL): every statement sees the latest committed
 *   rows; writes take row locks; a blocked write re-reads when it resumes.
 *
 * A statement that needs a lock another transaction holds does not run: it
 * reports `blocked` and the scheduler retries it once that transaction ends.
 * A wait that would close a cycle is a deadlock: the waiting statement fails.
 */
import type { AllocationRow, ConsumerRow, InventoryRow, ProviderRow, Tables } from './tables.ts';
import { emptyTables, inventoryKey } from './tables.ts';
import { emptyOverlay, NO_CHANGES, View, type Overlay } from './view.ts';

export type Isolation = 'serial' | 'snapshot' | 'readCommitted';
export const ISOLATIONS: readonly Isolation[] = ['serial', 'snapshot', 'readCommitted'];

export type DatabaseError =
  | { readonly kind: 'deadlock' }
  | { readonly kind: 'duplicateKey'; readonly key: string }
  | { readonly kind: 'lostConnection' };

export type StatementResult<T> =
  | { readonly kind: 'done'; readonly value: T }
  | { readonly kind: 'blocked'; readonly holder: number }
  | { readonly kind: 'failed'; readonly error: DatabaseError };

export interface Transaction {
  readonly id: number;
  /** What the transaction is for, shown in reports (e.g. "PUT allocations: write"). */
  readonly label: string;
  snapshot: Tables | null;
  /** Its uncommitted changes; the shared `NO_CHANGES` until its first. */
  overlay: Overlay;
  /**
   * The view of its changes over the version its last statement saw, once
   * it has changes: its next statements reuse it while they see the same
   * version (see `Store.viewOf`).
   */
  view: View | null;
  /**
   * Keys whose lock it holds, each once: the first `lockCount` of this list,
   * `null` until its first (most transactions are short reads that take
   * none) and again once it ends, when the list goes back to its store.
   */
  locks: string[] | null;
  lockCount: number;
  status: 'active' | 'committed' | 'rolledBack';
  /** The transaction this one waits for, for deadlock detection. */
  waitingFor: number | null;
  /** A read-only transaction never writes, so under `serial` it takes no lock. */
  readonly readOnly: boolean;
}

/** A transaction as the store that made it may reset it for reuse (see `Store.beginReadOnce`). */
type ReusableTransaction = { -readonly [K in keyof Transaction]: Transaction[K] };

/** How many ended read-once transactions a store keeps for reuse: about one per request reading at a time. */
const SPARE_READ_ONCE_MAX = 16;

/** How many lock lists a store keeps for reuse: about one per transaction holding locks at a time. */
const SPARE_LOCK_LISTS_MAX = 16;

/**
 * One table's changes of one statement, in order: the first `count` keys
 * and rows (`null` deletes the row). The lists are overwritten, never
 * emptied: emptying a list gives its storage up, and the next statement's
 * first change would allocate it again.
 */
class TableChanges<K, V> {
  count = 0;
  private readonly keys: K[] = [];
  private readonly rows: (V | null)[] = [];
  add(key: K, row: V | null): void {
    const index = this.count;
    this.keys[index] = key;
    this.rows[index] = row;
    this.count = index + 1;
  }
  /**
   * The transaction's map for the table with these changes set (a row
   * changed again keeps its place, a new one goes last): `target` itself, or
   * a new map when it is the `shared` empty one of a transaction that has
   * not changed the table yet.
   */
  appliedTo(target: Map<K, V | null>, shared: ReadonlyMap<K, V | null>): Map<K, V | null> {
    if (this.count === 0) return target;
    const map = target === shared ? new Map<K, V | null>() : target;
    for (let index = 0; index < this.count; index += 1) map.set(this.keys[index] as K, this.rows[index] ?? null);
    return map;
  }
}

/**
 * Collects a statement's changes to join its transaction's overlay only if
 * the statement succeeds. Setting them one by one later gives the overlay
 * the same rows in the same order as collecting them in a map first would.
 * Each table's changes are kept apart: the overlay has a map per table, so
 * only the order within a table matters. A store reuses one collector
 * (statements only add to it while they run), and each change is a key and
 * a row in reused lists rather than an object.
 */
export class Changes {
  constructor(private readonly ids: { allocateAllocationId(): number }) {}
  readonly providers = new TableChanges<string, ProviderRow>();
  readonly inventories = new TableChanges<string, InventoryRow>();
  readonly allocations = new TableChanges<number, AllocationRow>();
  readonly consumers = new TableChanges<string, ConsumerRow>();
  /** Forgets the previous statement's changes. */
  clear(): void {
    this.providers.count = 0;
    this.inventories.count = 0;
    this.allocations.count = 0;
    this.consumers.count = 0;
  }
  /** The next allocation id of the statement's database (see `Store.allocateAllocationId`). */
  newAllocationId(): number {
    return this.ids.allocateAllocationId();
  }
  /** Whether the statement changed anything. */
  any(): boolean {
    return this.providers.count > 0 || this.inventories.count > 0 || this.allocations.count > 0 || this.consumers.count > 0;
  }
  putProvider(row: ProviderRow): void {
    this.providers.add(row.uuid, row);
  }
  removeProvider(uuid: string): void {
    this.providers.add(uuid, null);
  }
  putInventory(row: InventoryRow): void {
    this.inventories.add(inventoryKey(row.providerUuid, row.resourceClass), row);
  }
  removeInventory(providerUuid: string, resourceClass: string): void {
    this.inventories.add(inventoryKey(providerUuid, resourceClass), null);
  }
  putAllocation(row: AllocationRow): void {
    this.allocations.add(row.id, row);
  }
  removeAllocation(id: number): void {
    this.allocations.add(id, null);
  }
  putConsumer(row: ConsumerRow): void {
    this.consumers.add(row.uuid, row);
  }
  removeConsumer(uuid: string): void {
    this.consumers.add(uuid, null);
  }
}

/**
 * The result of a statement that gave null (most deletes and inserts,
 * commits, rollbacks): never modified, so one serves them all.
 */
export const DONE_WITH_NULL: StatementResult<null> = { kind: 'done', value: null };

/** Likewise for the other values statements give most often: no row found, and a compare-and-set's row count. */
const DONE_WITH_UNDEFINED: StatementResult<undefined> = { kind: 'done', value: undefined };
const DONE_WITH_0: StatementResult<number> = { kind: 'done', value: 0 };
const DONE_WITH_1: StatementResult<number> = { kind: 'done', value: 1 };

/**
 * The result of a statement blocked by a transaction, per transaction id:
 * a blocked statement is tried again and again until its holder ends, and
 * ids are numbered from 1 in every store, so the same few hundred recur.
 * Never modified, so one serves every statement blocked by that id.
 */
const blockedResults: StatementResult<never>[] = [];
const BLOCKED_RESULTS_KEPT = 4_096;

export function blockedBy(holder: number): StatementResult<never> {
  const kept = blockedResults[holder];
  if (kept !== undefined) return kept;
  const result: StatementResult<never> = { kind: 'blocked', holder };
  if (holder >= 0 && holder < BLOCKED_RESULTS_KEPT) blockedResults[holder] = result;
  return result;
}

/** A released lock's holder: transaction ids start at 1. */
const FREE = 0;

const DATABASE_LOCK = 'database';
const DATABASE_LOCK_ONLY: readonly string[] = [DATABASE_LOCK];

export class Store {
  private committedTables: Tables;
  /**
   * Each lock key's holder, `FREE` once released: a key is kept rather than
   * deleted, since a map shrinks (to a new, smaller table) when most of its
   * keys are deleted and grows again as locks are taken, while a run's store
   * meets a few dozen keys in all.
   */
  private readonly lockHolders = new Map<string, number>();
  /**
   * The open transactions in order of id, the first `openCount` of this list
   * (ids are handed out in increasing order, and a transaction leaves at its
   * end). A few are open at a time, so a list scanned for an id costs less
   * than a map that every short read would add to and delete from. Counted
   * rather than truncated: a list emptied gives its storage up, and most
   * transactions would then allocate it again.
   */
  private readonly open: Transaction[] = [];
  private openCount = 0;
  private nextTransactionId = 1;
  private nextAllocationIdValue: number;
  /** Bumped whenever a transaction ends, so blocked statements know to retry. */
  private endings = 0;
  /**
   * The collector every write statement gets, emptied first: one statement
   * runs at a time, and its changes are copied into the overlay before the
   * next, so a collector per statement would only add allocations.
   */
  private readonly statementChanges = new Changes(this);
  /**
   * Views of committed versions without changes over them, the last two
   * (under snapshot isolation a transaction's reads see its snapshot and its
   * writes the latest version): most statements run in transactions that
   * have changed nothing, and such a view, with its memo of sorted rows, is a
   * function of its version alone, so statements share one instead of
   * building their own.
   */
  private recentView: View | null = null;
  private olderView: View | null = null;
  /**
   * Ended read-once transactions for `beginReadOnce` to reuse, the first
   * `spareCount`: a request reads in short transactions of their own about
   * twice for each of its other statements, and each would otherwise be a
   * new object. Their ender promises not to use them again (`endReadOnce`).
   */
  private readonly spare: ReusableTransaction[] = [];
  private spareCount = 0;
  /**
   * Lock lists of ended transactions for the next ones, the first
   * `spareLockListsCount` (their old keys are overwritten, never read): a
   * list per writing transaction would otherwise be made and then grown at
   * its second key, while a few transactions hold locks at a time.
   */
  private readonly spareLockLists: string[][] = [];
  private spareLockListsCount = 0;

  constructor(
    readonly isolation: Isolation,
    initial: Tables = emptyTables(),
  ) {
    this.committedTables = initial;
    this.nextAllocationIdValue = initial.nextAllocationId;
  }

  get committed(): Tables {
    return this.committedTables;
  }

  get endedTransactions(): number {
    return this.endings;
  }

  begin(label: string, readOnly = false): Transaction {
    return this.admit({ readOnly, id: 0, label, snapshot: null, overlay: NO_CHANGES, view: null, locks: null, lockCount: 0, status: 'active', waitingFor: null });
  }

  /**
   * `begin(label, true)` for a read in a transaction of its own, which its
   * issuer ends with `endReadOnce` and then never uses again: such a
   * transaction ended earlier is reset and reused. It gets the next id and
   * joins the open ones exactly as a new one would.
   */
  beginReadOnce(label: string): Transaction {
    if (this.spareCount === 0) return this.begin(label, true);
    this.spareCount -= 1;
    const transaction = this.spare[this.spareCount] as ReusableTransaction;
    transaction.label = label;
    transaction.snapshot = null;
    transaction.overlay = NO_CHANGES;
    transaction.view = null;
    transaction.locks = null;
    transaction.lockCount = 0;
    transaction.status = 'active';
    transaction.waitingFor = null;
    return this.admit(transaction);
  }

  /** Gives a new or reset transaction the next id and opens it. */
  private admit(transaction: ReusableTransaction): Transaction {
    transaction.id = this.nextTransactionId;
    this.nextTransactionId += 1;
    this.open[this.openCount] = transaction;
    this.openCount += 1;
    return transaction;
  }

  /** Rolls back a transaction of `beginReadOnce`, which its caller will not use again, and keeps it for reuse. */
  endReadOnce(transaction: Transaction): void {
    if (transaction.status !== 'active' || !transaction.readOnly) {
      this.rollback(transaction);
      return;
    }
    this.finish(transaction, 'rolledBack');
    if (this.spareCount < SPARE_READ_ONCE_MAX) {
      // The store made it, and its caller gives it up: resetting it is invisible.
      this.spare[this.spareCount] = transaction as ReusableTransaction;
      this.spareCount += 1;
    }
  }

  /** Allocation ids come from an auto-increment counter that rollbacks do not rewind. */
  allocateAllocationId(): number {
    const id = this.nextAllocationIdValue;
    this.nextAllocationIdValue += 1;
    return id;
  }

  /** A plain SELECT: the query gets the view and its argument. */
  read<T, A>(transaction: Transaction, query: (view: View, argument: A) => T, argument: A): StatementResult<T> {
    if (this.isolation === 'serial' && !transaction.readOnly) {
      const access = this.acquire(transaction, DATABASE_LOCK_ONLY);
      if (access !== null) return access;
    } else {
      transaction.waitingFor = null;
    }
    let base: Tables;
    if (this.isolation === 'snapshot') {
      transaction.snapshot ??= this.committedTables;
      base = transaction.snapshot;
    } else {
      base = this.committedTables;
    }
    const value = query(this.viewOf(base, transaction), argument);
    // The query gave undefined, so undefined is a T.
    return value === undefined ? (DONE_WITH_UNDEFINED as StatementResult<T>) : { kind: 'done', value };
  }

  /**
   * UPDATE, DELETE or INSERT: takes the named locks, then reads the latest
   * committed rows (plus the transaction's own changes) and records changes.
   */
  write<T, A>(
    transaction: Transaction,
    lockKeys: readonly string[],
    statement: (view: View, changes: Changes, argument: A) => T | DatabaseError,
    argument: A,
  ): StatementResult<T> {
    const keys = this.isolation === 'serial' ? [DATABASE_LOCK, ...lockKeys] : lockKeys;
    const access = this.acquire(transaction, keys);
    if (access !== null) return access;
    // The statement's own changes go aside and join the overlay only if it succeeds.
    const changes = this.statementChanges;
    changes.clear();
    const outcome = statement(this.viewOf(this.committedTables, transaction), changes, argument);
    if (isDatabaseError(outcome)) return { kind: 'failed', error: outcome };
    if (changes.any()) {
      if (transaction.overlay === NO_CHANGES) transaction.overlay = emptyOverlay();
      applyChanges(transaction.overlay, changes);
      transaction.view?.overlayChanged();
    }
    // The statement gave null (or 0, or 1), so that value is a T.
    if (outcome === null) return DONE_WITH_NULL as StatementResult<T>;
    if (outcome === 0) return DONE_WITH_0 as StatementResult<T>;
    if (outcome === 1) return DONE_WITH_1 as StatementResult<T>;
    return { kind: 'done', value: outcome };
  }

  commit(transaction: Transaction): void {
    if (transaction.status !== 'active') return;
    // A transaction that changed nothing leaves the committed version as it is (the id counter aside).
    if (transaction.overlay !== NO_CHANGES || this.committedTables.nextAllocationId !== this.nextAllocationIdValue) {
      this.committedTables = applyOverlay(this.committedTables, transaction.overlay, this.nextAllocationIdValue);
    }
    this.finish(transaction, 'committed');
  }

  rollback(transaction: Transaction): void {
    if (transaction.status !== 'active') return;
    this.finish(transaction, 'rolledBack');
  }

  /**
   * The view a transaction's statement sees of a version: the transaction's
   * own while it has changes (kept on it, see `Transaction.view`), otherwise
   * a view shared by every statement of that version (see `recentView`).
   */
  private viewOf(base: Tables, transaction: Transaction): View {
    const overlay = transaction.overlay;
    if (overlay !== NO_CHANGES) {
      const own = transaction.view;
      if (own !== null && own.base === base) return own;
      const view = new View(base, overlay);
      transaction.view = view;
      return view;
    }
    const recent = this.recentView;
    if (recent !== null && recent.base === base) return recent;
    const older = this.olderView;
    this.olderView = recent;
    if (older !== null && older.base === base) {
      this.recentView = older;
      return older;
    }
    const view = new View(base, NO_CHANGES);
    this.recentView = view;
    return view;
  }

  /** A view of the latest committed data, outside any transaction. */
  latest(): View {
    return new View(this.committedTables, NO_CHANGES);
  }

  /** The oldest open transaction, if any. */
  oldestActive(): Transaction | undefined {
    return this.openCount > 0 ? this.open[0] : undefined;
  }

  private finish(transaction: Transaction, status: 'committed' | 'rolledBack'): void {
    transaction.status = status;
    const locks = transaction.locks;
    if (locks !== null) {
      for (let index = 0; index < transaction.lockCount; index += 1) {
        const key = locks[index] as string;
        if (this.lockHolders.get(key) === transaction.id) this.lockHolders.set(key, FREE);
      }
      transaction.locks = null;
      transaction.lockCount = 0;
      if (this.spareLockListsCount < SPARE_LOCK_LISTS_MAX) {
        this.spareLockLists[this.spareLockListsCount] = locks;
        this.spareLockListsCount += 1;
      }
    }
    transaction.waitingFor = null;
    // Removed by shifting the later ones down: `splice` would also build a list of the removed one.
    const open = this.open;
    const count = this.openCount;
    let index = 0;
    while (index < count && open[index] !== transaction) index += 1;
    if (index < count) {
      for (let later = index + 1; later < count; later += 1) open[later - 1] = open[later] as Transaction;
      this.openCount = count - 1;
    }
    this.endings += 1;
  }

  private lockList(): string[] {
    if (this.spareLockListsCount === 0) return [];
    this.spareLockListsCount -= 1;
    return this.spareLockLists[this.spareLockListsCount] as string[];
  }

  /** Takes every lock or reports the first holder in the way (keeping those already taken). */
  private acquire(transaction: Transaction, keys: readonly string[]): StatementResult<never> | null {
    for (const key of keys) {
      const holder = this.lockHolders.get(key);
      // A key already held by this transaction is already in its list.
      if (holder === transaction.id) continue;
      if (holder === undefined || holder === FREE) {
        this.lockHolders.set(key, transaction.id);
        const locks = transaction.locks ?? this.lockList();
        locks[transaction.lockCount] = key;
        transaction.lockCount += 1;
        transaction.locks = locks;
        continue;
      }
      if (this.waitWouldDeadlock(transaction.id, holder)) {
        transaction.waitingFor = null;
        return { kind: 'failed', error: { kind: 'deadlock' } };
      }
      transaction.waitingFor = holder;
      return blockedBy(holder);
    }
    transaction.waitingFor = null;
    return null;
  }

  private openTransaction(id: number): Transaction | undefined {
    for (let index = 0; index < this.openCount; index += 1) {
      const transaction = this.open[index] as Transaction;
      if (transaction.id === id) return transaction;
    }
    return undefined;
  }

  /** Follows the waits-for chain from the holder; bounded by the number of transactions. */
  private waitWouldDeadlock(waiter: number, holder: number): boolean {
    let current: number | null = holder;
    for (let hops = 0; current !== null && hops <= this.openCount; hops += 1) {
      if (current === waiter) return true;
      current = this.openTransaction(current)?.waitingFor ?? null;
    }
    return false;
  }
}

function isDatabaseError(value: unknown): value is DatabaseError {
  if (typeof value !== 'object' || value === null || !('kind' in value)) return false;
  const kind = (value as { kind: unknown }).kind;
  return kind === 'deadlock' || kind === 'duplicateKey' || kind === 'lostConnection';
}

/** Adds a statement's changes to its transaction's, giving the overlay a map of its own for a table at the table's first change. */
function applyChanges(target: Overlay, changes: Changes): void {
  target.providers = changes.providers.appliedTo(target.providers, NO_CHANGES.providers);
  target.inventories = changes.inventories.appliedTo(target.inventories, NO_CHANGES.inventories);
  target.allocations = changes.allocations.appliedTo(target.allocations, NO_CHANGES.allocations);
  target.consumers = changes.consumers.appliedTo(target.consumers, NO_CHANGES.consumers);
}

function applyMap<K, V>(base: ReadonlyMap<K, V>, changes: ReadonlyMap<K, V | null>): ReadonlyMap<K, V> {
  if (changes.size === 0) return base;
  // Copied entry by entry: for the few rows of a table, cheaper than `new Map(base)`'s iteration protocol.
  const next = new Map<K, V>();
  base.forEach(copyEntryInto, next);
  changes.forEach(applyChangeTo, next);
  return next;
}

function copyEntryInto<K, V>(this: Map<K, V>, value: V, key: K): void {
  this.set(key, value);
}

function applyChangeTo<K, V>(this: Map<K, V>, value: V | null, key: K): void {
  if (value === null) this.delete(key);
  else this.set(key, value);
}

function applyOverlay(base: Tables, overlay: Overlay, nextAllocationId: number): Tables {
  return {
    providers: applyMap(base.providers, overlay.providers),
    inventories: applyMap(base.inventories, overlay.inventories),
    allocations: applyMap(base.allocations, overlay.allocations),
    consumers: applyMap(base.consumers, overlay.consumers),
    customResourceClasses: base.customResourceClasses,
    nextAllocationId,
  };
}
