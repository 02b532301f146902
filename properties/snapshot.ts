/**
 * The quiescent snapshot, parsed from the reads a run makes after its
 * clients finish (see sim/snapshotRequests.ts).
 */
import type { Inventory } from '../model/index.ts';
import type { Operation } from '../sim/history.ts';
import type { RunRecord } from './runRecord.ts';
import { bodyOf, responseOf, SNAPSHOT_CLIENT, withoutQuery } from './runRecord.ts';
import { memoByIdentity } from '../sim/memoByIdentity.ts';
import { providerPaths } from '../sim/program/requestPaths.ts';

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

/**
 * What the invariants read of the final state here: the providers. (The
 * snapshot also reads each consumer; the checks that use those responses
 * read them from the history.)
 */
export interface Snapshot {
  readonly providers: readonly ProviderSnapshot[];
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
  // The last read of each path, as a map made from the list of reads keeps it.
  const byPath = new Map<string, Operation>();
  for (const operation of run.history.operations) if (operation.client === SNAPSHOT_CLIENT) byPath.set(withoutQuery(operation.request.path), operation);
  const providers = run.program.providers.map((provider): ProviderSnapshot => {
    // The paths the snapshot reads were sent to (`snapshotRequests`): the same strings, found by reference.
    const paths = providerPaths(provider.uuid);
    const usages = byPath.get(paths.usages);
    const inventories = byPath.get(paths.inventories);
    const allocations = byPath.get(paths.allocations);
    const usagesResponse = usages === undefined ? null : responseOf(usages);
    const inventoriesBody = inventories === undefined ? {} : record(bodyOf(inventories));
    const allocationsBody = allocations === undefined ? {} : record(bodyOf(allocations));
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
  return { providers };
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
