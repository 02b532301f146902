/**
 * Turns a planned request into the concrete `HttpRequest` both sides get,
 * reading generations from the model's state at that point.
 *
 * Pure: the same plan and state always give the same request.
 */
import { placementRequest, type HttpRequest, type State } from '../../model/index.ts';
import { isUuidLike, normalizeUuid } from '../../model/uuid.ts';
import type {
  Action,
  AllocationShape,
  ConsumerAllocationChoice,
  ConsumerGenerationChoice,
  Corruption,
  InventoryChoice,
  ProviderAllocationChoice,
  ProviderGenerationChoice,
  Reference,
  RequestPlan,
} from './action.ts';
import {
  AGGREGATE_UUIDS,
  ALLOCATION_PROVIDERS,
  CONSUMERS,
  CONSUMER_TYPES,
  CONSUMER_UUIDS,
  CREATED_PROVIDER_UUIDS,
  PATH_PROVIDERS,
  PROJECTS,
  PROVIDER_LIST_FILTERS,
  PROVIDER_NAMES,
  RESOURCE_CLASSES,
  RESOURCE_CLASS_NAMES,
  TRAITS,
  TRAIT_LIST_FILTERS,
  TRAIT_NAMES,
  USAGE_CONSUMER_TYPES,
  USERS,
} from './pools.ts';

/** RESOURCE_CLASSES starts with this many standard classes. */
const STANDARD_CLASSES_IN_POOL = 3;

type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

/** What the action asks for before corruption: method, path and an optional JSON body. */
interface Shaped {
  readonly method: string;
  readonly path: string;
  readonly body?: Json;
}

export function materialiseAction(plan: RequestPlan, state: State): HttpRequest {
  const shaped = shapeAction(plan.action, effectiveMinor(plan.version), state);
  const options: { microversion?: string; body?: unknown } = {};
  if (plan.version !== null) options.microversion = plan.version;
  if (shaped.body !== undefined) options.body = withPythonLiterals(JSON.stringify(shaped.body));
  return corrupt(placementRequest(shaped.method, shaped.path, options), plan.corruption);
}

/**
 * Python's json accepts NaN, Infinity and -Infinity; JSON.stringify cannot
 * write them, so bodies carry a marker string that is swapped for the bare
 * literal afterwards.
 */
const NON_FINITE_MARKER = '\u0000';

function nonFinite(value: number): Json {
  return `${NON_FINITE_MARKER}${String(value)}`;
}

function withPythonLiterals(text: string): string {
  return text.replace(/"\\u0000(NaN|Infinity|-Infinity)"/g, '$1');
}

/** The minor version the body is shaped for; unservable versions fail before the body is read. */
function effectiveMinor(version: string | null): number {
  if (version === null) return 0;
  const match = /^1\.(\d+)$/.exec(version);
  if (match === null) return 39;
  const minor = Number.parseInt(match[1] ?? '39', 10);
  return minor <= 39 ? minor : 39;
}

function pick(pool: readonly string[], index: number): string {
  const value = pool[index];
  if (value === undefined) throw new Error(`pool index ${index} out of range (${pool.length} entries)`);
  return value;
}

