/**
 * Probing a live Placement for consumer rows the API hides.
 *
 * `GET /allocations/{c}` shows `{}` both when no consumer row exists and
 * when a row exists with no allocations (a "phantom" consumer). Placement
 * 8.0.0 tells them apart in one place: the consumer generation check of an
 * allocation write (>= 1.28), which runs before anything is written. A PUT
 * with `consumer_generation: 999999` is answered
 *   409 "consumer generation conflict - expected null but got 999999"  (no row)
 *   409 "consumer generation conflict - expected N but got 999999"     (row, generation N)
 * and creates nothing in either case (`ensure_consumer` raises before it
 * would create the consumer).
 */
import { placementRequest, type HttpRequest } from '../../model/index.ts';
import type { Completion } from '../history.ts';
import { errorDetail } from '../program/knowledge.ts';
import { parseBody } from '../responseBody.ts';
import { PROJECT_ID, USER_ID } from '../program/program.ts';

/** A generation no consumer of a short run can reach. */
export const PROBE_GENERATION = 999_999;

/**
 * The probe allocates on a provider that never exists, so that even in the
 * impossible case of a consumer at generation 999999 the write fails with a
 * 400 for the unknown provider instead of changing anything (the consumer
 * already exists then, so no cleanup deletes it either).
 */
export const PROBE_PROVIDER = '00000000-0000-4000-8000-00000000dead';

export type ConsumerProbeOutcome =
  | { readonly kind: 'absent' }
  | { readonly kind: 'exists'; readonly generation: number }
  /** Anything else: an unexpected status or text, or no answer. */
  | { readonly kind: 'inconclusive'; readonly reason: string };

export interface ConsumerProbe {
  readonly consumer: string;
  readonly outcome: ConsumerProbeOutcome;
  /** Status and error detail as answered, for reports (null when unknown). */
  readonly status: number | null;
  readonly detail: string;
}

export function consumerProbeRequest(consumer: string): HttpRequest {
  return placementRequest('PUT', `/allocations/${consumer}`, {
    microversion: '1.28',
    body: {
      allocations: { [PROBE_PROVIDER]: { resources: { VCPU: 1 } } },
      project_id: PROJECT_ID,
      user_id: USER_ID,
      consumer_generation: PROBE_GENERATION,
    },
  });
}

export function interpretConsumerProbe(consumer: string, completion: Completion): ConsumerProbe {
  if (completion.kind === 'unknown') return { consumer, outcome: { kind: 'inconclusive', reason: completion.reason }, status: null, detail: '' };
  const { response } = completion;
  const detail = errorDetail(parseBody(response));
  const match = new RegExp(`consumer generation conflict - expected (null|\\d+) but got ${PROBE_GENERATION}`).exec(detail);
  if (response.status === 409 && match !== null) {
    const outcome: ConsumerProbeOutcome = match[1] === 'null' ? { kind: 'absent' } : { kind: 'exists', generation: Number(match[1]) };
    return { consumer, outcome, status: response.status, detail };
  }
  return { consumer, outcome: { kind: 'inconclusive', reason: `unexpected answer ${response.status}` }, status: response.status, detail };
}
