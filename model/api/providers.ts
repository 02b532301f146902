/**
 * /resource_providers and /resource_providers/{uuid}.
 */
import { createProvider, deleteProvider, updateProvider } from '../providerCommands.ts';
import { traitExists } from '../classifierCommands.ts';
import { error, providerNotFound, type PlacementError } from '../errors.ts';
import { isObject } from '../jsonSchema.ts';
import type { PythonValue } from '../pythonRepr.ts';
import { resourceClassExists } from '../resourceClasses.ts';
import * as schemas from '../schemas.ts';
import { allocationCapacity, withCounters, type Provider, type State } from '../state.ts';
import { isUuidLike, normalizeUuid, uuidFromCounter } from '../uuid.ts';
import {
  atLeast,
  extractJson,
  fail,
  hasQuery,
  parameter,
  queryValue,
  queryValues,
  validateQuery,
  type ApiContext,
  type Handler,
  type Reply,
  type RequestContext,
} from './context.ts';
import { emptyReply, jsonReply } from './respond.ts';
import { fromOutcome } from './outcome.ts';

export function providerLinks(context: Pick<ApiContext, 'microversion'>, uuid: string): PythonValue {
  const url = `/resource_providers/${uuid}`;
  const relations = ['inventories', 'usages'];
  if (atLeast(context, 1, 1)) relations.push('aggregates');
  if (atLeast(context, 1, 6)) relations.push('traits');
  if (atLeast(context, 1, 11)) relations.push('allocations');
  return [{ rel: 'self', href: url }, ...relations.map((relation) => ({ rel: relation, href: `${url}/${relation}` }))];
}

export function serializeProvider(context: Pick<ApiContext, 'microversion'>, provider: Provider): PythonValue {
  return providerDocument(context, provider, providerLinks(context, provider.uuid));
}

/** `serializeProvider` with the provider's links already made (they depend on its uuid and the microversion only). */
function providerDocument(context: Pick<ApiContext, 'microversion'>, provider: Provider, links: PythonValue): PythonValue {
  const data: Record<string, PythonValue> = {
    uuid: provider.uuid,
    name: provider.name,
    generation: provider.generation,
    links,
  };
  if (atLeast(context, 1, 14)) {
    data['parent_provider_uuid'] = provider.parentUuid;
    data['root_provider_uuid'] = provider.rootUuid;
  }
  return data;
}

export function showProvider(state: State, context: ApiContext): Reply {
  const uuid = parameter(context, 'uuid');
  const provider = state.providers.get(uuid);
  if (provider === undefined) return fail(providerNotFound(uuid));
  return jsonReply(state, context, serializeProvider(context, provider));
}

export function createProviderEndpoint(state: State, context: ApiContext): Reply {
  return prepareCreateProvider(context)(state, context);
}

/**
 * POST's reading of the request (body, microversion), which reads no state:
 * done once per request, like `preparePutAllocations`, it leaves the
 * creation to run in each state the request is answered in. A provider
 * given no uuid gets one from the state's counter, so only a given uuid's
 * location and links are made here.
 */
export function prepareCreateProvider(context: RequestContext): Handler {
  const schema = atLeast(context, 1, 14) ? schemas.POST_RESOURCE_PROVIDER_1_14 : schemas.POST_RESOURCE_PROVIDER;
  const extracted = extractJson(context, schema);
  if (extracted.kind === 'error') {
    const refused = fail(extracted.error);
    return () => refused;
  }
  const data = isObject(extracted.data) ? extracted.data : {};
  const name = typeof data['name'] === 'string' ? data['name'] : '';
  const givenValue = data['uuid'];
  const given = typeof givenValue === 'string' && givenValue !== '' ? normalizeUuid(givenValue) : null;
  const parentValue = data['parent_provider_uuid'];
  const parentUuid = typeof parentValue === 'string' ? parentValue : null;
  const givenLocation = given === null ? null : providerLocation(given);
  const givenLinks = given === null ? null : providerLinks(context, given);
  return (state, answered) => {
    let next = state;
    let uuid: string;
    if (given !== null) {
      uuid = given;
    } else {
      uuid = uuidFromCounter(0, state.counters.uuids);
      next = withCounters(state, state.counters.requests, state.counters.uuids + 1);
    }
    const outcome = createProvider(next, uuid, name, parentUuid);
    if (outcome.kind === 'error') return fail(outcome.error);
    const after = outcome.state;
    const location = givenLocation ?? providerLocation(uuid);
    if (!atLeast(answered, 1, 20)) return emptyReply(after, answered, 201, { location });
    const provider = after.providers.get(uuid);
    const document = provider === undefined ? null : providerDocument(answered, provider, givenLinks ?? providerLinks(answered, uuid));
    return jsonReply(after, answered, document, { location });
  };
}