function shapeAction(action: Action, minor: number, state: State): Shaped {
  switch (action.kind) {
    case 'createProvider': {
      const body: Record<string, Json> = { name: pick(PROVIDER_NAMES, action.name), uuid: pick(CREATED_PROVIDER_UUIDS, action.uuid) };
      if (action.parent !== null) body['parent_provider_uuid'] = pick(PATH_PROVIDERS, action.parent);
      return { method: 'POST', path: '/resource_providers', body };
    }
    case 'updateProvider': {
      const body: Record<string, Json> = { name: pick(PROVIDER_NAMES, action.name) };
      if (action.parent === 'none') body['parent_provider_uuid'] = null;
      else if (action.parent !== 'keep') body['parent_provider_uuid'] = pick(PATH_PROVIDERS, action.parent);
      return { method: 'PUT', path: providerPath(action.provider, state), body };
    }
    case 'deleteProvider':
      return { method: 'DELETE', path: providerPath(action.provider, state) };
    case 'showProvider':
      return { method: 'GET', path: providerPath(action.provider, state) };
    case 'listProviders': {
      const query = action.filters.map((index) => pick(PROVIDER_LIST_FILTERS, index)).join('&');
      return { method: 'GET', path: query === '' ? '/resource_providers' : `/resource_providers?${query}` };
    }
    case 'createInventory':
      return {
        method: 'POST',
        path: `${providerPath(action.provider, state)}/inventories`,
        body: { resource_class: pick(RESOURCE_CLASSES, action.resourceClass), ...inventoryBody(action.inventory) },
      };
    case 'setInventories': {
      const inventories: Record<string, Json> = {};
      for (const [resourceClass, inventory] of action.inventories) inventories[pick(RESOURCE_CLASSES, resourceClass)] = inventoryBody(inventory);
      return {
        method: 'PUT',
        path: `${providerPath(action.provider, state)}/inventories`,
        body: { ...providerGeneration(state, resolveProvider(PATH_PROVIDERS, action.provider, state), action.generation), inventories },
      };
    }
    case 'updateInventory':
      return {
        method: 'PUT',
        path: `${providerPath(action.provider, state)}/inventories/${inventoryClass(action.provider, action.resourceClass, state)}`,
        body: { ...providerGeneration(state, resolveProvider(PATH_PROVIDERS, action.provider, state), action.generation), ...inventoryBody(action.inventory) },
      };
    case 'deleteInventory':
      return { method: 'DELETE', path: `${providerPath(action.provider, state)}/inventories/${inventoryClass(action.provider, action.resourceClass, state)}` };
    case 'deleteInventories':
      return { method: 'DELETE', path: `${providerPath(action.provider, state)}/inventories` };
    case 'showInventory':
      return { method: 'GET', path: `${providerPath(action.provider, state)}/inventories/${inventoryClass(action.provider, action.resourceClass, state)}` };
    case 'listInventories':
      return { method: 'GET', path: `${providerPath(action.provider, state)}/inventories` };
    case 'putAllocations': {
      const consumer = resolveConsumer(action.write.consumer, state);
      // PUT normalises a uuid-like path, so the model knows the consumer by its normal form.
      const key = isUuidLike(consumer) ? normalizeUuid(consumer) : consumer;
      return { method: 'PUT', path: `/allocations/${consumer}`, body: consumerBody(action.write, key, action.shape, minor, state, 'put') };
    }
    case 'postAllocations': {
      const body: Record<string, Json> = {};
      for (const write of action.writes) {
        const consumer = resolveConsumer(write.consumer, state);
        body[consumer] = consumerBody(write, consumer, action.shape, minor, state, 'post');
      }
      return { method: 'POST', path: '/allocations', body };
    }
    case 'deleteAllocations':
      return { method: 'DELETE', path: `/allocations/${resolveConsumer(action.consumer, state)}` };
    case 'showConsumerAllocations':
      return { method: 'GET', path: `/allocations/${resolveConsumer(action.consumer, state)}` };
    case 'showProviderAllocations':
      return { method: 'GET', path: `${providerPath(action.provider, state)}/allocations` };
    case 'showProviderUsages':
      return { method: 'GET', path: `${providerPath(action.provider, state)}/usages` };
    case 'totalUsages': {
      const query: string[] = [];
      // Encoded, so that a value with spaces and quotes still makes a valid request line.
      if (action.project !== null) query.push(`project_id=${encodeURIComponent(pick(PROJECTS, action.project))}`);
      if (action.user !== null) query.push(`user_id=${encodeURIComponent(pick(USERS, action.user))}`);
      if (action.consumerType !== null) query.push(`consumer_type=${pick(USAGE_CONSUMER_TYPES, action.consumerType)}`);
      return { method: 'GET', path: query.length === 0 ? '/usages' : `/usages?${query.join('&')}` };
    }
    case 'putTrait':
      return { method: 'PUT', path: `/traits/${pick(TRAIT_NAMES, action.trait)}` };
    case 'showTrait':
      return { method: 'GET', path: `/traits/${pick(TRAIT_NAMES, action.trait)}` };
    case 'deleteTrait':
      return { method: 'DELETE', path: `/traits/${pick(TRAIT_NAMES, action.trait)}` };
    case 'listTraits': {
      const query = pick(TRAIT_LIST_FILTERS, action.filter);
      return { method: 'GET', path: query === '' ? '/traits' : `/traits?${query}` };
    }
    case 'setProviderTraits':
      return {
        method: 'PUT',
        path: `${providerPath(action.provider, state)}/traits`,
        body: { traits: action.traits.map((index) => pick(TRAITS, index)), ...providerGeneration(state, resolveProvider(PATH_PROVIDERS, action.provider, state), action.generation) },
      };
    case 'deleteProviderTraits':
      return { method: 'DELETE', path: `${providerPath(action.provider, state)}/traits` };
    case 'listProviderTraits':
      return { method: 'GET', path: `${providerPath(action.provider, state)}/traits` };
    case 'setAggregates': {
      const aggregates = action.aggregates.map((index) => pick(AGGREGATE_UUIDS, index));
      // Before 1.19 the body is the bare list and carries no generation.
      const body: Json = minor < 19 ? aggregates : { aggregates, ...providerGeneration(state, resolveProvider(PATH_PROVIDERS, action.provider, state), action.generation) };
      return { method: 'PUT', path: `${providerPath(action.provider, state)}/aggregates`, body };
    }
    case 'listAggregates':
      return { method: 'GET', path: `${providerPath(action.provider, state)}/aggregates` };
    case 'createResourceClass':
      return { method: 'POST', path: '/resource_classes', body: { name: pick(RESOURCE_CLASS_NAMES, action.name) } };
    case 'putResourceClass': {
      const path = `/resource_classes/${pick(RESOURCE_CLASS_NAMES, action.name)}`;
      // Before 1.7 a PUT renames the class to the name in its body; from 1.7 it has no body.
      return minor < 7 ? { method: 'PUT', path, body: { name: pick(RESOURCE_CLASS_NAMES, action.newName) } } : { method: 'PUT', path };
    }
    case 'deleteResourceClass':
      return { method: 'DELETE', path: `/resource_classes/${pick(RESOURCE_CLASS_NAMES, action.name)}` };
    case 'showResourceClass':
      return { method: 'GET', path: `/resource_classes/${pick(RESOURCE_CLASS_NAMES, action.name)}` };
    case 'listResourceClasses':
      return { method: 'GET', path: '/resource_classes' };
    case 'showRoot':
      return { method: 'GET', path: '/' };
    default:
      return assertNever(action);
  }
}

