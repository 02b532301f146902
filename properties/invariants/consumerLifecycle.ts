/**
 * Once requests settle, a consumer exists exactly while it has allocations:
 * no allocation row lacks its consumer, and no consumer row lacks
 * allocations. Reads the committed rows on in-process targets. Live
 * targets have no rows to read: they see orphans through
 * usage-matches-allocations, and consumers without allocations through the
 * run's consumer probes.
 */
import type { RunRecord } from '../runRecord.ts';
import type { Violation } from '../violation.ts';

export function checkConsumerLifecycle(run: RunRecord): Violation[] {
  const tables = run.tables;
  if (tables === null) return checkProbedConsumers(run);
  const violations: Violation[] = [];
  const withAllocations = new Set<string>();
  for (const row of tables.allocations.values()) {
    withAllocations.add(row.consumerUuid);
    if (tables.consumers.has(row.consumerUuid)) continue;
    violations.push({
      invariant: 'consumer-lifecycle',
      summary: `allocation ${row.id} (${row.used} ${row.resourceClass} on ${row.providerUuid}) belongs to consumer ${row.consumerUuid}, which does not exist`,
      explanation: [
        `Let allocation row ${row.id} hold ${row.used} ${row.resourceClass} on provider ${row.providerUuid} for consumer ${row.consumerUuid}.`,
        `Then consumer ${row.consumerUuid} must exist while it holds allocations,`,
        `but there is no consumer row for it: GET /allocations/${row.consumerUuid} shows nothing, and DELETE cannot remove the row.`,
      ],
      operations: operationsNaming(run, row.consumerUuid),
      data: { allocation: row },
    });
  }
  for (const consumer of tables.consumers.values()) {
    if (withAllocations.has(consumer.uuid)) continue;
    violations.push({
      invariant: 'consumer-lifecycle',
      summary: `consumer ${consumer.uuid} exists (generation ${consumer.generation}) with no allocations`,
      explanation: [
        `Let consumer ${consumer.uuid} have no allocations once every request has finished.`,
        `Then it must not exist: a consumer exists only while it has allocations,`,
        `but its row is there with generation ${consumer.generation}, so a client that sends consumer_generation null for it gets a 409.`,
      ],
      operations: operationsNaming(run, consumer.uuid),
      data: { consumer },
    });
  }
  return violations;
}

/** Live targets: a probe found a consumer row behind a GET that showed no allocations. */
function checkProbedConsumers(run: RunRecord): Violation[] {
  const violations: Violation[] = [];
  for (const probe of run.liveConsumerProbes ?? []) {
    if (probe.outcome.kind !== 'exists') continue;
    const generation = probe.outcome.generation;
    violations.push({
      invariant: 'consumer-lifecycle',
      summary: `consumer ${probe.consumer} exists (generation ${generation}) with no allocations`,
      explanation: [
        `Let consumer ${probe.consumer} have no allocations once every request has finished (GET /allocations/${probe.consumer} shows none).`,
        `Then it must not exist: a consumer exists only while it has allocations,`,
        `but a probe write with a wrong consumer_generation was refused with "${probe.detail.trim().split('\n').pop()?.trim() ?? ''}": its row is there with generation ${generation}, so a client that sends consumer_generation null for it gets a 409.`,
      ],
      operations: operationsNaming(run, probe.consumer),
      data: { consumer: probe.consumer, generation, probe },
    });
  }
  return violations;
}

function operationsNaming(run: RunRecord, consumer: string): number[] {
  return run.history.operations
    .filter((operation) => operation.client >= 0 && (operation.request.path.includes(consumer) || (operation.request.body ?? '').includes(consumer)))
    .map((operation) => operation.id);
}
