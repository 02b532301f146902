/**
 * Once requests settle, a consumer exists exactly while it has allocations:
 * no allocation row lacks its consumer, and no consumer row lacks
 * allocations. Needs the committed rows, so it runs on in-process targets;
 * live targets see orphans through usage-matches-allocations.
 */
import type { RunRecord } from '../runRecord.ts';
import type { Violation } from '../violation.ts';

export function checkConsumerLifecycle(run: RunRecord): Violation[] {
  const tables = run.tables;
  if (tables === null) return [];
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

function operationsNaming(run: RunRecord, consumer: string): number[] {
  return run.history.operations
    .filter((operation) => operation.client >= 0 && (operation.request.path.includes(consumer) || (operation.request.body ?? '').includes(consumer)))
    .map((operation) => operation.id);
}
