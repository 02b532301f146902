/**
 * Routes a request to the in-process Placement 8.0.0 implementation of its
 * endpoint. The front door (token, microversion) follows the model; routes
 * the simulation never generates answer 501, so a gap shows instead of
 * passing silently.
 */
import type { ApiContext } from '../../../model/api/context.ts';
import { splitTarget } from '../../../model/handle.ts';
import type { HttpRequest, HttpResponse } from '../../../model/index.ts';
import { negotiateMicroversion } from '../../../model/microversion.ts';
import { renderError } from '../../../model/errors.ts';
import type { DefectName } from '../../defects.ts';
import type { Store } from '../../store/store.ts';
import type { RequestTask } from '../step.ts';
import { deleteAllocationsTask, postAllocationsTask, putAllocationsTask } from './allocationHandlers.ts';
import { createProviderTask, deleteInventoryTask, deleteProviderTask, setInventoriesTask } from './inventoryHandlers.ts';
import { showConsumerAllocationsTask, showInventoriesTask, showProviderAllocationsTask, showProviderTask, showProviderUsagesTask } from './readHandlers.ts';
import { errorResponse, failure, type RequestNotes, type RequestScope } from './scope.ts';

/**
 * The routes of `handlers/*.py` the simulation uses, matched segment by
 * segment: the same matches as the anchored patterns `/allocations/([^/]+)`,
 * `/resource_providers/([^/]+)/inventories` and so on, without a regular
 * expression per route and request. `null` when no route matches.
 */
function route(scope: RequestScope, method: string, path: string): RequestTask | null {
  if (!path.startsWith('/')) return null;
  const second = path.indexOf('/', 1);
  const collection = second < 0 ? path.slice(1) : path.slice(1, second);
  if (collection === 'allocations') {
    if (second < 0) return method === 'POST' ? postAllocationsTask(scope) : null;
    const consumer = path.slice(second + 1);
    if (consumer === '' || consumer.includes('/')) return null;
    if (method === 'PUT') return putAllocationsTask(scope, consumer);
    if (method === 'DELETE') return deleteAllocationsTask(scope, consumer);
    return method === 'GET' ? showConsumerAllocationsTask(scope, consumer) : null;
  }
  if (collection !== 'resource_providers') return null;
  if (second < 0) return method === 'POST' ? createProviderTask(scope) : null;
  const third = path.indexOf('/', second + 1);
  const provider = third < 0 ? path.slice(second + 1) : path.slice(second + 1, third);
  if (provider === '') return null;
  if (third < 0) {
    if (method === 'GET') return showProviderTask(scope, provider);
    return method === 'DELETE' ? deleteProviderTask(scope, provider) : null;
  }
  const fourth = path.indexOf('/', third + 1);
  const subresource = fourth < 0 ? path.slice(third + 1) : path.slice(third + 1, fourth);
  if (fourth >= 0) {
    const item = path.slice(fourth + 1);
    if (subresource !== 'inventories' || item === '' || item.includes('/')) return null;
    return method === 'DELETE' ? deleteInventoryTask(scope, provider, item) : null;
  }
  switch (subresource) {
    case 'inventories':
      if (method === 'PUT') return setInventoriesTask(scope, provider);
      return method === 'GET' ? showInventoriesTask(scope, provider) : null;
    case 'usages':
      return method === 'GET' ? showProviderUsagesTask(scope, provider) : null;
    case 'allocations':
      return method === 'GET' ? showProviderAllocationsTask(scope, provider) : null;
    default:
      return null;
  }
}

export interface PlacementTargetSettings {
  readonly store: Store;
  readonly defects: ReadonlySet<DefectName>;
}

/** Starts a request; returns the task to step and the notes it will fill in. */
export function startPlacementRequest(settings: PlacementTargetSettings, request: HttpRequest, requestId: string): { task: RequestTask; notes: RequestNotes } {
  const notes: RequestNotes = { allocationAttempts: 0, retriesExhausted: false, commits: 0 };
  const { path, query } = splitTarget(request.path);
  const negotiated = negotiateMicroversion(request.headers['openstack-api-version']);
  if (negotiated.kind !== 'ok') {
    const response = renderError(failure(negotiated.kind === 'unacceptable' ? 406 : 400, negotiated.message), {
      microversion: null,
      requestId,
      method: request.method,
      accept: 'application/json',
      contentType: request.headers['content-type'],
    });
    return { task: immediately(response), notes };
  }
  const api: ApiContext = {
    method: request.method,
    path,
    query,
    headers: request.headers,
    body: request.body,
    microversion: negotiated.version,
    requestId,
    origin: 'http://localhost',
    parameters: {},
  };
  const scope: RequestScope = { store: settings.store, defects: settings.defects, request, api, notes };
  const task = route(scope, request.method, path);
  if (task !== null) return { task, notes };
  return { task: immediately(errorResponse(scope, failure(501, `${request.method} ${path} is not covered by the in-process target`))), notes };
}

/** A task that answers without touching the database. */
function* immediately(response: HttpResponse): RequestTask {
  return response;
}
