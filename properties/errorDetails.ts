/**
 * What a response's error detail says, as flags: the conflicts-justified
 * invariant, the linearizability check's filter and the finding classifier
 * each ask a run's error responses a few fixed questions, so a detail is
 * read once (Placement's `errors[0].detail`, through the response's shared
 * parse) and its answers kept by text: the target renders the same error
 * bodies run after run (their messages name role uuids and small
 * generations), so the same detail strings recur.
 */
import type { Operation } from '../sim/history.ts';
import { errorDetail } from '../sim/program/knowledge.ts';
import { recentByKey } from './recentByKey.ts';
import { bodyOf } from './runRecord.ts';

/** A conflict the server detected ("Inventory and/or allocations changed while attempting to allocate", "Another thread concurrently updated"). */
export const DETAIL_SERVER_CONFLICT = 1;
/** A provider generation conflict that ended an allocation write's retries: its detail holds both of its texts. */
export const DETAIL_PROVIDER_RETRY_CONFLICT = 2;
export const DETAIL_EXPECTED_0_BUT_NONE = 4;
export const DETAIL_CONSUMER_GENERATION_CONFLICT = 8;
export const DETAIL_EXPECTED_NULL_BUT_NUMBER = 16;
export const DETAIL_UNABLE_TO_ALLOCATE = 32;
export const DETAIL_NO_SUCH_CONSUMERS = 64;
export const DETAIL_UNKNOWN_PROVIDER = 128;

/** Either text marks a conflict the server detected (fixed texts, so searched, not matched). */
const SERVER_CONFLICT_TEXTS = ['Inventory and/or allocations changed while attempting to allocate', 'Another thread concurrently updated'] as const;
const PROVIDER_RETRY_TEXTS = ['Inventory and/or allocations changed', 'Another thread concurrently updated the resource provider data'] as const;

/** The tests made with an expression, with their flags. */
const DETAIL_TESTS: readonly (readonly [RegExp, number])[] = [
  [/expected 0 but got None/, DETAIL_EXPECTED_0_BUT_NONE],
  [/consumer generation conflict/, DETAIL_CONSUMER_GENERATION_CONFLICT],
  [/expected null but got \d+/, DETAIL_EXPECTED_NULL_BUT_NUMBER],
  [/Unable to allocate inventory/, DETAIL_UNABLE_TO_ALLOCATE],
  [/No such consumer\(s\)/, DETAIL_NO_SUCH_CONSUMERS],
  [/Allocation for resource provider '[^']*' that does not exist\./, DETAIL_UNKNOWN_PROVIDER],
];

/** Details whose flags are kept, in two generations. */
const DETAILS_KEPT = 1024;

const flagsOfDetail: (detail: string) => number = recentByKey((detail: string) => {
  let flags = 0;
  if (detail.includes(SERVER_CONFLICT_TEXTS[0]) || detail.includes(SERVER_CONFLICT_TEXTS[1])) flags |= DETAIL_SERVER_CONFLICT;
  if (detail.includes(PROVIDER_RETRY_TEXTS[0]) && detail.includes(PROVIDER_RETRY_TEXTS[1])) flags |= DETAIL_PROVIDER_RETRY_CONFLICT;
  for (const [test, flag] of DETAIL_TESTS) if (test.test(detail)) flags |= flag;
  return flags;
}, DETAILS_KEPT);

/** The flags (`DETAIL_*`) of an operation's response's error detail; 0 for an unknown outcome or a body without one. Callers check the status first: most responses are not errors, and their bodies need not be read. */
export function detailFlags(operation: Operation): number {
  return operation.completion.kind === 'response' ? flagsOfDetail(errorDetail(bodyOf(operation))) : 0;
}