/** The provider a reference names: a pool entry, or one the model holds. */
function resolveProvider(pool: readonly string[], reference: Reference, state: State): string {
  if ('pool' in reference) return pick(pool, reference.pool);
  const existing = [...state.providers.keys()];
  const chosen = existing[reference.existing % Math.max(1, existing.length)];
  return chosen ?? pick(pool, reference.existing % pool.length);
}

/** The consumer a reference names; the model's consumers are taken in sorted order. */
function resolveConsumer(reference: Reference, state: State): string {
  if ('pool' in reference) return pick(CONSUMERS, reference.pool);
  const existing = [...state.consumers.keys()].sort();
  const chosen = existing[reference.existing % Math.max(1, existing.length)];
  return chosen ?? pick(CONSUMERS, reference.existing % CONSUMER_UUIDS.length);
}

/** The class a reference names: a pool entry, or one the provider has inventory of. */
function resolveResourceClass(reference: Reference, providerUuid: string, state: State): string {
  if ('pool' in reference) return pick(RESOURCE_CLASSES, reference.pool);
  const existing = [...(state.providers.get(providerUuid)?.inventories.keys() ?? [])];
  const chosen = existing[reference.existing % Math.max(1, existing.length)];
  // A provider without inventory: a standard class, which exists but is not in its inventory.
  return chosen ?? pick(RESOURCE_CLASSES, reference.existing % STANDARD_CLASSES_IN_POOL);
}

function providerPath(reference: Reference, state: State): string {
  return `/resource_providers/${resolveProvider(PATH_PROVIDERS, reference, state)}`;
}

function inventoryClass(provider: Reference, resourceClass: Reference, state: State): string {
  return resolveResourceClass(resourceClass, resolveProvider(PATH_PROVIDERS, provider, state), state);
}

function inventoryBody(inventory: InventoryChoice): Record<string, Json> {
  const body: Record<string, Json> = {};
  if (inventory.total !== null) body['total'] = inventory.total;
  if (inventory.reserved !== null) body['reserved'] = inventory.reserved;
  if (inventory.minUnit !== null) body['min_unit'] = inventory.minUnit;
  if (inventory.maxUnit !== null) body['max_unit'] = inventory.maxUnit;
  if (inventory.stepSize !== null) body['step_size'] = inventory.stepSize;
  if (inventory.allocationRatio !== null) {
    body['allocation_ratio'] = Number.isFinite(inventory.allocationRatio) ? inventory.allocationRatio : nonFinite(inventory.allocationRatio);
  }
  return body;
}

/** `resource_provider_generation` as the choice asks, read from the model's provider. */
function providerGeneration(state: State, provider: string, choice: ProviderGenerationChoice): Record<string, Json> {
  const current = state.providers.get(provider)?.generation ?? 0;
  switch (choice) {
    case 'current':
      return { resource_provider_generation: current };
    case 'behind':
      return { resource_provider_generation: current - 1 };
    case 'ahead':
      return { resource_provider_generation: current + 1 };
    case 'missing':
      return {};
    default:
      return assertNever(choice);
  }
}

