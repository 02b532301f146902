/**
 * Names the known finding that explains a violation of a concurrent run, if
 * one does. Findings are behaviours of Placement 8.0.0 the harness has
 * already reported; a violation they do not explain is news.
 *
 * The rules are deliberately narrow: a violation is put down to a finding
 * only when the run contains the request that triggers it, for the consumer
 * or provider the violation is about.
 */
import type { Operation } from '../../sim/history.ts';
import { memoByIdentity } from '../../sim/memoByIdentity.ts';
import type { RunRecord } from '../runRecord.ts';
import type { Violation } from '../violation.ts';
import { consumersWritten, detailOf, namesConsumer, statusOf, type ConsumerMention } from './requestConsumers.ts';

export type ConcurrentFindingName =
  | 'empty-allocations-create-consumer'
  | 'unknown-provider-leaves-consumer'
  | 'failed-cleanup-leaves-consumer'
  | 'consumer-deleted-under-allocations'
  | 'stale-snapshot-over-allocation'
  | 'in-flight-consumer-visible'
  | 'delete-allocations-without-effect'
  | 'consumer-vanishes-during-create'
  | 'concurrent-create-overwritten'
  | 'capacity-conflict-over-stale-generation';

export const CONCURRENT_FINDINGS: Readonly<Record<ConcurrentFindingName, string>> = {
  'capacity-conflict-over-stale-generation':
    'a write whose consumer generation another write changed while it ran is answered 409 for capacity, not for the generation: the consumer is read before the write transaction and its generation compared only after the capacity check passes',
  'concurrent-create-overwritten':
    'two writes for a new consumer, both with consumer_generation null, race: the one whose insert finds the consumer already created takes it over without a generation check and replaces the other\'s allocations (both 204)',
  'consumer-vanishes-during-create':
    'a write that finds its new consumer created by another request, which then fails and deletes it, answers 404 "No such consumer(s)"',
  'delete-allocations-without-effect':
    'DELETE /allocations reads the rows, then deletes them by id: racing another write or delete of the consumer it answers 204 having removed nothing',
  'in-flight-consumer-visible':
    'a consumer auto-created by a write still in flight is visible at generation 0 to concurrent writes, which get 409 "expected 0 but got None", or pass the check when they give generation 0',
  'empty-allocations-create-consumer':
    'a write that gives a new consumer no allocations (204) leaves it behind with generation 0; the next null-generation write gets 409',
  'unknown-provider-leaves-consumer': 'a write naming a provider that does not exist (400) leaves its auto-created consumer behind',
  'failed-cleanup-leaves-consumer': 'a failed write whose cleanup of its auto-created consumer failed leaves that consumer behind (the failure is only logged)',
  'consumer-deleted-under-allocations': 'a consumer row is deleted while allocations for it exist: they still count in usage but no request can see or remove them',
  'stale-snapshot-over-allocation':
    'after a provider generation conflict, the retry runs in the same transaction and, under repeatable read, checks capacity against the first attempt\'s snapshot',
};

const UNKNOWN_PROVIDER = /Allocation for resource provider '[^']*' that does not exist\./;

/**
 * Consumers a request may have left behind, with the finding that explains
 * it: asked once per violation, so remembered for the last few runs.
 */
const leftoverCauses = memoByIdentity(leftoverCausesUncached, 4);

function leftoverCausesUncached(run: RunRecord): ReadonlyMap<string, { readonly finding: ConcurrentFindingName; readonly operation: Operation }> {
  const causes = new Map<string, { finding: ConcurrentFindingName; operation: Operation }>();
  const cleanupFaults = new Set(run.faults.filter((event) => event.kind === 'fail-consumer-cleanup').map((event) => event.operation));
  for (const operation of run.history.operations) {
    const status = statusOf(operation);
    for (const mention of consumersWritten(operation)) {
      if (operation.request.method === 'DELETE') continue;
      if (status !== null && status >= 200 && status < 300 && mention.clears) {
        causes.set(mention.consumer, { finding: 'empty-allocations-create-consumer', operation });
      } else if (status === 400 && UNKNOWN_PROVIDER.test(detailOf(operation))) {
        causes.set(mention.consumer, { finding: 'unknown-provider-leaves-consumer', operation });
      } else if (cleanupFaults.has(operation.id)) {
        causes.set(mention.consumer, { finding: 'failed-cleanup-leaves-consumer', operation });
      }
    }
  }
  return causes;
}

