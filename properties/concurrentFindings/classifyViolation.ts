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
import {
  DETAIL_CONSUMER_GENERATION_CONFLICT,
  DETAIL_EXPECTED_0_BUT_NONE,
  DETAIL_EXPECTED_NULL_BUT_NUMBER,
  DETAIL_NO_SUCH_CONSUMERS,
  DETAIL_UNABLE_TO_ALLOCATE,
  DETAIL_UNKNOWN_PROVIDER,
  detailFlags,
} from '../errorDetails.ts';
import { statusOf, type RunRecord } from '../runRecord.ts';
import type { Violation } from '../violation.ts';
import { consumersWritten, namesConsumer, type ConsumerMention } from './requestConsumers.ts';

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

/** An operation of a run, with what the rules read of it. */
interface Entry {
  readonly operation: Operation;
  readonly status: number | null;
  readonly mentions: readonly ConsumerMention[];
}

interface Cause {
  readonly finding: ConcurrentFindingName;
  readonly operation: Operation;
}

const NO_ENTRIES: readonly Entry[] = [];

/**
 * What the rules read of one run, worked out once per run rather than per
 * violation or per operation: each operation's status and consumer
 * mentions, the operations by id, and for each consumer the writes that
 * name it. A rule asking whether some other write of a consumer overlapped
 * an operation needs only the writes that name that consumer (the others
 * fail its test), so it reads those instead of the whole history.
 */
class RunFacts {
  readonly run: RunRecord;
  readonly entries: readonly Entry[];
  private readonly byId = new Map<number, Entry>();
  /** Per consumer, the entries whose mentions name it, in history order. */
  private readonly writers = new Map<string, Entry[]>();
  private leftoversMade: ReadonlyMap<string, Cause> | null = null;
  private victimsMade: ReadonlyMap<string, Operation> | null = null;

  constructor(run: RunRecord) {
    this.run = run;
    const entries: Entry[] = [];
    for (const operation of run.history.operations) {
      const entry: Entry = { operation, status: statusOf(operation), mentions: consumersWritten(operation) };
      entries.push(entry);
      this.byId.set(operation.id, entry);
      for (const mention of entry.mentions) {
        const writers = this.writers.get(mention.consumer);
        if (writers === undefined) this.writers.set(mention.consumer, [entry]);
        else if (writers[writers.length - 1] !== entry) writers.push(entry);
      }
    }
    this.entries = entries;
  }

  /** The operation with this id (ids are unique in a history). */
  entryOf(id: number): Entry | undefined {
    return this.byId.get(id);
  }

  writersOf(consumer: string): readonly Entry[] {
    return this.writers.get(consumer) ?? NO_ENTRIES;
  }

  /** Consumers a request may have left behind, with the finding that explains it. */
  get leftovers(): ReadonlyMap<string, Cause> {
    this.leftoversMade ??= leftoverCauses(this);
    return this.leftoversMade;
  }

  /** See `cleanupRaceVictims`. */
  get victims(): ReadonlyMap<string, Operation> {
    this.victimsMade ??= cleanupRaceVictims(this);
    return this.victimsMade;
  }
}

/** Per run: a campaign classifies each failing run's violations one run at a time. */
const factsOf = memoByIdentity((run: RunRecord) => new RunFacts(run), 4);

function leftoverCauses(facts: RunFacts): ReadonlyMap<string, Cause> {
  const causes = new Map<string, Cause>();
  const { faults } = facts.run;
  const cleanupFaults = faults.length === 0 ? NO_IDS : new Set(faults.filter((event) => event.kind === 'fail-consumer-cleanup').map((event) => event.operation));
  for (const { operation, status, mentions } of facts.entries) {
    if (operation.request.method === 'DELETE') continue;
    for (const mention of mentions) {
      if (status !== null && status >= 200 && status < 300 && mention.clears) {
        causes.set(mention.consumer, { finding: 'empty-allocations-create-consumer', operation });
      } else if (status === 400 && (detailFlags(operation) & DETAIL_UNKNOWN_PROVIDER) !== 0) {
        causes.set(mention.consumer, { finding: 'unknown-provider-leaves-consumer', operation });
      } else if (cleanupFaults.has(operation.id)) {
        causes.set(mention.consumer, { finding: 'failed-cleanup-leaves-consumer', operation });
      }
    }
  }
  return causes;
}

