/**
 * The unit of interleaving on the in-process target: one database statement
 * (or commit, or rollback). A request is a generator that yields steps; the
 * scheduler decides which client's next step runs, so two requests can
 * interleave at every point where the real service talks to its database.
 */
import type { HttpResponse } from '../../model/index.ts';
import type { DatabaseError, StatementResult, Transaction } from '../store/store.ts';

/** Points where the fault plan may make a statement fail. */
export type Seam =
  | 'statement'
  /** The first insert after a write deleted the consumers' old allocations. */
  | 'allocationsInsertAfterDelete'
  /** Deleting a consumer that a failed request auto-created. */
  | 'consumerCleanup';

export interface Step<T> {
  /** What the statement does, for reports: "UPDATE resource_providers SET generation ...". */
  readonly label: string;
  readonly transaction: Transaction | null;
  readonly seam: Seam;
  /** Whether the statement writes (only writes can deadlock). */
  readonly writes: boolean;
  readonly run: () => StatementResult<T>;
}

/** What a statement gave back to the code that issued it. */
export type StatementOutcome<T> = { readonly kind: 'done'; readonly value: T } | { readonly kind: 'failed'; readonly error: DatabaseError };

/** A request in flight: yields steps, returns the response. */
export type RequestTask = Generator<Step<unknown>, HttpResponse, StatementOutcome<unknown>>;
