/**
 * Placement 8.0.0's route table (`placement/handler.py`) with, per method,
 * the guards its decorators apply in order, the policy it checks and the
 * model's handler.
 */
import { error } from '../errors.ts';
import { microversion, type Microversion } from '../microversion.ts';
import type { State } from '../state.ts';
import {
  deleteAllocationsEndpoint,
  postAllocations,
  preparePostAllocations,
  preparePutAllocations,
  putAllocations,
  showConsumerAllocations,
  showProviderAllocations,
} from './allocations.ts';
import {
  createResourceClassEndpoint,
  deleteProviderTraitsEndpoint,
  deleteResourceClassEndpoint,
  deleteTraitEndpoint,
  listAggregates,
  listProviderTraits,
  listResourceClasses,
  listTraits,
  putResourceClass,
  putTrait,
  setAggregatesEndpoint,
  setProviderTraitsEndpoint,
  showResourceClass,
  showTrait,
} from './classifiers.ts';
import { fail, type ApiContext, type Handler, type Reply, type RequestContext } from './context.ts';
import {
  createInventoryEndpoint,
  deleteInventoriesEndpoint,
  deleteInventoryEndpoint,
  listInventories,
  prepareSetInventories,
  setInventoriesEndpoint,
  showInventory,
  updateInventoryEndpoint,
} from './inventories.ts';
import { createProviderEndpoint, deleteProviderEndpoint, listProviders, prepareCreateProvider, showProvider, updateProviderEndpoint } from './providers.ts';
import { home } from './root.ts';
import { showProviderUsages, totalUsages } from './usages.ts';

export type { Handler } from './context.ts';

/** A decorator of the real handler, checked in the order listed. */
export type Guard =
  | { readonly kind: 'version'; readonly min: Microversion; readonly max?: Microversion; readonly status: 404 | 405 }
  /** `util.require_content('application/json')`, possibly only below a version. */
  | { readonly kind: 'content'; readonly below?: Microversion }
  | { readonly kind: 'accept' };

export interface Endpoint {
  readonly guards: readonly Guard[];
  /** The oslo.policy rule the handler checks; `null` when it checks none. */
  readonly policy: string | null;
  readonly handler: Handler;
  /**
   * The handler's reading of the request alone (path parameters, body,
   * microversion), done once when the request is decoded; returns a handler
   * equal to `handler` for this request. For endpoints the linearizability
   * checker answers in many states, where that reading costs most.
   */
  readonly prepare?: (context: RequestContext) => Handler;
}

export interface Route extends PathTemplate {
  /** The template as Placement writes it, e.g. `/resource_providers/{uuid}`. */
  readonly template: string;
  readonly methods: Readonly<Record<string, Endpoint>>;
}

const version = (min: [number, number], max?: [number, number], status: 404 | 405 = 404): Guard =>
  max === undefined
    ? { kind: 'version', min: microversion(...min), status }
    : { kind: 'version', min: microversion(...min), max: microversion(...max), status };
const content: Guard = { kind: 'content' };
const accept: Guard = { kind: 'accept' };

function notCovered(state: State, context: ApiContext): Reply {
  void state;
  return fail(error(501, `${context.method} ${context.path} is not covered by the placement-sim model.`));
}

/** A path template split at `/`: literal segments, and `null` for each `{parameter}` (any non-empty segment). */
export interface PathTemplate {
  readonly segments: readonly (string | null)[];
  readonly parameterNames: readonly string[];
}

export function pathTemplate(template: string): PathTemplate {
  const parameterNames: string[] = [];
  const segments = template.split('/').map((segment) => {
    const parameter = /^\{(\w+)\}$/.exec(segment);
    if (parameter === null) {
      if (segment.includes('{')) throw new Error(`a parameter must be a whole segment: ${template}`);
      return segment;
    }
    parameterNames.push(parameter[1] ?? '');
    return null;
  });
  return { segments, parameterNames };
}

/**
 * The template's parameter values in a path split at `/`, in order, or `null`
 * when the template does not match the whole path: the matches of Routes'
 * `^template$` pattern with `([^/]+)` for each parameter, without a regular
 * expression per route and request.
 */
