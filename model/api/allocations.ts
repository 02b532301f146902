/**
 * /allocations, /allocations/{consumer_uuid} and
 * /resource_providers/{uuid}/allocations.
 */
import { deleteAllocations, writeAllocations } from '../allocationWrites.ts';
import type { ConsumerWrite, ProviderAllocation } from '../commands.ts';
import { error } from '../errors.ts';
import { isObject, type Schema } from '../jsonSchema.ts';
import { pythonNumber, type PythonValue } from '../pythonRepr.ts';
import * as schemas from '../schemas.ts';
import type { State } from '../state.ts';
import { isLowerCaseCanonicalUuid, isUuidLike, normalizeUuid } from '../uuid.ts';
import { atLeast, extractJson, fail, parameter, type ApiContext, type Handler, type Reply, type RequestContext } from './context.ts';
import { emptyReply, jsonReply } from './respond.ts';

/** `[placement] incomplete_consumer_project_id` and `..._user_id` defaults. */
export const INCOMPLETE_CONSUMER_ID = '00000000-0000-0000-0000-000000000000';

type JsonObject = { readonly [key: string]: PythonValue };

function objectOrEmpty(value: PythonValue | undefined): JsonObject {
  return value !== undefined && isObject(value) ? value : {};
}

/*
 * The arrays below are filled by push, not made by `map`: `map` gives arrays
 * with holey elements here, where commands built in code have packed ones,
 * and the allocation code, which reads both, would then meet two shapes.
 * The first two members go into a literal of that length, and only a third
 * pushes: a body names one or two providers and classes, and an array
 * pushed onto from empty makes room for 17.
 */

/*
 * Members are walked with for-in (own names only) rather than through
 * `Object.entries`, which makes a pair for each member only to take it apart,
 * or `Object.keys`, which makes a list of names: same members, same order
 * (a parsed body has no inherited enumerable names). The member is read
 * with the walk's own name, which the engine reads by its slot.
 */

function resourcesOf(value: PythonValue | undefined): readonly (readonly [string, number])[] {
  if (value === undefined || !isObject(value)) return [];
  let firstClass: string | undefined;
  let firstAmount = 0;
  let resources: (readonly [string, number])[] | undefined;
  for (const resourceClass in value) {
    if (!Object.prototype.hasOwnProperty.call(value, resourceClass)) continue;
    const amount = pythonNumber(value[resourceClass]) ?? 0;
    if (firstClass === undefined) {
      firstClass = resourceClass;
      firstAmount = amount;
    } else if (resources === undefined) {
      resources = [[firstClass, firstAmount], [resourceClass, amount]];
    } else {
      resources.push([resourceClass, amount]);
    }
  }
  return resources ?? (firstClass === undefined ? [] : oneResource(firstClass, firstAmount));
}

/**
 * The resources of a body that names one class, shared between the writes
 * that name the same class and amount: most bodies name one class and a
 * small amount of it, the same few in every run. Writes only read their
 * resources. Kept for amounts 1 to `SHARED_AMOUNTS` of at most
 * `SHARED_CLASSES_MAX` classes (wiped when full); others are made per call.
 */
function oneResource(resourceClass: string, amount: number): readonly (readonly [string, number])[] {
  if (!Number.isInteger(amount) || amount < 1 || amount > SHARED_AMOUNTS) return [[resourceClass, amount]];
  let byAmount = sharedResources.get(resourceClass);
  if (byAmount === undefined) {
    if (sharedResources.size >= SHARED_CLASSES_MAX) sharedResources.clear();
    byAmount = [];
    sharedResources.set(resourceClass, byAmount);
  }
  let resources = byAmount[amount];
  if (resources === undefined) {
    resources = [[resourceClass, amount]];
    byAmount[amount] = resources;
  }
  return resources;
}

const sharedResources = new Map<string, (readonly (readonly [string, number])[])[]>();
const SHARED_AMOUNTS = 64;
const SHARED_CLASSES_MAX = 64;

