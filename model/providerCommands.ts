/**
 * Creating, updating and deleting resource providers.
 */
import { ClassMap } from './classMap.ts';
import { failed, ok, type Outcome } from './commands.ts';
import { error, providerNotFound } from './errors.ts';
import { internalized } from './internalized.ts';
import { withoutProvider, withProvider, withProviders, type Provider, type State } from './state.ts';

function createFailure(name: string, uuid: string, reason: string): Outcome {
  return failed(error(400, `Unable to create resource provider "${name}", ${uuid}: Object action create failed because: ${reason}`));
}

export function createProvider(state: State, uuid: string, name: string, parentUuid: string | null): Outcome {
  // ResourceProvider.create checks the name before _create_in_db looks at the parent.
  if (name === '') return createFailure(name, uuid, 'name is required');
  let rootUuid = uuid;
  if (parentUuid !== null) {
    if (parentUuid === uuid) {
      return createFailure(
        name,
        uuid,
        'parent provider UUID cannot be same as UUID. Please set parent provider UUID to None if there is no parent.',
      );
    }
    const parent = state.providers.get(parentUuid);
    if (parent === undefined) return createFailure(name, uuid, 'parent provider UUID does not exist.');
    rootUuid = parent.rootUuid;
  }
  if (state.providers.has(uuid)) {
    return failed(error(409, `Conflicting resource provider uuid: ${uuid} already exists.`, 'placement.duplicate_name'));
  }
  if (providerNamed(state, name) !== undefined) {
    return failed(error(409, `Conflicting resource provider name: ${name} already exists.`, 'placement.duplicate_name'));
  }
  const provider: Provider = {
    // Allocation rows keep this very string, so comparing them is cheap (see internalized.ts).
    uuid: internalized(uuid),
    name,
    generation: 0,
    parentUuid,
    rootUuid,
    inventories: ClassMap.empty(),
    usages: ClassMap.empty(),
    traits: [],
    aggregates: [],
  };
  return ok(withProvider(state, provider), true);
}

function providerNamed(state: State, name: string): Provider | undefined {
  for (const provider of state.providers.values()) if (provider.name === name) return provider;
  return undefined;
}

/** The provider and every provider below it. */
export function subtreeOf(state: State, uuid: string): readonly Provider[] {
  const result: Provider[] = [];
  const pending = [uuid];
  // Bounded by the number of providers: each is visited at most once.
  const seen = new Set<string>();
  while (pending.length > 0) {
    const current = pending.pop() ?? '';
    if (seen.has(current)) continue;
    seen.add(current);
    const provider = state.providers.get(current);
    if (provider === undefined) continue;
    result.push(provider);
    for (const candidate of state.providers.values()) if (candidate.parentUuid === current) pending.push(candidate.uuid);
  }
  return result;
}

export function updateProvider(
  state: State,
  uuid: string,
  name: string,
  parentUuid: string | null | undefined,
  allowReparenting: boolean,
): Outcome {
  const provider = state.providers.get(uuid);
  if (provider === undefined) return failed(providerNotFound(uuid));
  const saveFailure = (action: string, reason: string): Outcome =>
    failed(error(400, `Unable to save resource provider ${uuid}: Object action ${action} failed because: ${reason}`));
  let parent = provider.parentUuid;
  let newRoot: string | null = null;
  if (parentUuid !== undefined) {
    if (parentUuid !== null) {
      const newParent = state.providers.get(parentUuid);
      if (newParent === undefined) return saveFailure('create', 'parent provider UUID does not exist.');
      if (provider.parentUuid !== null && provider.parentUuid !== parentUuid && !allowReparenting) {
        return saveFailure('update', 're-parenting a provider is not currently allowed.');
      }
      if (subtreeOf(state, uuid).some((member) => member.uuid === parentUuid)) {
        return saveFailure('update', 'creating loop in the provider tree is not allowed.');
      }
      parent = parentUuid;
      newRoot = newParent.rootUuid;
    } else if (provider.parentUuid !== null) {
      if (!allowReparenting) return saveFailure('update', 'un-parenting a provider is not currently allowed.');
      parent = null;
      newRoot = uuid;
    }
  }
  const holder = providerNamed(state, name);
  if (holder !== undefined && holder.uuid !== uuid) {
    return failed(error(409, `Conflicting resource provider ${name} already exists.`, 'placement.duplicate_name'));
  }
  const changed: Provider[] = [{ ...provider, name, parentUuid: parent }];
  if (newRoot !== null) {
    const root = newRoot;
    for (const member of subtreeOf(state, uuid)) {
      const base = member.uuid === uuid ? (changed[0] ?? member) : member;
      if (member.uuid === uuid) changed[0] = { ...base, rootUuid: root };
      else changed.push({ ...base, rootUuid: root });
    }
  }
  return ok(withProviders(state, changed));
}

export function deleteProvider(state: State, uuid: string): Outcome {
  const provider = state.providers.get(uuid);
  if (provider === undefined) return failed(error(404, `No resource provider with uuid ${uuid} found for delete`));
  for (const candidate of state.providers.values()) {
    if (candidate.parentUuid === uuid) {
      return failed(
        error(409, `Unable to delete parent resource provider ${uuid}: It has child resource providers.`, 'placement.resource_provider.cannot_delete_parent'),
      );
    }
  }
  if (provider.usages.size > 0) {
    return failed(error(409, `Unable to delete resource provider ${uuid}: Resource provider has allocations.`, 'placement.resource_provider.inuse'));
  }
  return ok(withoutProvider(state, uuid));
}