export function matchTemplate(template: PathTemplate, segments: readonly string[]): string[] | null {
  if (template.segments.length !== segments.length) return null;
  // Checked whole before any value is kept: most templates tried fail at a
  // literal after a parameter, and an array pushed onto makes room for 16.
  for (let index = 0; index < segments.length; index += 1) {
    const expected = template.segments[index];
    const segment = segments[index] ?? '';
    if (expected === null ? segment === '' : segment !== expected) return null;
  }
  const values: string[] = [];
  for (let index = 0; index < segments.length; index += 1) {
    if (template.segments[index] === null) values.push(segments[index] ?? '');
  }
  return values;
}

function route(template: string, methods: Record<string, Endpoint>): Route {
  return { template, ...pathTemplate(template), methods };
}

const rp = 'placement:resource_providers';

export const ROUTES: readonly Route[] = [
  route('/', { GET: { guards: [], policy: null, handler: home } }),
  route('', { GET: { guards: [], policy: null, handler: home } }),
  route('/resource_classes', {
    GET: { guards: [version([1, 2]), accept], policy: 'placement:resource_classes:list', handler: listResourceClasses },
    POST: { guards: [version([1, 2]), content], policy: 'placement:resource_classes:create', handler: createResourceClassEndpoint },
  }),
  route('/resource_classes/{name}', {
    GET: { guards: [version([1, 2]), accept], policy: 'placement:resource_classes:show', handler: showResourceClass },
    PUT: {
      guards: [version([1, 2]), { kind: 'content', below: microversion(1, 7) }],
      policy: 'placement:resource_classes:update',
      handler: putResourceClass,
    },
    DELETE: { guards: [version([1, 2])], policy: 'placement:resource_classes:delete', handler: deleteResourceClassEndpoint },
  }),
  route('/resource_providers', {
    GET: { guards: [accept], policy: `${rp}:list`, handler: listProviders },
    POST: { guards: [content], policy: `${rp}:create`, handler: createProviderEndpoint, prepare: prepareCreateProvider },
  }),
  route('/resource_providers/{uuid}', {
    GET: { guards: [accept], policy: `${rp}:show`, handler: showProvider },
    DELETE: { guards: [], policy: `${rp}:delete`, handler: deleteProviderEndpoint },
    PUT: { guards: [content], policy: `${rp}:update`, handler: updateProviderEndpoint },
  }),
  route('/resource_providers/{uuid}/inventories', {
    GET: { guards: [accept], policy: `${rp}:inventories:list`, handler: listInventories },
    POST: { guards: [content], policy: `${rp}:inventories:create`, handler: createInventoryEndpoint },
    PUT: { guards: [content], policy: `${rp}:inventories:update`, handler: setInventoriesEndpoint, prepare: prepareSetInventories },
    DELETE: { guards: [version([1, 5], undefined, 405)], policy: `${rp}:inventories:delete`, handler: deleteInventoriesEndpoint },
  }),
  route('/resource_providers/{uuid}/inventories/{resource_class}', {
    GET: { guards: [accept], policy: `${rp}:inventories:show`, handler: showInventory },
    PUT: { guards: [content], policy: `${rp}:inventories:update`, handler: updateInventoryEndpoint },
    DELETE: { guards: [], policy: `${rp}:inventories:delete`, handler: deleteInventoryEndpoint },
  }),
  route('/resource_providers/{uuid}/usages', {
    GET: { guards: [accept], policy: `${rp}:usages`, handler: showProviderUsages },
  }),
  route('/resource_providers/{uuid}/aggregates', {
    GET: { guards: [accept, version([1, 1])], policy: `${rp}:aggregates:list`, handler: listAggregates },
    PUT: { guards: [content, version([1, 1])], policy: `${rp}:aggregates:update`, handler: setAggregatesEndpoint },
  }),
  route('/resource_providers/{uuid}/allocations', {
    GET: { guards: [accept], policy: `${rp}:allocations:list`, handler: showProviderAllocations },
  }),
  route('/allocations', {
    POST: {
      guards: [version([1, 13]), content],
      policy: 'placement:allocations:manage',
      handler: postAllocations,
      prepare: preparePostAllocations,
    },
  }),
  route('/allocations/{consumer_uuid}', {
    GET: { guards: [accept], policy: 'placement:allocations:list', handler: showConsumerAllocations },
    PUT: { guards: [content], policy: 'placement:allocations:update', handler: putAllocations, prepare: preparePutAllocations },
    DELETE: { guards: [], policy: 'placement:allocations:delete', handler: deleteAllocationsEndpoint },
  }),
  route('/allocation_candidates', {
    GET: { guards: [], policy: null, handler: notCovered },
  }),
  route('/traits', {
    GET: { guards: [version([1, 6]), accept], policy: 'placement:traits:list', handler: listTraits },
  }),
  route('/traits/{name}', {
    GET: { guards: [version([1, 6])], policy: 'placement:traits:show', handler: showTrait },
    PUT: { guards: [version([1, 6])], policy: 'placement:traits:update', handler: putTrait },
    DELETE: { guards: [version([1, 6])], policy: 'placement:traits:delete', handler: deleteTraitEndpoint },
  }),
  route('/resource_providers/{uuid}/traits', {
    GET: { guards: [version([1, 6]), accept], policy: `${rp}:traits:list`, handler: listProviderTraits },
    PUT: { guards: [version([1, 6]), content], policy: `${rp}:traits:update`, handler: setProviderTraitsEndpoint },
    DELETE: { guards: [version([1, 6])], policy: `${rp}:traits:delete`, handler: deleteProviderTraitsEndpoint },
  }),
  route('/usages', {
    GET: { guards: [version([1, 9]), accept], policy: 'placement:usages', handler: totalUsages },
  }),
  route('/reshaper', {
    POST: { guards: [], policy: null, handler: notCovered },
  }),
];