/** The dict form (1.12+): `{rp_uuid: {"resources": {...}}}`, in body order. */
export function dictAllocations(value: PythonValue | undefined): ProviderAllocation[] {
  if (value === undefined || !isObject(value)) return [];
  let first: ProviderAllocation | undefined;
  let allocations: ProviderAllocation[] | undefined;
  for (const providerUuid in value) {
    if (!Object.prototype.hasOwnProperty.call(value, providerUuid)) continue;
    const allocation: ProviderAllocation = { providerUuid, resources: resourcesOf(objectOrEmpty(value[providerUuid])['resources']) };
    if (first === undefined) first = allocation;
    else if (allocations === undefined) allocations = [first, allocation];
    else allocations.push(allocation);
  }
  return allocations ?? (first === undefined ? [] : [first]);
}

/** The list form (before 1.12); a repeated provider replaces the earlier entry in place. */
export function listAllocations(value: PythonValue | undefined): ProviderAllocation[] {
  const byProvider = new Map<string, ProviderAllocation>();
  for (const entry of Array.isArray(value) ? (value as readonly PythonValue[]) : []) {
    const item = objectOrEmpty(entry);
    const providerUuid = objectOrEmpty(item['resource_provider'])['uuid'];
    if (typeof providerUuid !== 'string') continue;
    byProvider.set(providerUuid, { providerUuid, resources: resourcesOf(item['resources']) });
  }
  return [...byProvider.values()];
}

export function consumerWrite(context: Pick<ApiContext, 'microversion'>, uuid: string, data: JsonObject, allocations: ProviderAllocation[]): ConsumerWrite {
  const project = data['project_id'];
  const user = data['user_id'];
  const generation = pythonNumber(data['consumer_generation']);
  const consumerType = data['consumer_type'];
  return {
    uuid,
    projectId: typeof project === 'string' ? project : INCOMPLETE_CONSUMER_ID,
    userId: typeof project === 'string' && typeof user === 'string' ? user : INCOMPLETE_CONSUMER_ID,
    generation,
    consumerType: atLeast(context, 1, 38) && typeof consumerType === 'string' ? consumerType : null,
    allocations,
  };
}

export function putSchema(context: Pick<ApiContext, 'microversion'>): Schema {
  if (atLeast(context, 1, 38)) return schemas.ALLOCATION_1_38;
  if (atLeast(context, 1, 34)) return schemas.ALLOCATION_1_34;
  if (atLeast(context, 1, 28)) return schemas.ALLOCATION_1_28;
  if (atLeast(context, 1, 12)) return schemas.ALLOCATION_1_12;
  if (atLeast(context, 1, 8)) return schemas.ALLOCATION_1_8;
  return schemas.ALLOCATION_1_0;
}

export function putAllocations(state: State, context: ApiContext): Reply {
  return preparePutAllocations(context)(state, context);
}

/**
 * PUT's reading of the request (consumer uuid, body, microversion), which
 * reads no state: done once per request, it leaves the write to run in
 * each state the request is answered in (see `Endpoint.prepare`).
 */
export function preparePutAllocations(context: RequestContext): Handler {
  const rawUuid = parameter(context, 'consumer_uuid');
  // The usual spelling is its own normal form: one scan tells (`isUuidLike` and `normalizeUuid` each scan it).
  const consumerUuid = isLowerCaseCanonicalUuid(rawUuid) ? rawUuid : isUuidLike(rawUuid) ? normalizeUuid(rawUuid) : null;
  if (consumerUuid === null) return refusing(fail(error(400, `Malformed consumer_uuid: ${rawUuid}`)));
  const extracted = extractJson(context, putSchema(context));
  if (extracted.kind === 'error') return refusing(fail(extracted.error));
  const data = objectOrEmpty(extracted.data);
  const allocations = atLeast(context, 1, 12) ? dictAllocations(data['allocations']) : listAllocations(data['allocations']);
  return writing('put', [consumerWrite(context, consumerUuid, data, allocations)], atLeast(context, 1, 28));
}

