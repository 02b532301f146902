/**
 * /resource_classes, /traits, /resource_providers/{uuid}/traits and
 * /resource_providers/{uuid}/aggregates.
 */
import {
  allTraits,
  createResourceClass,
  deleteProviderTraits,
  deleteResourceClass,
  deleteTrait,
  ensureResourceClass,
  ensureTrait,
  renameResourceClass,
  setAggregates,
  setProviderTraits,
  traitExists,
} from '../classifierCommands.ts';
import { error, providerNotFound, resourceClassNotFound } from '../errors.ts';
import { isObject, validateSchema } from '../jsonSchema.ts';
import { pythonNumber, type PythonValue } from '../pythonRepr.ts';
import { allResourceClasses, resourceClassExists } from '../resourceClasses.ts';
import * as schemas from '../schemas.ts';
import type { State } from '../state.ts';
import { atLeast, extractJson, fail, hasQuery, parameter, queryValue, validateQuery, type ApiContext, type Reply } from './context.ts';
import { fromOutcome } from './outcome.ts';
import { emptyReply, jsonReply } from './respond.ts';

// Resource classes -----------------------------------------------------------

function resourceClassDocument(name: string): PythonValue {
  return { name, links: [{ rel: 'self', href: `/resource_classes/${name}` }] };
}

export function listResourceClasses(state: State, context: ApiContext): Reply {
  return jsonReply(state, context, { resource_classes: allResourceClasses(state).map(resourceClassDocument) });
}

export function showResourceClass(state: State, context: ApiContext): Reply {
  const name = parameter(context, 'name');
  if (!resourceClassExists(state, name)) return fail(resourceClassNotFound(name));
  return jsonReply(state, context, resourceClassDocument(name));
}

export function createResourceClassEndpoint(state: State, context: ApiContext): Reply {
  const extracted = extractJson(context, schemas.POST_RESOURCE_CLASS);
  if (extracted.kind === 'error') return fail(extracted.error);
  const name = isObject(extracted.data) && typeof extracted.data['name'] === 'string' ? extracted.data['name'] : '';
  return fromOutcome(createResourceClass(state, name), (after) =>
    emptyReply(after, context, 201, { location: `/resource_classes/${name}` }),
  );
}

/** Before 1.7 a PUT renames a custom class; from 1.7 it is a bodiless create-or-keep. */
export function putResourceClass(state: State, context: ApiContext): Reply {
  const name = parameter(context, 'name');
  if (!atLeast(context, 1, 7)) {
    const extracted = extractJson(context, schemas.POST_RESOURCE_CLASS);
    if (extracted.kind === 'error') return fail(extracted.error);
    const newName = isObject(extracted.data) && typeof extracted.data['name'] === 'string' ? extracted.data['name'] : '';
    return fromOutcome(renameResourceClass(state, name, newName), (after) =>
      jsonReply(after, context, resourceClassDocument(newName), { cacheHeaders: false }),
    );
  }
  const problem = validateSchema({ name }, schemas.POST_RESOURCE_CLASS);
  if (problem !== null) return fail(error(400, `JSON does not validate: ${problem}`));
  return fromOutcome(ensureResourceClass(state, name), (after, created) =>
    emptyReply(after, context, created ? 201 : 204, { location: `/resource_classes/${name}` }),
  );
}

export function deleteResourceClassEndpoint(state: State, context: ApiContext): Reply {
  return fromOutcome(deleteResourceClass(state, parameter(context, 'name')), (after) => emptyReply(after, context, 204));
}

// Traits ---------------------------------------------------------------------

export function putTrait(state: State, context: ApiContext): Reply {
  const name = parameter(context, 'name');
  if (validateSchema(name, schemas.CUSTOM_TRAIT) !== null) {
    return fail(
      error(
        400,
        'The trait is invalid. A valid trait must be no longer than 255 characters, start with the prefix "CUSTOM_" and use following characters: "A"-"Z", "0"-"9" and "_"',
      ),
    );
  }
  return fromOutcome(ensureTrait(state, name), (after, created) =>
    emptyReply(after, context, created ? 201 : 204, { location: `/traits/${name}`, cacheHeaders: true }),
  );
}

export function showTrait(state: State, context: ApiContext): Reply {
  const name = parameter(context, 'name');
  if (!traitExists(state, name)) return fail(error(404, `No such trait(s): ${name}.`));
  return emptyReply(state, context, 204, { cacheHeaders: true });
}

export function deleteTraitEndpoint(state: State, context: ApiContext): Reply {
  return fromOutcome(deleteTrait(state, parameter(context, 'name')), (after) => emptyReply(after, context, 204));
}