const NO_IDS: ReadonlySet<number> = new Set();

function isNullGeneration(mention: ConsumerMention): boolean {
  return mention.generation === 'null';
}

function createsConsumer(mention: ConsumerMention): boolean {
  return mention.generation !== 'given';
}

function consumersOf(mentions: readonly ConsumerMention[]): string[] {
  return mentions.map((mention) => mention.consumer);
}

/**
 * A 409 "expected 0 but got None" for a consumer that another request,
 * overlapping in time, was creating with a null generation: between its
 * `ensure_consumer` and its write (or its cleanup) the consumer exists at
 * generation 0, a state no order of whole requests produces.
 */
function sawInFlightConsumer(facts: RunFacts, entry: Entry): boolean {
  if (entry.status !== 409 || (detailFlags(entry.operation) & DETAIL_EXPECTED_0_BUT_NONE) === 0) return false;
  return createdWhileInFlight(facts, entry.operation, consumersOf(entry.mentions), isNullGeneration);
}

/**
 * The same window in its other shapes: the creator sent no generation at all
 * (before microversion 1.28 a missing consumer is created too), or the write
 * that met the consumer gave generation 0 itself and was let past the check.
 * Tried after every other rule, since the runs these match often show
 * another finding first.
 */
function metInFlightConsumer(facts: RunFacts, entry: Entry): boolean {
  const { operation, status, mentions } = entry;
  if (status === null) return false;
  if (status === 409) {
    const flags = detailFlags(operation);
    if ((flags & DETAIL_EXPECTED_0_BUT_NONE) !== 0) return createdWhileInFlight(facts, operation, consumersOf(mentions), createsConsumer);
    if ((flags & DETAIL_CONSUMER_GENERATION_CONFLICT) !== 0) return false;
  }
  if (!mentions.some((mention) => mention.givenGeneration === 0)) return false;
  const givenZero = mentions.filter((mention) => mention.givenGeneration === 0).map((mention) => mention.consumer);
  return createdWhileInFlight(facts, operation, givenZero, createsConsumer);
}

/**
 * Whether a write overlapping `operation` in time named one of `consumers` in a way `creates` accepts.
 * Such a write names one of them, so only their writers are read.
 */
