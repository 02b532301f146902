/**
 * The in-process targets: the same interface over two implementations.
 *
 * - `ideal`: every request is one atomic step through the model, as if each
 *   were a single serializable transaction. It is correct by construction,
 *   so any violation the harness reports on it is a harness bug.
 * - `placement-8.0.0`: Placement's write paths statement by statement over
 *   the simulated store, with its isolation level and any defects.
 */
import { emptyState, handle, type HttpRequest, type State } from '../../model/index.ts';
import type { DefectName } from '../defects.ts';
import { Store, type Isolation } from '../store/store.ts';
import { emptyTables, inventoryKey, type AllocationRow, type ConsumerRow, type InventoryRow, type ProviderRow, type Tables } from '../store/tables.ts';
import { startPlacementRequest, type PlacementTargetSettings } from './placement/dispatch.ts';
import type { RequestNotes } from './placement/scope.ts';
import type { RequestTask } from './step.ts';

export type Profile = 'ideal' | 'placement-8.0.0';
export const PROFILES: readonly Profile[] = ['ideal', 'placement-8.0.0'];

export interface InProcessTarget {
  readonly profile: Profile;
  start(request: HttpRequest): { readonly task: RequestTask; readonly notes: RequestNotes | null };
  /** The committed rows now, for checks that look past the API. */
  tables(): Tables;
  /** How many transactions have ended; a blocked statement may retry when it grows. */
  endings(): number;
}

/**
 * Request ids by counter: every run numbers its requests from 1 again, so
 * the same few hundred ids recur run after run. A memo of a pure function,
 * bounded by the counters it keeps.
 */
const requestIds: string[] = [];
const REQUEST_IDS_KEPT = 4_096;

function requestId(counter: number): string {
  const kept = requestIds[counter];
  if (kept !== undefined) return kept;
  const id = `req-00000000-0000-4000-8000-${counter.toString(16).padStart(12, '0')}`;
  if (counter < REQUEST_IDS_KEPT) requestIds[counter] = id;
  return id;
}

export function createIdealTarget(): InProcessTarget {
  let state: State = emptyState();
  return {
    profile: 'ideal',
    start(request) {
      function* atomic(): RequestTask {
        let response = null as ReturnType<typeof handle>['response'] | null;
        yield {
          label: `${request.method} ${request.path} (atomic)`,
          transaction: null,
          seam: 'statement',
          writes: true,
          run: () => {
            const handled = handle(state, request);
            state = handled.state;
            response = handled.response;
            return { kind: 'done', value: null };
          },
        };
        if (response === null) throw new Error('the atomic step did not run');
        return response;
      }
      return { task: atomic(), notes: null };
    },
    tables: () => tablesFromModel(state),
    endings: () => 0,
  };
}

export function createPlacementTarget(isolation: Isolation, defects: ReadonlySet<DefectName>): InProcessTarget {
  return new PlacementTarget(new Store(isolation), defects);
}

/**
 * A class rather than an object of closures: a run makes a target, and
 * methods on the prototype cost it nothing, where each closure was a new
 * function (named at run time by the TypeScript loader).
 */
class PlacementTarget implements InProcessTarget {
  readonly profile = 'placement-8.0.0';
  /** One settings object for all of the target's requests, which only read it. */
  private readonly settings: PlacementTargetSettings;
  private counter = 0;

  constructor(
    private readonly store: Store,
    defects: ReadonlySet<DefectName>,
  ) {
    this.settings = { store, defects };
  }

  start(request: HttpRequest): { readonly task: RequestTask; readonly notes: RequestNotes | null } {
    this.counter += 1;
    return startPlacementRequest(this.settings, request, requestId(this.counter), this.counter);
  }

  tables(): Tables {
    return this.store.committed;
  }

  endings(): number {
    return this.store.endedTransactions;
  }
}

/** The model's state as rows, so both targets can be inspected the same way. */
function tablesFromModel(state: State): Tables {
  const providers = new Map<string, ProviderRow>();
  const inventories = new Map<string, InventoryRow>();
  for (const provider of state.providers.values()) {
    providers.set(provider.uuid, {
      uuid: provider.uuid,
      name: provider.name,
      generation: provider.generation,
      parentUuid: provider.parentUuid,
      rootUuid: provider.rootUuid,
    });
    for (const [resourceClass, inventory] of provider.inventories) {
      inventories.set(inventoryKey(provider.uuid, resourceClass), { providerUuid: provider.uuid, resourceClass, ...inventory });
    }
  }
  const consumers = new Map<string, ConsumerRow>();
  const allocations = new Map<number, AllocationRow>();
  let id = 1;
  for (const consumer of state.consumers.values()) {
    consumers.set(consumer.uuid, {
      uuid: consumer.uuid,
      projectId: consumer.projectId,
      userId: consumer.userId,
      consumerType: consumer.consumerType,
      generation: consumer.generation,
    });
    for (const row of consumer.allocations) {
      allocations.set(id, { id, consumerUuid: consumer.uuid, providerUuid: row.providerUuid, resourceClass: row.resourceClass, used: row.used });
      id += 1;
    }
  }
  return { ...emptyTables(), providers, inventories, consumers, allocations, customResourceClasses: state.customResourceClasses, nextAllocationId: id };
}