/**
 * A 409 "expected 0 but got None" for a consumer that another request,
 * overlapping in time, was creating with a null generation: between its
 * `ensure_consumer` and its write (or its cleanup) the consumer exists at
 * generation 0, a state no order of whole requests produces.
 */
function sawInFlightConsumer(run: RunRecord, operation: Operation): boolean {
  if (statusOf(operation) !== 409 || !/expected 0 but got None/.test(detailOf(operation))) return false;
  return createdWhileInFlight(run, operation, consumersWritten(operation).map((mention) => mention.consumer), (mention) => mention.generation === 'null');
}

/**
 * The same window in its other shapes: the creator sent no generation at all
 * (before microversion 1.28 a missing consumer is created too), or the write
 * that met the consumer gave generation 0 itself and was let past the check.
 * Tried after every other rule, since the runs these match often show
 * another finding first.
 */
function metInFlightConsumer(run: RunRecord, operation: Operation): boolean {
  const status = statusOf(operation);
  if (status === null) return false;
  const creating = (mention: ConsumerMention): boolean => mention.generation !== 'given';
  if (status === 409 && /expected 0 but got None/.test(detailOf(operation))) {
    return createdWhileInFlight(run, operation, consumersWritten(operation).map((mention) => mention.consumer), creating);
  }
  if (status === 409 && /consumer generation conflict/.test(detailOf(operation))) return false;
  const givenZero = consumersWritten(operation)
    .filter((mention) => mention.givenGeneration === 0)
    .map((mention) => mention.consumer);
  return givenZero.length > 0 && createdWhileInFlight(run, operation, givenZero, creating);
}

/** Whether a write overlapping `operation` in time named one of `consumers` in a way `creates` accepts. */
function createdWhileInFlight(run: RunRecord, operation: Operation, consumers: readonly string[], creates: (mention: ConsumerMention) => boolean): boolean {
  const ended = operation.completedAt ?? Number.POSITIVE_INFINITY;
  return run.history.operations.some((other) => {
    if (other.id === operation.id || other.request.method === 'DELETE') return false;
    const otherEnded = other.completedAt ?? Number.POSITIVE_INFINITY;
    const overlaps = other.invokedAt < ended && otherEnded > operation.invokedAt;
    return overlaps && consumersWritten(other).some((mention) => creates(mention) && consumers.includes(mention.consumer));
  });
}

/**
 * A 409 capacity refusal for a write that gave a consumer a generation while
 * another write of that consumer succeeded during it. 8.0.0 reads the
 * consumer (and so checks the generation the client gave) before its write
 * transaction, and compares the generation again only after the capacity
 * check: a capacity check against the newer state then refuses a request
 * whose generation had gone stale, which no order of whole requests shows
 * (before the other write the capacity was there; after it the generation
 * conflicts).
 */
function capacityConflictOverStaleGeneration(run: RunRecord, operation: Operation): boolean {
  if (statusOf(operation) !== 409 || !/Unable to allocate inventory/.test(detailOf(operation))) return false;
  const given = consumersWritten(operation).filter((mention) => mention.generation === 'given');
  const ended = operation.completedAt ?? Number.POSITIVE_INFINITY;
  return run.history.operations.some((other) => {
    if (other.id === operation.id || other.request.method === 'GET') return false;
    const status = statusOf(other);
    const committedDuring = other.completedAt !== null && other.completedAt > operation.invokedAt && other.completedAt < ended;
    return committedDuring && status !== null && status >= 200 && status < 300 && consumersWritten(other).some((mention) => given.some((mine) => mine.consumer === mention.consumer));
  });
}

function succeededOnRetry(run: RunRecord, operation: Operation): boolean {
  const status = statusOf(operation);
  return status !== null && status >= 200 && status < 300 && (run.details.get(operation.id)?.notes?.allocationAttempts ?? 0) > 1;
}

/**
 * A write told "expected null" for a consumer the client had seen written,
 * after a failed write that named the consumer with a null generation: that
 * write's cleanup deleted the consumer row another write was using.
 */
