/**
 * The quiescent snapshot, parsed from the reads a run makes after its
 * clients finish (see sim/snapshotRequests.ts).
 */
import type { Inventory } from '../model/index.ts';
import type { Operation } from '../sim/history.ts';
import type { RunRecord } from './runRecord.ts';
import { responseOf, SNAPSHOT_CLIENT, withoutQuery } from './runRecord.ts';
import { memoByIdentity } from '../sim/memoByIdentity.ts';

export type InventorySnapshot = Inventory;

export interface ProviderSnapshot {
  readonly uuid: string;
  readonly exists: boolean;
  readonly generation: number | null;
  readonly usages: Readonly<Record<string, number>>;
  readonly inventories: Readonly<Record<string, InventorySnapshot>>;
  /** Consumer uuid -> class -> amount, as GET /resource_providers/{uuid}/allocations shows them. */
  readonly allocations: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** Operation ids of the reads, for reports. */
  readonly reads: readonly number[];
}

export interface ConsumerSnapshot {
  readonly uuid: string;
  readonly generation: number | null;
  /** Provider uuid -> class -> amount, as GET /allocations/{uuid} shows them. */
  readonly allocations: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly read: number;
}

export interface Snapshot {
  readonly providers: readonly ProviderSnapshot[];
  readonly consumers: readonly ConsumerSnapshot[];
}

type Json = Record<string, unknown>;

function record(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

function numbers(value: unknown): Record<string, number> {
  const result: Record<string, number> = {};
  const given = record(value);
  // Own names in Object.entries order (parsed JSON inherits no enumerable names), without a pair per member.
  for (const key in given) {
    if (!Object.prototype.hasOwnProperty.call(given, key)) continue;
    const item = given[key];
    if (typeof item === 'number') result[key] = item;
  }
  return result;
}

/** Runs whose per-run answers are kept: the invariants check one run at a time, so a few cover a report's reruns too. */
export const RUNS_KEPT = 4;

// Several invariants read the snapshot of the same run, one run at a time.
export const parseSnapshot: (run: RunRecord) => Snapshot = memoByIdentity(parseSnapshotUncached, RUNS_KEPT);

function parseSnapshotUncached(run: RunRecord): Snapshot {
  const reads = run.history.operations.filter((operation) => operation.client === SNAPSHOT_CLIENT);
  const byPath = new Map(reads.map((operation) => [withoutQuery(operation.request.path), operation] as const));
  const providers = run.program.providers.map((provider): ProviderSnapshot => {
    const usages = byPath.get(`/resource_providers/${provider.uuid}/usages`);
    const inventories = byPath.get(`/resource_providers/${provider.uuid}/inventories`);
    const allocations = byPath.get(`/resource_providers/${provider.uuid}/allocations`);
    const usagesResponse = usages === undefined ? null : responseOf(usages);
    const inventoriesBody = inventories === undefined ? {} : record(responseOf(inventories)?.body);
    const allocationsBody = allocations === undefined ? {} : record(responseOf(allocations)?.body);
    const exists = usagesResponse?.status === 200;
    const inventoryMap: Record<string, InventorySnapshot> = {};
    const inventoriesRead = record(inventoriesBody['inventories']);
    for (const resourceClass in inventoriesRead) {
      if (!Object.prototype.hasOwnProperty.call(inventoriesRead, resourceClass)) continue;
      const fields = numbers(inventoriesRead[resourceClass]);
      inventoryMap[resourceClass] = {
        total: fields['total'] ?? 0,
        reserved: fields['reserved'] ?? 0,
        minUnit: fields['min_unit'] ?? 1,
        maxUnit: fields['max_unit'] ?? 0,
        stepSize: fields['step_size'] ?? 1,
        allocationRatio: fields['allocation_ratio'] ?? 1,
      };
    }
    const allocationMap: Record<string, Record<string, number>> = {};
    const allocationsRead = record(allocationsBody['allocations']);
    for (const consumer in allocationsRead) {
      if (Object.prototype.hasOwnProperty.call(allocationsRead, consumer)) allocationMap[consumer] = numbers(record(allocationsRead[consumer])['resources']);
    }
    const usagesBody = record(usagesResponse?.body);
    const generation = usagesBody['resource_provider_generation'];
    return {
      uuid: provider.uuid,
      exists,
      generation: typeof generation === 'number' ? generation : null,
      usages: numbers(usagesBody['usages']),
      inventories: inventoryMap,
      allocations: allocationMap,
      reads: readIds(usages, inventories, allocations),
    };
  });
  return new ParsedSnapshot(providers, run.program.consumers, byPath);
}

/**
 * The providers read at once, the consumers when first asked for: every
 * invariant reads the providers, and none of the run's checks reads the
 * consumers (each is an object keyed by the run's own provider uuids, which
 * costs the engine a new shape per uuid to build).
 */
class ParsedSnapshot implements Snapshot {
  readonly providers: readonly ProviderSnapshot[];
  private readonly consumerUuids: readonly string[];
  private readonly byPath: ReadonlyMap<string, Operation>;
  private parsedConsumers: readonly ConsumerSnapshot[] | undefined;

  constructor(providers: readonly ProviderSnapshot[], consumerUuids: readonly string[], byPath: ReadonlyMap<string, Operation>) {
    this.providers = providers;
    this.consumerUuids = consumerUuids;
    this.byPath = byPath;
  }

  get consumers(): readonly ConsumerSnapshot[] {
    this.parsedConsumers ??= this.consumerUuids.map((consumer): ConsumerSnapshot => {
      const read = this.byPath.get(`/allocations/${consumer}`);
      const body = read === undefined ? {} : record(responseOf(read)?.body);
      const allocations: Record<string, Record<string, number>> = {};
      for (const [provider, entry] of Object.entries(record(body['allocations']))) allocations[provider] = numbers(record(entry)['resources']);
      const generation = body['consumer_generation'];
      return { uuid: consumer, generation: typeof generation === 'number' ? generation : null, allocations, read: read?.id ?? -1 };
    });
    return this.parsedConsumers;
  }
}

/** The ids of the reads that were made, in order. */
function readIds(...reads: readonly (Operation | undefined)[]): number[] {
  const ids: number[] = [];
  for (const read of reads) if (read !== undefined) ids.push(read.id);
  return ids;
}

/** Operations of the concurrent phase (not setup, not snapshot); per run, since several invariants walk them. */
export const clientOperations: (run: RunRecord) => RunRecord['history']['operations'] = memoByIdentity(clientOperationsUncached, RUNS_KEPT);

function clientOperationsUncached(run: RunRecord): RunRecord['history']['operations'] {
  return run.history.operations.filter((operation) => operation.client >= 0);
}