function createdWhileInFlight(facts: RunFacts, operation: Operation, consumers: readonly string[], creates: (mention: ConsumerMention) => boolean): boolean {
  const ended = operation.completedAt ?? Number.POSITIVE_INFINITY;
  for (const consumer of consumers) {
    for (const other of facts.writersOf(consumer)) {
      if (other.operation.id === operation.id || other.operation.request.method === 'DELETE') continue;
      const otherEnded = other.operation.completedAt ?? Number.POSITIVE_INFINITY;
      const overlaps = other.operation.invokedAt < ended && otherEnded > operation.invokedAt;
      if (overlaps && other.mentions.some((mention) => creates(mention) && consumers.includes(mention.consumer))) return true;
    }
  }
  return false;
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
function capacityConflictOverStaleGeneration(facts: RunFacts, entry: Entry): boolean {
  const { operation } = entry;
  if (entry.status !== 409 || (detailFlags(operation) & DETAIL_UNABLE_TO_ALLOCATE) === 0) return false;
  const ended = operation.completedAt ?? Number.POSITIVE_INFINITY;
  // A write of a consumer given a generation is among that consumer's writers.
  for (const mine of entry.mentions) {
    if (mine.generation !== 'given') continue;
    for (const other of facts.writersOf(mine.consumer)) {
      if (other.operation.id === operation.id || other.operation.request.method === 'GET') continue;
      const { status } = other;
      const completedAt = other.operation.completedAt;
      const committedDuring = completedAt !== null && completedAt > operation.invokedAt && completedAt < ended;
      if (committedDuring && status !== null && status >= 200 && status < 300) return true;
    }
  }
  return false;
}

function succeededOnRetry(facts: RunFacts, entry: Entry): boolean {
  const { status } = entry;
  return status !== null && status >= 200 && status < 300 && (facts.run.details.get(entry.operation.id)?.notes?.allocationAttempts ?? 0) > 1;
}

const NULL_GENERATION_SENT = /"consumer_generation":\s*null/;

/**
 * A write told "expected null" for a consumer the client had seen written,
 * after a failed write that named the consumer with a null generation: that
 * write's cleanup deleted the consumer row another write was using.
 */
function cleanupDeletedUsedConsumer(facts: RunFacts, entry: Entry): boolean {
  const { operation } = entry;
  if (entry.status !== 409 || (detailFlags(operation) & DETAIL_EXPECTED_NULL_BUT_NUMBER) === 0) return false;
  return facts.entries.some(
    (other) =>
      other.operation.id !== operation.id &&
      other.operation.invokedAt < operation.invokedAt &&
      (other.status ?? 500) >= 400 &&
      other.mentions.length > 0 &&
      NULL_GENERATION_SENT.test(other.operation.request.body ?? '') &&
      other.mentions.some((mention) => namesConsumer(operation, mention.consumer)),
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
function cleanupRaceVictims(facts: RunFacts): ReadonlyMap<string, Operation> {
  const victims = new Map<string, Operation>();
  for (const { operation: failed, status, mentions } of facts.entries) {
    if (status === null || status < 400 || failed.completedAt === null) continue;
    if (failed.request.method === 'DELETE') continue;
    const failedEnded = failed.completedAt;
    // A null generation, or none at all (before 1.28), lets the write auto-create the consumer.
    for (const mention of mentions) {
      if (mention.generation === 'given') continue;
      // A write that names the consumer is among its writers.
      const raced = facts.writersOf(mention.consumer).some((other) => {
        const otherStatus = other.status ?? 500;
        const completedAt = other.operation.completedAt;
        return (
          other.operation.id !== failed.id &&
          other.operation.request.method !== 'DELETE' &&
          otherStatus >= 200 &&
          otherStatus < 300 &&
          completedAt !== null &&
          completedAt > failed.invokedAt &&
          completedAt <= failedEnded &&
          other.mentions.some((written) => written.consumer === mention.consumer && !written.clears)
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
function overwroteConcurrentCreate(facts: RunFacts, entry: Entry): boolean {
  const { operation, status } = entry;
  if (status === null || status < 200 || status >= 300 || operation.completedAt === null) return false;
  const ended = operation.completedAt;
  // The other write names one of the consumers this one creates with a null generation too, so it is among their writers.
  for (const mine of entry.mentions) {
    if (mine.generation !== 'null') continue;
    for (const other of facts.writersOf(mine.consumer)) {
      const otherStatus = other.status;
      const completedAt = other.operation.completedAt;
      if (
        other.operation.id !== operation.id &&
        otherStatus !== null &&
        otherStatus >= 200 &&
        otherStatus < 300 &&
        completedAt !== null &&
        completedAt <= ended &&
        completedAt > operation.invokedAt &&
        other.mentions.some((mention) => mention.generation === 'null' && mention.consumer === mine.consumer)
      ) {
        return true;
      }
    }
  }
  return false;
}

/** A DELETE /allocations that answered 204 while another write or delete of the same consumer overlapped it. */
function deleteRaced(facts: RunFacts, entry: Entry): boolean {
  const { operation } = entry;
  if (operation.request.method !== 'DELETE' || entry.status !== 204) return false;
  const [mention] = entry.mentions;
  if (mention === undefined) return false;
  const ended = operation.completedAt ?? Number.POSITIVE_INFINITY;
  // The writers of the consumer are the operations whose mentions name it.
  return facts.writersOf(mention.consumer).some(
    (other) => other.operation.id !== operation.id && other.operation.invokedAt < ended && (other.operation.completedAt ?? Number.POSITIVE_INFINITY) > operation.invokedAt,
  );
}

function consumerOf(violation: Violation): string | null {
  const consumer = violation.data['consumer'];
  if (typeof consumer === 'object' && consumer !== null && typeof (consumer as { uuid?: unknown }).uuid === 'string') return (consumer as { uuid: string }).uuid;
  return null;
}

type Rule = (facts: RunFacts, entry: Entry) => ConcurrentFindingName | null;

/**
 * The rules for a linearizability violation, in order of precedence, each
 * tried on every involved operation before the next. The model never holds
 * a consumer at generation 0, so any "expected 0 but got None" in the
 * unexplained partition points at a consumer that existed without
 * allocations: left behind by an earlier request, or created by one still
 * in flight.
 */
const LINEARIZABILITY_RULES: readonly Rule[] = [
  (facts, { operation }) => {
    for (const [consumer, cause] of facts.leftovers) {
      if ((cause.operation.completedAt ?? Infinity) <= operation.invokedAt && namesConsumer(operation, consumer)) return cause.finding;
    }
    return null;
  },
  (facts, entry) => (sawInFlightConsumer(facts, entry) ? 'in-flight-consumer-visible' : null),
  (facts, entry) => (deleteRaced(facts, entry) ? 'delete-allocations-without-effect' : null),
  (_facts, entry) => (entry.status === 404 && (detailFlags(entry.operation) & DETAIL_NO_SUCH_CONSUMERS) !== 0 ? 'consumer-vanishes-during-create' : null),
  (facts, entry) => (cleanupDeletedUsedConsumer(facts, entry) ? 'consumer-deleted-under-allocations' : null),
  (facts, entry) => (overwroteConcurrentCreate(facts, entry) ? 'concurrent-create-overwritten' : null),
  (facts, { operation }) => {
    for (const [consumer, failed] of facts.victims) {
      if ((failed.completedAt ?? Infinity) <= operation.invokedAt && namesConsumer(operation, consumer)) return 'consumer-deleted-under-allocations';
    }
    return null;
  },
  (facts, entry) => (metInFlightConsumer(facts, entry) ? 'in-flight-consumer-visible' : null),
  (facts, entry) => (capacityConflictOverStaleGeneration(facts, entry) ? 'capacity-conflict-over-stale-generation' : null),
  // A write that succeeded on its retry: under repeatable read the retry checked
  // capacity against the first attempt's snapshot (the capacity case below), an
  // over-allocation the final state may no longer show.
  (facts, entry) => (succeededOnRetry(facts, entry) ? 'stale-snapshot-over-allocation' : null),
];

/** The operations a linearizability violation involves: its own, then its partition's, each once, in that order. */
function involvedEntries(facts: RunFacts, violation: Violation): Entry[] {
  const partition = Array.isArray(violation.data['partition']) ? (violation.data['partition'] as unknown[]) : violation.operations;
  const seen = new Set<unknown>();
  const entries: Entry[] = [];
  for (const ids of [violation.operations, partition]) {
    for (const id of ids) {
      if (seen.has(id)) continue;
      seen.add(id);
      const entry = typeof id === 'number' ? facts.entryOf(id) : undefined;
      if (entry !== undefined) entries.push(entry);
    }
  }
  return entries;
}

/** Per violation, in order, the known finding that explains it, or null. */
export function classifyViolations(run: RunRecord, violations: readonly Violation[]): (ConcurrentFindingName | null)[] {
  return violations.map((violation) => classifyViolation(run, violation));
}

export function classifyViolation(run: RunRecord, violation: Violation): ConcurrentFindingName | null {
  switch (violation.invariant) {
    case 'consumer-lifecycle': {
      if (violation.data['allocation'] !== undefined) return 'consumer-deleted-under-allocations';
      const consumer = consumerOf(violation);
      return consumer === null ? null : (factsOf(run).leftovers.get(consumer)?.finding ?? null);
    }
    case 'usage-matches-allocations':
      return 'consumer-deleted-under-allocations';
    case 'capacity': {
      // Known only as the retry-in-the-same-snapshot race: an allocation write on the
      // provider that needed more than one attempt.
      const provider = violation.data['provider'];
      if (typeof provider !== 'string') return null;
      const facts = factsOf(run);
      for (const [id, detail] of run.details) {
        if ((detail.notes?.allocationAttempts ?? 0) <= 1) continue;
        const operation = facts.entryOf(id)?.operation;
        if (operation !== undefined && (operation.request.body ?? '').includes(provider)) return 'stale-snapshot-over-allocation';
      }
      return null;
    }
    case 'linearizable': {
      const facts = factsOf(run);
      const entries = involvedEntries(facts, violation);
      for (const rule of LINEARIZABILITY_RULES) {
        for (const entry of entries) {
          const finding = rule(facts, entry);
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