function cleanupDeletedUsedConsumer(run: RunRecord, operation: Operation): boolean {
  if (statusOf(operation) !== 409 || !/expected null but got \d+/.test(detailOf(operation))) return false;
  return run.history.operations.some(
    (other) =>
      other.id !== operation.id &&
      other.invokedAt < operation.invokedAt &&
      (statusOf(other) ?? 500) >= 400 &&
      /"consumer_generation":\s*null/.test(other.request.body ?? '') &&
      consumersWritten(other).some((mention) => namesConsumer(operation, mention.consumer)),
  );
}

/**
 * Consumers whose row a failed write's cleanup may have deleted under
 * another write's allocations: the failed write named the consumer with a
 * null generation or none (so it may have auto-created it), and a successful write
 * for the same consumer finished while the failed one was in flight. The
 * consumer may then be recreated at generation 0 by a later write, which
 * deletes the orphaned rows with its own, so usage can end up consistent
 * while generations went backwards. Each maps to the failed write.
 */
function cleanupRaceVictims(run: RunRecord): Map<string, Operation> {
  const victims = new Map<string, Operation>();
  const operations = run.history.operations;
  for (const failed of operations) {
    const status = statusOf(failed);
    if (status === null || status < 400 || failed.completedAt === null) continue;
    if (failed.request.method === 'DELETE') continue;
    const failedEnded = failed.completedAt;
    // A null generation, or none at all (before 1.28), lets the write auto-create the consumer.
    for (const mention of consumersWritten(failed).filter((written) => written.generation !== 'given')) {
      const raced = operations.some((other) => {
        const otherStatus = statusOf(other) ?? 500;
        return (
          other.id !== failed.id &&
          other.request.method !== 'DELETE' &&
          otherStatus >= 200 &&
          otherStatus < 300 &&
          other.completedAt !== null &&
          other.completedAt > failed.invokedAt &&
          other.completedAt <= failedEnded &&
          consumersWritten(other).some((written) => written.consumer === mention.consumer && !written.clears)
        );
      });
      if (raced) victims.set(mention.consumer, failed);
    }
  }
  return victims;
}

/**
 * A successful write that expected a new consumer (null generation) while
 * another successful write expecting the same new consumer overlapped it
 * and finished first: 8.0.0's `_create_consumer`, on finding the row the
 * other request inserted, uses it without comparing generations, so the
 * later write replaces the earlier one's allocations instead of a 409.
 */
function overwroteConcurrentCreate(run: RunRecord, operation: Operation): boolean {
  const status = statusOf(operation);
  if (status === null || status < 200 || status >= 300 || operation.completedAt === null) return false;
  const ended = operation.completedAt;
  const created = consumersWritten(operation).filter((mention) => mention.generation === 'null');
  return run.history.operations.some((other) => {
    const otherStatus = statusOf(other);
    return (
      other.id !== operation.id &&
      otherStatus !== null &&
      otherStatus >= 200 &&
      otherStatus < 300 &&
      other.completedAt !== null &&
      other.completedAt <= ended &&
      other.completedAt > operation.invokedAt &&
      consumersWritten(other).some((mention) => mention.generation === 'null' && created.some((mine) => mine.consumer === mention.consumer))
    );
  });
}

/** A DELETE /allocations that answered 204 while another write or delete of the same consumer overlapped it. */
function deleteRaced(run: RunRecord, operation: Operation): boolean {
  if (operation.request.method !== 'DELETE' || statusOf(operation) !== 204) return false;
  const [mention] = consumersWritten(operation);
  if (mention === undefined) return false;
  const ended = operation.completedAt ?? Number.POSITIVE_INFINITY;
  return run.history.operations.some(
    (other) =>
      other.id !== operation.id &&
      other.invokedAt < ended &&
      (other.completedAt ?? Number.POSITIVE_INFINITY) > operation.invokedAt &&
      consumersWritten(other).some((written) => written.consumer === mention.consumer),
  );
}

function consumerOf(violation: Violation): string | null {
  const consumer = violation.data['consumer'];
  if (typeof consumer === 'object' && consumer !== null && typeof (consumer as { uuid?: unknown }).uuid === 'string') return (consumer as { uuid: string }).uuid;
  return null;
}

