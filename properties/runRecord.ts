/**
 * What invariants read about a finished run. Live targets fill in what they
 * can observe through the API; the in-process target adds its statements,
 * notes and committed rows.
 */
import type { FaultEvent } from '../sim/faultPlan.ts';
import type { History, Operation } from '../sim/history.ts';
import type { ConsumerProbe } from '../sim/live/consumerProbe.ts';
import type { Program } from '../sim/program/program.ts';
import { parseBody } from '../sim/responseBody.ts';
import type { OperationDetail } from '../sim/runInProcess.ts';
import type { Tables } from '../sim/store/tables.ts';

export interface RunRecord {
  readonly program: Program;
  readonly history: History;
  /** Per operation id; empty on live targets. */
  readonly details: ReadonlyMap<number, OperationDetail>;
  readonly faults: readonly FaultEvent[];
  /** Committed rows after the run; `null` on live targets. */
  readonly tables: Tables | null;
  /** Operations that never answered within their bound. */
  readonly stalled: readonly number[];
  /**
   * Live targets only: for each program consumer whose final GET showed no
   * allocations, whether a consumer row exists anyway (see
   * sim/live/consumerProbe.ts). Absent on the in-process target, which has
   * `tables` instead.
   */
  readonly liveConsumerProbes?: readonly ConsumerProbe[];
}

/** Client index of the setup prefix and of the final snapshot reads. */
export const SETUP_CLIENT = -1;
export const SNAPSHOT_CLIENT = -2;

/** The status and parsed JSON body (`null` when none); the body is shared, so read-only. */
export function responseOf(operation: Operation): { readonly status: number; readonly body: unknown } | null {
  if (operation.completion.kind !== 'response') return null;
  const { response } = operation.completion;
  return { status: response.status, body: parseBody(response) };
}

/** The parsed JSON body (`null` when none, or for an unknown outcome), without the pair `responseOf` builds; shared, so read-only. */
export function bodyOf(operation: Operation): unknown {
  return operation.completion.kind === 'response' ? parseBody(operation.completion.response) : null;
}

/** The response's status, or `null` for an unknown outcome: without reading the body, which most checks never need. */
export function statusOf(operation: Operation): number | null {
  return operation.completion.kind === 'response' ? operation.completion.response.status : null;
}

/** `target.split('?')[0]`: the path before any query, without the array of parts (most targets have no query). */
export function withoutQuery(target: string): string {
  const query = target.indexOf('?');
  return query < 0 ? target : target.slice(0, query);
}

/**
 * Operations whose failure an injected fault caused. A failed cleanup is
 * not among them: the write had already failed, so the cleanup's fault must
 * not change the answer.
 */
export function faultedOperations(record: RunRecord): ReadonlySet<number> {
  // Most runs inject no fault: they share one empty set.
  if (record.faults.length === 0) return NO_OPERATIONS;
  return new Set(record.faults.filter((event) => event.kind !== 'fail-consumer-cleanup').map((event) => event.operation));
}

const NO_OPERATIONS: ReadonlySet<number> = new Set();
