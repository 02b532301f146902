/**
 * Resource classes, traits and aggregates: the names providers are
 * classified by.
 */
import { ClassMap } from './classMap.ts';
import { failed, ok, type Outcome } from './commands.ts';
import { STANDARD_TRAITS } from './data/standardTraits.ts';
import { error, providerNotFound, resourceClassNotFound } from './errors.ts';
import { isStandardResourceClass, resourceClassExists } from './resourceClasses.ts';
import { withProvider, type Provider, type State } from './state.ts';

const STANDARD_TRAIT_SET: ReadonlySet<string> = new Set(STANDARD_TRAITS);

export function traitExists(state: State, name: string): boolean {
  return STANDARD_TRAIT_SET.has(name) || state.customTraits.includes(name);
}

/** Every trait, sorted (the real service lists them in database order). */
export function allTraits(state: State): readonly string[] {
  return [...STANDARD_TRAITS, ...state.customTraits].sort();
}

function insertSorted(names: readonly string[], name: string): readonly string[] {
  return [...names, name].sort();
}

function customClassInUse(state: State, name: string): boolean {
  for (const provider of state.providers.values()) if (provider.inventories.has(name)) return true;
  return false;
}

/** POST /resource_classes. */
export function createResourceClass(state: State, name: string): Outcome {
  if (resourceClassExists(state, name)) return failed(error(409, `Conflicting resource class already exists: ${name}`));
  return ok({ ...state, customResourceClasses: [...state.customResourceClasses, name] }, true);
}

/** PUT /resource_classes/{name} from 1.7: create if missing (201), else 204. */
export function ensureResourceClass(state: State, name: string): Outcome {
  if (resourceClassExists(state, name)) return ok(state, false);
  return ok({ ...state, customResourceClasses: [...state.customResourceClasses, name] }, true);
}

/** PUT /resource_classes/{name} before 1.7: rename a custom class, keeping its id. */
export function renameResourceClass(state: State, name: string, newName: string): Outcome {
  if (!resourceClassExists(state, name)) return failed(resourceClassNotFound(name));
  if (isStandardResourceClass(name)) return failed(error(400, `Cannot update standard resource class ${name}`));
  if (resourceClassExists(state, newName) && newName !== name) return failed(error(409, `Resource class already exists: ${newName}`));
  const customResourceClasses = state.customResourceClasses.map((existing) => (existing === name ? newName : existing));
  const providers = state.providers.withAll([...state.providers.values()].map((provider) => renameInProvider(provider, name, newName)));
  const consumers = state.consumers.map((consumer) =>
    consumer.allocations.some((row) => row.resourceClass === name)
      ? { ...consumer, allocations: consumer.allocations.map((row) => (row.resourceClass === name ? { ...row, resourceClass: newName } : row)) }
      : consumer,
  );
  return ok({ ...state, customResourceClasses, providers, consumers });
}

function renameKey<V>(map: ClassMap<V>, from: string, to: string): ClassMap<V> {
  if (!map.has(from)) return map;
  return ClassMap.of([...map].map(([key, value]) => [key === from ? to : key, value] as const));
}

function renameInProvider(provider: Provider, from: string, to: string): Provider {
  if (!provider.inventories.has(from) && !provider.usages.has(from)) return provider;
  return { ...provider, inventories: renameKey(provider.inventories, from, to), usages: renameKey(provider.usages, from, to) };
}

export function deleteResourceClass(state: State, name: string): Outcome {
  if (!resourceClassExists(state, name)) return failed(resourceClassNotFound(name));
  if (isStandardResourceClass(name)) {
    return failed(error(400, `Error in delete resource class: Cannot delete standard resource class ${name}.`));
  }
  if (customClassInUse(state, name)) {
    return failed(error(409, `Error in delete resource class: Cannot delete resource class ${name}. Class is in use in inventory.`));
  }
  return ok({ ...state, customResourceClasses: state.customResourceClasses.filter((existing) => existing !== name) });
}

/** PUT /traits/{name}: 201 when created, 204 when it already existed. */
export function ensureTrait(state: State, name: string): Outcome {
  if (traitExists(state, name)) return ok(state, false);
  return ok({ ...state, customTraits: insertSorted(state.customTraits, name) }, true);
}

export function deleteTrait(state: State, name: string): Outcome {
  if (!traitExists(state, name)) return failed(error(404, `No such trait(s): ${name}.`));
  if (!name.startsWith('CUSTOM_')) return failed(error(400, `Cannot delete standard trait ${name}.`));
  for (const provider of state.providers.values()) {
    if (provider.traits.includes(name)) return failed(error(409, `The trait ${name} is in use by a resource provider.`));
  }
  return ok({ ...state, customTraits: state.customTraits.filter((existing) => existing !== name) });
}

export function setProviderTraits(state: State, providerUuid: string, generation: number, traits: readonly string[]): Outcome {
  const provider = state.providers.get(providerUuid);
  if (provider === undefined) return failed(providerNotFound(providerUuid));
  if (provider.generation !== generation) {
    return failed(
      error(
        409,
        "Resource provider's generation already changed. Please update the generation and try again.",
        'placement.concurrent_update',
      ),
    );
  }
  const unknown = [...new Set(traits)].filter((name) => !traitExists(state, name));
  if (unknown.length > 0) return failed(error(400, `No such trait ${unknown.join(', ')}`));
  return ok(replaceTraits(state, provider, [...new Set(traits)].sort()));
}

export function deleteProviderTraits(state: State, providerUuid: string): Outcome {
  const provider = state.providers.get(providerUuid);
  if (provider === undefined) return failed(providerNotFound(providerUuid));
  return ok(replaceTraits(state, provider, []));
}

/** The generation moves only when the set of traits really changes. */
function replaceTraits(state: State, provider: Provider, traits: readonly string[]): State {
  const same = traits.length === provider.traits.length && traits.every((name, index) => provider.traits[index] === name);
  if (same) return state;
  return withProvider(state, { ...provider, traits, generation: provider.generation + 1 });
}

export function setAggregates(state: State, providerUuid: string, aggregates: readonly string[], generation: number | null): Outcome {
  const provider = state.providers.get(providerUuid);
  if (provider === undefined) return failed(providerNotFound(providerUuid));
  if (generation !== null && generation !== provider.generation) {
    return failed(
      error(
        409,
        "Resource provider's generation already changed. Please update the generation and try again.",
        'placement.concurrent_update',
      ),
    );
  }
  const kept = provider.aggregates.filter((uuid) => aggregates.includes(uuid));
  const added = aggregates.filter((uuid, index) => !provider.aggregates.includes(uuid) && aggregates.indexOf(uuid) === index);
  const next: Provider = {
    ...provider,
    aggregates: [...kept, ...added],
    generation: generation === null ? provider.generation : provider.generation + 1,
  };
  return ok(withProvider(state, next));
}