/** Per violation, in order, the known finding that explains it, or null. */
export function classifyViolations(run: RunRecord, violations: readonly Violation[]): (ConcurrentFindingName | null)[] {
  return violations.map((violation) => classifyViolation(run, violation));
}

export function classifyViolation(run: RunRecord, violation: Violation): ConcurrentFindingName | null {
  const leftovers = leftoverCauses(run);
  switch (violation.invariant) {
    case 'consumer-lifecycle': {
      if (violation.data['allocation'] !== undefined) return 'consumer-deleted-under-allocations';
      const consumer = consumerOf(violation);
      return consumer === null ? null : (leftovers.get(consumer)?.finding ?? null);
    }
    case 'usage-matches-allocations':
      return 'consumer-deleted-under-allocations';
    case 'capacity': {
      // Known only as the retry-in-the-same-snapshot race: an allocation write on the
      // provider that needed more than one attempt.
      const provider = violation.data['provider'];
      const retried = [...run.details.entries()].some(([id, detail]) => {
        const operation = run.history.operations.find((candidate) => candidate.id === id);
        return (detail.notes?.allocationAttempts ?? 0) > 1 && typeof provider === 'string' && operation !== undefined && (operation.request.body ?? '').includes(provider);
      });
      return retried ? 'stale-snapshot-over-allocation' : null;
    }
    case 'linearizable': {
      // The model never holds a consumer at generation 0, so any "expected 0 but got None"
      // in the unexplained partition points at a consumer that existed without allocations:
      // left behind by an earlier request, or created by one still in flight.
      const byId = new Map(run.history.operations.map((operation) => [operation.id, operation] as const));
      const partition = Array.isArray(violation.data['partition']) ? (violation.data['partition'] as unknown[]) : violation.operations;
      const involved = [...new Set([...violation.operations, ...partition])].filter((id): id is number => typeof id === 'number');
      const operations = involved.flatMap((id) => byId.get(id) ?? []);
      let victims: Map<string, Operation> | null = null;
      // Rules in order of precedence, each tried on every involved operation before the next.
      const rules: readonly ((operation: Operation) => ConcurrentFindingName | null)[] = [
        (operation) => {
          for (const [consumer, cause] of leftovers) {
            if (namesConsumer(operation, consumer) && (cause.operation.completedAt ?? Infinity) <= operation.invokedAt) return cause.finding;
          }
          return null;
        },
        (operation) => (sawInFlightConsumer(run, operation) ? 'in-flight-consumer-visible' : null),
        (operation) => (deleteRaced(run, operation) ? 'delete-allocations-without-effect' : null),
        (operation) => (statusOf(operation) === 404 && /No such consumer\(s\)/.test(detailOf(operation)) ? 'consumer-vanishes-during-create' : null),
        (operation) => (cleanupDeletedUsedConsumer(run, operation) ? 'consumer-deleted-under-allocations' : null),
        (operation) => (overwroteConcurrentCreate(run, operation) ? 'concurrent-create-overwritten' : null),
        (operation) => {
          victims ??= cleanupRaceVictims(run);
          for (const [consumer, failed] of victims) {
            if (namesConsumer(operation, consumer) && (failed.completedAt ?? Infinity) <= operation.invokedAt) return 'consumer-deleted-under-allocations';
          }
          return null;
        },
        (operation) => (metInFlightConsumer(run, operation) ? 'in-flight-consumer-visible' : null),
        (operation) => (capacityConflictOverStaleGeneration(run, operation) ? 'capacity-conflict-over-stale-generation' : null),
        // A write that succeeded on its retry: under repeatable read the retry checked
        // capacity against the first attempt's snapshot (the capacity case above), an
        // over-allocation the final state may no longer show.
        (operation) => (succeededOnRetry(run, operation) ? 'stale-snapshot-over-allocation' : null),
      ];
      for (const rule of rules) {
        for (const operation of operations) {
          const finding = rule(operation);
          if (finding !== null) return finding;
        }
      }
      return null;
    }
    case 'unit-constraints':
    case 'generations':
    case 'atomicity':
    case 'conflicts-justified':
    case 'no-server-errors':
      return null;
    default:
      return assertNever(violation.invariant);
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled invariant: ${String(value)}`);
}