export type RouteMatch =
  | { readonly kind: 'endpoint'; readonly endpoint: Endpoint; readonly parameters: Readonly<Record<string, string>> }
  | { readonly kind: 'methodNotAllowed'; readonly allow: string }
  | { readonly kind: 'notFound' };

/**
 * The first route whose template matches the whole path, as Routes finds it.
 * Remembered per path, then per method: the model decodes each request of a
 * run (a few dozen requests to a handful of paths, most with two or three
 * methods: PUT, GET and DELETE of one consumer) and splitting and matching
 * cost more than a lookup. A memo of a pure function whose results are never
 * modified, bounded by wiping at a few runs' worth: paths name a run's own
 * uuids, so older entries only cost the collector (a run makes about ten).
 */
export function matchRoute(method: string, path: string): RouteMatch {
  let matched = matchedPaths.get(path);
  if (matched === undefined) {
    matched = matchPath(path);
    if (matchedPaths.size >= MATCHED_PATHS_MAX) matchedPaths.clear();
    matchedPaths.set(path, matched);
  }
  const { byMethod } = matched;
  if (Object.prototype.hasOwnProperty.call(byMethod, method)) {
    const known = byMethod[method];
    if (known !== undefined) return known;
  }
  const match = routeMatch(matched, method);
  // Methods are a handful, unless a fuzzer makes them up; `__proto__` would set the prototype, not a member.
  if (method !== '__proto__' && matched.methodsCount < METHODS_PER_PATH_MAX) {
    byMethod[method] = match;
    matched.methodsCount += 1;
  }
  return match;
}

/**
 * The route a path names and its parameters, with the matches already made
 * for methods of it (an object of a few members, no larger than its own
 * slots, where lists pushed onto would make room for sixteen each).
 */
interface PathMatch {
  readonly route: Route | null;
  readonly parameters: Readonly<Record<string, string>>;
  readonly byMethod: Record<string, RouteMatch>;
  methodsCount: number;
}

const matchedPaths = new Map<string, PathMatch>();
const MATCHED_PATHS_MAX = 32;
const METHODS_PER_PATH_MAX = 8;
const NOT_FOUND: RouteMatch = { kind: 'notFound' };

function matchPath(path: string): PathMatch {
  const segments = path.split('/');
  for (const candidate of ROUTES) {
    const values = matchTemplate(candidate, segments);
    if (values === null) continue;
    const parameters: Record<string, string> = {};
    for (let index = 0; index < values.length; index += 1) parameters[candidate.parameterNames[index] ?? ''] = values[index] ?? '';
    return { route: candidate, parameters, byMethod: {}, methodsCount: 0 };
  }
  return { route: null, parameters: {}, byMethod: {}, methodsCount: 0 };
}

function routeMatch(matched: PathMatch, method: string): RouteMatch {
  const { route: candidate, parameters } = matched;
  if (candidate === null) return NOT_FOUND;
  const endpoint = candidate.methods[method];
  if (endpoint === undefined) return { kind: 'methodNotAllowed', allow: Object.keys(candidate.methods).join(', ') };
  return { kind: 'endpoint', endpoint, parameters };
}