export function postSchema(context: Pick<ApiContext, 'microversion'>): Schema {
  if (atLeast(context, 1, 38)) return schemas.POST_ALLOCATIONS_1_38;
  if (atLeast(context, 1, 34)) return schemas.POST_ALLOCATIONS_1_34;
  if (atLeast(context, 1, 28)) return schemas.POST_ALLOCATIONS_1_28;
  return schemas.POST_ALLOCATIONS_1_13;
}

export function postAllocations(state: State, context: ApiContext): Reply {
  return preparePostAllocations(context)(state, context);
}

/** POST's reading of the request, done once like `preparePutAllocations`. */
export function preparePostAllocations(context: RequestContext): Handler {
  const extracted = extractJson(context, postSchema(context));
  if (extracted.kind === 'error') return refusing(fail(extracted.error));
  const body = objectOrEmpty(extracted.data);
  const writes: ConsumerWrite[] = [];
  for (const consumerUuid in body) {
    if (!Object.prototype.hasOwnProperty.call(body, consumerUuid)) continue;
    const data = objectOrEmpty(body[consumerUuid]);
    writes.push(consumerWrite(context, consumerUuid, data, dictAllocations(data['allocations'])));
  }
  return writing('post', writes, atLeast(context, 1, 28));
}

/** A handler refusing the request the same way in every state. */
function refusing(reply: Reply): Handler {
  return () => reply;
}

/**
 * A handler running the writes in the state it is given (the writes are only read, so one copy serves every state).
 * The outcome is read in place rather than through `fromOutcome`, whose callback would be a new closure per answer.
 */
function writing(form: 'put' | 'post', writes: readonly ConsumerWrite[], checkGenerations: boolean): Handler {
  return (state, context) => {
    const outcome = writeAllocations(state, form, writes, checkGenerations);
    return outcome.kind === 'ok' ? emptyReply(outcome.state, context, 204) : fail(outcome.error);
  };
}

export function deleteAllocationsEndpoint(state: State, context: ApiContext): Reply {
  const outcome = deleteAllocations(state, parameter(context, 'consumer_uuid'));
  return outcome.kind === 'ok' ? emptyReply(outcome.state, context, 204) : fail(outcome.error);
}

export function showConsumerAllocations(state: State, context: ApiContext): Reply {
  const consumer = state.consumers.get(parameter(context, 'consumer_uuid'));
  const allocations: Record<string, Record<string, PythonValue>> = {};
  const body: Record<string, PythonValue> = { allocations };
  if (consumer !== undefined) {
    for (const row of consumer.allocations) {
      const provider = state.providers.get(row.providerUuid);
      const entry: Record<string, PythonValue> = allocations[row.providerUuid] ?? { resources: {} };
      (entry['resources'] as Record<string, PythonValue>)[row.resourceClass] = row.used;
      entry['generation'] = provider?.generation ?? 0;
      allocations[row.providerUuid] = entry;
    }
    if (atLeast(context, 1, 12)) {
      body['project_id'] = consumer.projectId;
      body['user_id'] = consumer.userId;
      if (atLeast(context, 1, 28)) body['consumer_generation'] = consumer.generation;
      if (atLeast(context, 1, 38)) body['consumer_type'] = consumer.consumerType ?? 'unknown';
    }
  }
  return jsonReply(state, context, body);
}

export function showProviderAllocations(state: State, context: ApiContext): Reply {
  const uuid = parameter(context, 'uuid');
  const provider = state.providers.get(uuid);
  if (provider === undefined) return fail(error(404, `Resource provider '${uuid}' not found: No resource provider with uuid ${uuid} found`));
  const allocations: Record<string, Record<string, PythonValue>> = {};
  if (provider.usages.size > 0) {
    for (const consumer of state.consumers.values()) {
      for (const row of consumer.allocations) {
        if (row.providerUuid !== uuid) continue;
        const entry: Record<string, PythonValue> = allocations[consumer.uuid] ?? { resources: {} };
        (entry['resources'] as Record<string, PythonValue>)[row.resourceClass] = row.used;
        if (atLeast(context, 1, 28)) entry['consumer_generation'] = consumer.generation;
        allocations[consumer.uuid] = entry;
      }
    }
  }
  return jsonReply(state, context, { allocations, resource_provider_generation: provider.generation });
}