export function listTraits(state: State, context: ApiContext): Reply {
  const invalid = validateQuery(context, schemas.LIST_TRAITS);
  if (invalid !== null) return fail(invalid);
  let traits = allTraits(state);
  const nameFilter = queryValue(context, 'name');
  if (nameFilter !== undefined) {
    const colon = nameFilter.indexOf(':');
    if (colon < 0) {
      return fail(
        error(
          400,
          `Badly formatted name parameter. Expected name query string parameter in form: ?name=[in|startswith]:[name1,name2|prefix]. Got: "${nameFilter}"`,
        ),
      );
    }
    const operator = nameFilter.slice(0, colon);
    const value = nameFilter.slice(colon + 1);
    if (operator === 'in') {
      const wanted = new Set(value.split(','));
      traits = traits.filter((trait) => wanted.has(trait));
    } else if (operator === 'startswith') {
      traits = traits.filter((trait) => trait.startsWith(value));
    }
  }
  if (hasQuery(context, 'associated')) {
    const associated = (queryValue(context, 'associated') ?? '').toLowerCase();
    if (associated !== 'true' && associated !== 'false') {
      return fail(error(400, 'The query parameter "associated" only accepts "true" or "false"'));
    }
    const used = new Set<string>();
    for (const provider of state.providers.values()) for (const trait of provider.traits) used.add(trait);
    traits = traits.filter((trait) => used.has(trait) === (associated === 'true'));
  }
  return jsonReply(state, context, { traits: [...traits] });
}

export function listProviderTraits(state: State, context: ApiContext): Reply {
  const uuid = parameter(context, 'uuid');
  const provider = state.providers.get(uuid);
  if (provider === undefined) return fail(error(404, `No resource provider with uuid ${uuid} found: No resource provider with uuid ${uuid} found`));
  return jsonReply(state, context, { traits: [...provider.traits], resource_provider_generation: provider.generation });
}

export function setProviderTraitsEndpoint(state: State, context: ApiContext): Reply {
  const uuid = parameter(context, 'uuid');
  const extracted = extractJson(context, schemas.SET_TRAITS_FOR_PROVIDER);
  if (extracted.kind === 'error') return fail(extracted.error);
  const data = isObject(extracted.data) ? extracted.data : {};
  const traits = (Array.isArray(data['traits']) ? (data['traits'] as readonly PythonValue[]) : []).filter(
    (trait): trait is string => typeof trait === 'string',
  );
  const generation = pythonNumber(data['resource_provider_generation']) ?? Number.NaN;
  return fromOutcome(setProviderTraits(state, uuid, generation, traits), (after) => {
    const provider = after.providers.get(uuid);
    return jsonReply(after, context, { traits: [...(provider?.traits ?? [])], resource_provider_generation: provider?.generation ?? 0 });
  });
}

export function deleteProviderTraitsEndpoint(state: State, context: ApiContext): Reply {
  return fromOutcome(deleteProviderTraits(state, parameter(context, 'uuid')), (after) => emptyReply(after, context, 204));
}

// Aggregates -----------------------------------------------------------------

function aggregatesDocument(context: ApiContext, aggregates: readonly string[], generation: number): PythonValue {
  const body: Record<string, PythonValue> = { aggregates: [...aggregates] };
  if (atLeast(context, 1, 19)) body['resource_provider_generation'] = generation;
  return body;
}

export function listAggregates(state: State, context: ApiContext): Reply {
  const uuid = parameter(context, 'uuid');
  const provider = state.providers.get(uuid);
  if (provider === undefined) return fail(providerNotFound(uuid));
  return jsonReply(state, context, aggregatesDocument(context, provider.aggregates, provider.generation));
}

export function setAggregatesEndpoint(state: State, context: ApiContext): Reply {
  const uuid = parameter(context, 'uuid');
  if (!state.providers.has(uuid)) return fail(providerNotFound(uuid));
  const withGeneration = atLeast(context, 1, 19);
  const extracted = extractJson(context, withGeneration ? schemas.PUT_AGGREGATES_1_19 : schemas.PUT_AGGREGATES_1_1);
  if (extracted.kind === 'error') return fail(extracted.error);
  const data = extracted.data;
  const list = withGeneration && isObject(data) ? data['aggregates'] : data;
  const aggregates = (Array.isArray(list) ? (list as readonly PythonValue[]) : []).filter((item): item is string => typeof item === 'string');
  const generation = withGeneration && isObject(data) ? (pythonNumber(data['resource_provider_generation']) ?? Number.NaN) : null;
  return fromOutcome(setAggregates(state, uuid, aggregates, generation), (after) => {
    const provider = after.providers.get(uuid);
    return jsonReply(after, context, aggregatesDocument(context, aggregates, provider?.generation ?? 0));
  });
}