function providerLocation(uuid: string): string {
  return `/resource_providers/${uuid}`;
}

export function updateProviderEndpoint(state: State, context: ApiContext): Reply {
  const uuid = parameter(context, 'uuid');
  const provider = state.providers.get(uuid);
  if (provider === undefined) return fail(providerNotFound(uuid));
  const schema = atLeast(context, 1, 14) ? schemas.PUT_RESOURCE_PROVIDER_1_14 : schemas.PUT_RESOURCE_PROVIDER;
  const extracted = extractJson(context, schema);
  if (extracted.kind === 'error') return fail(extracted.error);
  const data = isObject(extracted.data) ? extracted.data : {};
  const name = typeof data['name'] === 'string' ? data['name'] : provider.name;
  let parentUuid: string | null | undefined;
  if (Object.prototype.hasOwnProperty.call(data, 'parent_provider_uuid')) {
    const value = data['parent_provider_uuid'];
    parentUuid = typeof value === 'string' ? value : null;
  }
  const outcome = updateProvider(state, uuid, name, parentUuid, atLeast(context, 1, 37));
  return fromOutcome(outcome, (after) => {
    const updated = after.providers.get(uuid);
    return jsonReply(after, context, updated === undefined ? null : serializeProvider(context, updated));
  });
}

export function deleteProviderEndpoint(state: State, context: ApiContext): Reply {
  return fromOutcome(deleteProvider(state, parameter(context, 'uuid')), (after) => emptyReply(after, context, 204));
}

// Listing ------------------------------------------------------------------

interface ProviderFilters {
  readonly name?: string;
  readonly uuid?: string;
  readonly inTree?: string;
  /** AND of ORs of aggregate uuids. */
  readonly memberOf: readonly (readonly string[])[];
  readonly forbiddenAggregates: readonly string[];
  /** AND of ORs of trait names. */
  readonly requiredTraits: readonly (readonly string[])[];
  readonly forbiddenTraits: readonly string[];
  readonly resources: readonly (readonly [string, number])[];
}

export function listProviders(state: State, context: ApiContext): Reply {
  const schema = atLeast(context, 1, 18)
    ? schemas.GET_RESOURCE_PROVIDERS_1_18
    : atLeast(context, 1, 14)
      ? schemas.GET_RESOURCE_PROVIDERS_1_14
      : atLeast(context, 1, 4)
        ? schemas.GET_RESOURCE_PROVIDERS_1_4
        : atLeast(context, 1, 3)
          ? schemas.GET_RESOURCE_PROVIDERS_1_3
          : schemas.GET_RESOURCE_PROVIDERS_1_0;
  const invalid = validateQuery(context, schema);
  if (invalid !== null) return fail(invalid);
  const filters = parseFilters(context);
  if ('status' in filters) return fail(filters);
  const selected = selectProviders(state, filters);
  if ('status' in selected) return fail(selected);
  return jsonReply(state, context, { resource_providers: selected.map((provider) => serializeProvider(context, provider)) });
}

function parseFilters(context: ApiContext): ProviderFilters | PlacementError {
  let memberOf: string[][] = [];
  let forbiddenAggregates: string[] = [];
  if (hasQuery(context, 'member_of')) {
    const parsed = parseMemberOf(context);
    if ('status' in parsed) return parsed;
    memberOf = parsed.required;
    forbiddenAggregates = parsed.forbidden;
  }
  let requiredTraits: string[][] = [];
  let forbiddenTraits: string[] = [];
  if (hasQuery(context, 'required')) {
    const parsed = parseRequiredTraits(context);
    if ('status' in parsed) return parsed;
    requiredTraits = parsed.required;
    forbiddenTraits = parsed.forbidden;
  }
  let resources: (readonly [string, number])[] = [];
  const resourcesValue = queryValue(context, 'resources');
  if (resourcesValue !== undefined) {
    const parsed = parseResources(resourcesValue);
    if ('status' in parsed) return parsed;
    resources = parsed.resources;
  }
  const name = queryValue(context, 'name');
  const uuid = queryValue(context, 'uuid');
  const inTree = queryValue(context, 'in_tree');
  return {
    ...(name !== undefined ? { name } : {}),
    ...(uuid !== undefined ? { uuid } : {}),
    ...(inTree !== undefined ? { inTree } : {}),
    memberOf,
    forbiddenAggregates,
    requiredTraits,
    forbiddenTraits,
    resources,
  };
}

