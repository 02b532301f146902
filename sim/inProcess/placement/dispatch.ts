/**
 * Routes a request to the in-process Placement 8.0.0 implementation of its
 * endpoint. The front door (token, microversion) follows the model; routes
 * the simulation never generates answer 501, so a gap shows instead of
 * passing silently.
 */
import type { ApiContext } from '../../../model/api/context.ts';
import { matchTemplate, pathTemplate, type PathTemplate } from '../../../model/api/routes.ts';
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
import { answered, errorResponse, failure, type RequestNotes, type RequestScope } from './scope.ts';

type Route = (scope: RequestScope, parameters: readonly string[]) => RequestTask;

/**
 * The routes of `handlers/*.py` the simulation uses, matched as the model
 * matches its own. Parameters are read by index: destructuring an array
 * would go through the iterator protocol on every request.
 */
const ROUTES: readonly (readonly [string, PathTemplate, Route])[] = (
  [
    ['PUT', '/allocations/{consumer}', (scope, parameters) => putAllocationsTask(scope, parameters[0] ?? '')],
    ['DELETE', '/allocations/{consumer}', (scope, parameters) => deleteAllocationsTask(scope, parameters[0] ?? '')],
    ['GET', '/allocations/{consumer}', (scope, parameters) => showConsumerAllocationsTask(scope, parameters[0] ?? '')],
    ['POST', '/allocations', (scope) => postAllocationsTask(scope)],
    ['POST', '/resource_providers', (scope) => createProviderTask(scope)],
    ['GET', '/resource_providers/{provider}', (scope, parameters) => showProviderTask(scope, parameters[0] ?? '')],
    ['DELETE', '/resource_providers/{provider}', (scope, parameters) => deleteProviderTask(scope, parameters[0] ?? '')],
    ['PUT', '/resource_providers/{provider}/inventories', (scope, parameters) => setInventoriesTask(scope, parameters[0] ?? '')],
    ['GET', '/resource_providers/{provider}/inventories', (scope, parameters) => showInventoriesTask(scope, parameters[0] ?? '')],
    [
      'DELETE',
      '/resource_providers/{provider}/inventories/{resource_class}',
      (scope, parameters) => deleteInventoryTask(scope, parameters[0] ?? '', parameters[1] ?? ''),
    ],
    ['GET', '/resource_providers/{provider}/usages', (scope, parameters) => showProviderUsagesTask(scope, parameters[0] ?? '')],
    ['GET', '/resource_providers/{provider}/allocations', (scope, parameters) => showProviderAllocationsTask(scope, parameters[0] ?? '')],
  ] as const satisfies readonly (readonly [string, string, Route])[]
).map(([method, template, task]) => [method, pathTemplate(template), task] as const);

interface RouteMatch {
  readonly task: Route;
  readonly parameters: readonly string[];
}

/**
 * Routes matched per method and path: a run sends the same few paths again
 * and again, and a lookup is cheaper than splitting and matching. A memo of
 * a pure function (matches are never modified), bounded by wiping at a
 * dozen runs' worth (paths name a run's own uuids; older entries only cost
 * the collector).
 */
const matchedRoutes = new Map<string, Map<string, RouteMatch | null>>();
const MATCHED_PATHS_PER_METHOD_MAX = 256;

function matchRoute(method: string, path: string): RouteMatch | null {
  let byPath = matchedRoutes.get(method);
  if (byPath === undefined) {
    byPath = new Map();
    matchedRoutes.set(method, byPath);
  }
  let match = byPath.get(path);
  if (match === undefined) {
    match = findRoute(method, path);
    if (byPath.size >= MATCHED_PATHS_PER_METHOD_MAX) byPath.clear();
    byPath.set(path, match);
  }
  return match;
}

function findRoute(method: string, path: string): RouteMatch | null {
  const segments = path.split('/');
  for (const [routeMethod, template, task] of ROUTES) {
    if (routeMethod !== method) continue;
    const parameters = matchTemplate(template, segments);
    if (parameters !== null) return { task, parameters };
  }
  return null;
}

function route(scope: RequestScope, method: string, path: string): RequestTask | null {
  const match = matchRoute(method, path);
  return match === null ? null : match.task(scope, match.parameters);
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
    return { task: answered(response), notes };
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
  return { task: answered(errorResponse(scope, failure(501, `${request.method} ${path} is not covered by the in-process target`))), notes };
}