/** `consumer_generation` as the choice asks; `undefined` leaves the key out. */
function consumerGeneration(state: State, consumerKey: string, choice: ConsumerGenerationChoice): Json | undefined {
  const current = state.consumers.get(consumerKey)?.generation;
  switch (choice) {
    case 'current':
      return current ?? null;
    case 'null':
      return null;
    case 'behind':
      return current === undefined ? 0 : current - 1;
    case 'ahead':
      return current === undefined ? 1 : current + 1;
    case 'missing':
      return undefined;
    default:
      return assertNever(choice);
  }
}

function resourcesBody(allocation: ProviderAllocationChoice, providerUuid: string, state: State): Record<string, Json> {
  const resources: Record<string, Json> = {};
  for (const [resourceClass, amount] of allocation.resources) resources[resolveResourceClass(resourceClass, providerUuid, state)] = amount;
  return resources;
}

/**
 * One consumer's body, shaped for the microversion: the list form before
 * 1.12, project and user from 1.8, consumer generation from 1.28, consumer
 * type from 1.38. POST always uses the dict form with project and user.
 */
function consumerBody(
  write: ConsumerAllocationChoice,
  consumerKey: string,
  shape: AllocationShape,
  minor: number,
  state: State,
  form: 'put' | 'post',
): Json {
  const listForm = shape === 'listForm' || (shape !== 'dictForm' && form === 'put' && minor < 12);
  const body: Record<string, Json> = {};
  if (listForm) {
    body['allocations'] = write.allocations.map((allocation) => {
      const provider = resolveProvider(ALLOCATION_PROVIDERS, allocation.provider, state);
      return { resource_provider: { uuid: provider }, resources: resourcesBody(allocation, provider, state) };
    });
  } else {
    const allocations: Record<string, Json> = {};
    for (const allocation of write.allocations) {
      const provider = resolveProvider(ALLOCATION_PROVIDERS, allocation.provider, state);
      const entry: Record<string, Json> = { resources: resourcesBody(allocation, provider, state) };
      if (allocation.generation !== null) entry['generation'] = allocation.generation;
      allocations[provider] = entry;
    }
    body['allocations'] = allocations;
  }
  const withProjectUser = shape !== 'noProjectUser' && (form === 'post' || minor >= 8);
  if (withProjectUser) {
    body['project_id'] = pick(PROJECTS, write.project);
    body['user_id'] = pick(USERS, write.user);
  }
  if (minor >= 28) {
    const generation = consumerGeneration(state, consumerKey, write.consumerGeneration);
    if (generation !== undefined) body['consumer_generation'] = generation;
  }
  if (minor >= 38) body['consumer_type'] = pick(CONSUMER_TYPES, write.consumerType);
  if (shape === 'withMappings') {
    const first = write.allocations[0];
    body['mappings'] = { _group1: first === undefined ? [] : [resolveProvider(ALLOCATION_PROVIDERS, first.provider, state)] };
  }
  return body;
}

function corrupt(request: HttpRequest, corruption: Corruption): HttpRequest {
  const headers: Record<string, string> = { ...request.headers };
  switch (corruption) {
    case 'none':
      return request;
    case 'noToken':
      delete headers['x-auth-token'];
      return { ...request, headers };
    case 'notAdmin':
      headers['x-auth-token'] = 'user-a:proj-a';
      return { ...request, headers };
    case 'acceptHtml':
      // JSON-only endpoints refuse it (406); errors come back as webob's HTML page.
      headers['accept'] = 'text/html';
      return { ...request, headers };
    default:
      break;
  }
  // The remaining corruptions damage a body; a request without one is sent as it is.
  if (request.body === null) return request;
  switch (corruption) {
    case 'malformedJson':
      return { ...request, body: request.body.slice(0, -1) };
    case 'textPlain':
      headers['content-type'] = 'text/plain';
      return { ...request, headers };
    case 'noContentType':
      delete headers['content-type'];
      return { ...request, headers };
    case 'emptyBody':
      return { ...request, body: '' };
    case 'notAnObject':
      return { ...request, body: '"cows"' };
    case 'extraProperty': {
      // Edited as text: the body may hold Python literals (NaN) that JSON.parse refuses.
      if (!request.body.startsWith('{')) return { ...request, body: '[]' };
      const rest = request.body.slice(1);
      return { ...request, body: rest === '}' ? '{"bogus":1}' : `{"bogus":1,${rest}` };
    }
    default:
      return assertNever(corruption);
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
}