function parseMemberOf(context: ApiContext): { required: string[][]; forbidden: string[] } | PlacementError {
  const values = queryValues(context, 'member_of');
  if (!atLeast(context, 1, 24) && values.length > 1) return error(400, 'Multiple member_of parameters are not supported');
  const required: string[][] = [];
  const forbidden: string[] = [];
  for (const value of values) {
    if (value.includes(',') && !(value.startsWith('in:') || value.startsWith('!in:'))) {
      return error(
        400,
        `Multiple values for 'member_of' must be prefixed with the 'in:' or '!in:' keyword using the valid microversion. Got: ${value}`,
      );
    }
    let wanted: string[] = [];
    let unwanted: string[] = [];
    if (value.startsWith('!in:')) unwanted = value.slice(4).split(',');
    else if (value.startsWith('!')) unwanted = [value.slice(1)];
    else if (value.startsWith('in:')) wanted = value.slice(3).split(',');
    else wanted = [value];
    for (const aggregate of [...wanted, ...unwanted]) {
      if (!isUuidLike(aggregate)) {
        return error(400, `Invalid query string parameters: Expected 'member_of' parameter to contain valid UUID(s). Got: ${aggregate}`);
      }
    }
    if (wanted.length > 0) required.push(wanted);
    if (unwanted.length > 0) {
      if (!atLeast(context, 1, 32)) return error(400, 'Forbidden member_of parameters are not supported in the specified microversion');
      forbidden.push(...unwanted);
    }
  }
  return { required, forbidden };
}

function parseRequiredTraits(context: ApiContext): { required: string[][]; forbidden: string[] } | PlacementError {
  const allowForbidden = atLeast(context, 1, 22);
  const allowAny = atLeast(context, 1, 39);
  let values = queryValues(context, 'required');
  if (!allowAny) values = values.slice(-1);
  const required: string[][] = [];
  const forbidden: string[] = [];
  for (const value of values) {
    if (value.startsWith('in:')) {
      if (!allowAny) {
        return error(
          400,
          `Invalid query string parameters: The format 'in:HW_CPU_X86_VMX,CUSTOM_MAGIC' only supported since microversion 1.39. Got: ${value}`,
        );
      }
      const anyOf = [...new Set(value.slice(3).split(',').map((trait) => trait.trim()))];
      if (anyOf.some((trait) => trait === '')) {
        return error(
          400,
          `Invalid query string parameters: Expected 'required' parameter value of the form: in:HW_CPU_X86_VMX,CUSTOM_MAGIC. Got an empty trait in: ${value}`,
        );
      }
      if (anyOf.some((trait) => trait.startsWith('!'))) {
        return error(
          400,
          `Invalid query string parameters: The format 'in:HW_CPU_X86_VMX,CUSTOM_MAGIC' does not support forbidden traits. Got: ${value}`,
        );
      }
      required.push(anyOf);
      continue;
    }
    const all = value.split(',').map((trait) => trait.trim());
    const unwanted = all.filter((trait) => trait.startsWith('!')).map((trait) => trait.replace(/^!+/, ''));
    if ([...unwanted, ...all].some((trait) => trait === '')) {
      const form = allowForbidden ? 'HW_CPU_X86_VMX,!CUSTOM_MAGIC' : 'HW_CPU_X86_VMX,CUSTOM_MAGIC';
      return error(400, `Invalid query string parameters: Expected 'required' parameter value of the form: ${form}. Got an empty trait in: ${value}`);
    }
    if (unwanted.length > 0 && !allowForbidden) {
      return error(
        400,
        `Invalid query string parameters: Expected 'required' parameter value of the form: HW_CPU_X86_VMX,CUSTOM_MAGIC. Got: ${value}`,
      );
    }
    for (const trait of all) if (!trait.startsWith('!')) required.push([trait]);
    forbidden.push(...unwanted);
  }
  return { required, forbidden };
}

