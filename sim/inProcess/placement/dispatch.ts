/**
 * Routes a request to the in-process Placement 8.0.0 implementation of its
 * endpoint. The front door (token, microversion) follows the model; routes
 * the simulation never generates answer 501, so a gap shows instead of
 * passing silently.
 */
import { matchRoute as matchModelRoute, pathTemplate, type Endpoint } from '../../../model/api/routes.ts';
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
import { answered, errorResponse, failure, RequestStatement, type RequestNotes, type RequestScope } from './scope.ts';

type Route = (scope: RequestScope, parameters: Readonly<Record<string, string>>) => RequestTask;

/**
 * The routes of `handlers/*.py` the simulation uses, written with the
 * model's templates and parameter names: a path is matched by the model's
 * route matching (remembered per path, so the model, decoding the same
 * request for the checker, finds it matched), and its endpoint picks the
 * task. Each template here is one of the model's, and the model's templates
 * differ in a literal segment wherever they have as many segments, so the
 * model's first match is the only one: a method and path reach a task
 * exactly when they match its template.
 */
const ROUTES: readonly (readonly [string, string, Route])[] = [
  ['PUT', '/allocations/{consumer_uuid}', (scope, parameters) => putAllocationsTask(scope, parameters['consumer_uuid'] ?? '')],
  ['DELETE', '/allocations/{consumer_uuid}', (scope, parameters) => deleteAllocationsTask(scope, parameters['consumer_uuid'] ?? '')],
  ['GET', '/allocations/{consumer_uuid}', (scope, parameters) => showConsumerAllocationsTask(scope, parameters['consumer_uuid'] ?? '')],
  ['POST', '/allocations', (scope) => postAllocationsTask(scope)],
  ['POST', '/resource_providers', (scope) => createProviderTask(scope)],
  ['GET', '/resource_providers/{uuid}', (scope, parameters) => showProviderTask(scope, parameters['uuid'] ?? '')],
  ['DELETE', '/resource_providers/{uuid}', (scope, parameters) => deleteProviderTask(scope, parameters['uuid'] ?? '')],
  ['PUT', '/resource_providers/{uuid}/inventories', (scope, parameters) => setInventoriesTask(scope, parameters['uuid'] ?? '')],
  ['GET', '/resource_providers/{uuid}/inventories', (scope, parameters) => showInventoriesTask(scope, parameters['uuid'] ?? '')],
  [
    'DELETE',
    '/resource_providers/{uuid}/inventories/{resource_class}',
    (scope, parameters) => deleteInventoryTask(scope, parameters['uuid'] ?? '', parameters['resource_class'] ?? ''),
  ],
  ['GET', '/resource_providers/{uuid}/usages', (scope, parameters) => showProviderUsagesTask(scope, parameters['uuid'] ?? '')],
  ['GET', '/resource_providers/{uuid}/allocations', (scope, parameters) => showProviderAllocationsTask(scope, parameters['uuid'] ?? '')],
];

/** Each route's task by the model's endpoint for its method and template. */
const TASKS: ReadonlyMap<Endpoint, Route> = new Map(ROUTES.map(([method, template, task]) => [modelEndpoint(method, template), task] as const));

/**
 * The model's endpoint for a method and template, found by matching the
 * template with each parameter standing for itself; throws unless the model
 * has that template, with those parameters (a mistake in `ROUTES`).
 */
function modelEndpoint(method: string, template: string): Endpoint {
  const { segments, parameterNames } = pathTemplate(template);
  const sample = segments.map((segment, index) => segment ?? `{${index}}`).join('/');
  const match = matchModelRoute(method, sample);
  const expected = segments.flatMap((segment, index) => (segment === null ? [`{${index}}`] : []));
  if (match.kind !== 'endpoint' || JSON.stringify(parameterNames.map((name) => match.parameters[name])) !== JSON.stringify(expected)) {
    throw new Error(`the model has no ${method} ${template}`);
  }
  return match.endpoint;
}

function route(scope: RequestScope, method: string, path: string): RequestTask | null {
  const match = matchModelRoute(method, path);
  if (match.kind !== 'endpoint') return null;
  const task = TASKS.get(match.endpoint);
  return task === undefined ? null : task(scope, match.parameters);
}

export interface PlacementTargetSettings {
  readonly store: Store;
  readonly defects: ReadonlySet<DefectName>;
}

/**
 * Starts a request; returns the task to step and the notes it will fill in.
 * `requestNumber`: the small number its id is remembered under (see `RequestScope.requestNumber`).
 */
export function startPlacementRequest(
  settings: PlacementTargetSettings,
  request: HttpRequest,
  requestId: string,
  requestNumber: number,
): { task: RequestTask; notes: RequestNotes } {
  const notes: RequestNotes = { allocationAttempts: 0, retriesExhausted: false, commits: 0 };
  const { path } = splitTarget(request.path);
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
  const scope: RequestScope = new RequestStatement(settings.store, settings.defects, request, negotiated.version, requestId, requestNumber, notes);
  const task = route(scope, request.method, path);
  if (task !== null) return { task, notes };
  return { task: answered(errorResponse(scope, failure(501, `${request.method} ${path} is not covered by the in-process target`))), notes };
}