const RESOURCES_FORM = 'Badly formed resources parameter. Expected resources query string parameter in form: ?resources=VCPU:2,MEMORY_MB:1024.';

function parseResources(value: string): { resources: (readonly [string, number])[] } | PlacementError {
  if (value.trim() === '') return error(400, `${RESOURCES_FORM} Got: empty string.`);
  const amounts = new Map<string, number>();
  for (const pair of value.split(',')) {
    const pieces = pair.split(':');
    if (pieces.length !== 2) return error(400, `${RESOURCES_FORM} Got: ${pair}.`);
    const [name = '', amountText = ''] = pieces;
    if (!/^\s*[+-]?\d+\s*$/.test(amountText)) {
      return error(400, `Requested resource ${name} expected positive integer amount. Got: ${amountText}.`);
    }
    const amount = Number.parseInt(amountText, 10);
    if (amount < 1) return error(400, `Requested resource ${name} requires amount >= 1. Got: ${amount}.`);
    amounts.set(name, amount);
  }
  return { resources: [...amounts] };
}

/**
 * Follows `_get_all_by_filters_from_db` step by step: each filter either
 * narrows the candidates or ends the search early with an empty list, and a
 * name lookup that fails (unknown trait or class) is an error only if the
 * search got that far.
 */
function selectProviders(state: State, filters: ProviderFilters): readonly Provider[] | PlacementError {
  let candidates = [...state.providers.values()];
  if (filters.name !== undefined && filters.name !== '') candidates = candidates.filter((provider) => provider.name === filters.name);
  if (filters.uuid !== undefined && filters.uuid !== '') candidates = candidates.filter((provider) => provider.uuid === filters.uuid);
  if (filters.inTree !== undefined && filters.inTree !== '') {
    const member = state.providers.get(filters.inTree.trim());
    if (member === undefined) return [];
    candidates = candidates.filter((provider) => provider.rootUuid === member.rootUuid);
  }
  if (filters.requiredTraits.length > 0) {
    for (const anyOf of filters.requiredTraits) {
      for (const trait of anyOf) if (!traitExists(state, trait)) return unknownTrait(trait);
    }
    const matching = [...state.providers.values()].filter((provider) =>
      filters.requiredTraits.every((anyOf) => anyOf.some((trait) => provider.traits.includes(trait))),
    );
    if (matching.length === 0) return [];
    candidates = candidates.filter((provider) => matching.includes(provider));
  }
  if (filters.forbiddenTraits.length > 0) {
    for (const trait of filters.forbiddenTraits) if (!traitExists(state, trait)) return unknownTrait(trait);
    candidates = candidates.filter((provider) => !filters.forbiddenTraits.some((trait) => provider.traits.includes(trait)));
  }
  if (filters.memberOf.length > 0) {
    const matching = [...state.providers.values()].filter((provider) =>
      filters.memberOf.every((anyOf) => anyOf.some((aggregate) => provider.aggregates.includes(aggregate))),
    );
    if (matching.length === 0) return [];
    candidates = candidates.filter((provider) => matching.includes(provider));
  }
  if (filters.forbiddenAggregates.length > 0) {
    candidates = candidates.filter((provider) => !filters.forbiddenAggregates.some((aggregate) => provider.aggregates.includes(aggregate)));
  }
  for (const [resourceClass, amount] of filters.resources) {
    if (!resourceClassExists(state, resourceClass)) {
      return error(400, `Invalid resource class in resources parameter: No such resource class ${resourceClass}.`);
    }
    candidates = candidates.filter((provider) => hasRoomFor(provider, resourceClass, amount));
  }
  return candidates;
}

function unknownTrait(trait: string): PlacementError {
  return error(400, `Invalid trait(s) in "required" parameter: No such trait(s): ${trait}.`);
}

function hasRoomFor(provider: Provider, resourceClass: string, amount: number): boolean {
  const inventory = provider.inventories.get(resourceClass);
  if (inventory === undefined) return false;
  const used = provider.usages.get(resourceClass) ?? 0;
  return (
    used + amount <= allocationCapacity(inventory) &&
    inventory.minUnit <= amount &&
    inventory.maxUnit >= amount &&
    amount % inventory.stepSize === 0
  );
}
