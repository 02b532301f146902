import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitTarget } from '../../model/handle.ts';
import { handle, type HttpRequest, type State } from '../../model/index.ts';
import { OTHER_PROVIDER, PROVIDER, allocate, consumerUuid, request, setupState } from './goldenHistories.ts';
import { footprintKeyText, initialStateLinks, operationFootprint, targetPath } from './operationFootprint.ts';

function keysOf(item: HttpRequest): readonly string[] | 'global' {
  const footprint = operationFootprint(item);
  return footprint.kind === 'global' ? 'global' : [...new Set(footprint.keys.map(footprintKeyText))].sort();
}

const consumer = consumerUuid(1);

describe('operationFootprint', () => {
  it('names the consumer and the providers of an allocation write', () => {
    expect(keysOf(allocate(consumer, 1, null))).toEqual([`consumer:${consumer}`, `provider:${PROVIDER}`]);
  });

  it('names every consumer and provider of a POST /allocations', () => {
    const post = request('POST', '/allocations', {
      [consumer]: { allocations: { [PROVIDER]: { resources: { VCPU: 1, CUSTOM_GPU: 1 } } } },
      [consumerUuid(2)]: { allocations: {} },
    });
    expect(keysOf(post)).toEqual([`consumer:${consumer}`, `consumer:${consumerUuid(2)}`, `provider:${PROVIDER}`, 'resourceClass:CUSTOM_GPU']);
  });

  it('reads the list form of allocations used before 1.12', () => {
    const put = { ...request('PUT', `/allocations/${consumer}`), body: JSON.stringify({ allocations: [{ resource_provider: { uuid: PROVIDER }, resources: { VCPU: 1 } }] }) };
    expect(keysOf(put)).toEqual([`consumer:${consumer}`, `provider:${PROVIDER}`]);
  });

  it('normalises uuid spellings so that every spelling is the same entity', () => {
    expect(keysOf(request('GET', `/allocations/${consumer.toUpperCase()}`))).toEqual([`consumer:${consumer}`]);
    expect(keysOf(request('GET', `/allocations/${consumer.replace(/-/g, '')}`))).toEqual([`consumer:${consumer}`]);
  });

  it('names a provider with its name and parent when creating or updating it', () => {
    const create = request('POST', '/resource_providers', { uuid: PROVIDER, name: 'n', parent_provider_uuid: OTHER_PROVIDER });
    expect(keysOf(create)).toEqual([`provider:${PROVIDER}`, `provider:${OTHER_PROVIDER}`, 'providerName:n']);
    expect(keysOf(request('PUT', `/resource_providers/${PROVIDER}`, { name: 'm' }))).toEqual([`provider:${PROVIDER}`, 'providerName:m']);
  });

  it('names custom classes and traits but not standard ones, which never change', () => {
    const inventories = request('PUT', `/resource_providers/${PROVIDER}/inventories`, { resource_provider_generation: 1, inventories: { VCPU: {}, CUSTOM_GPU: {} } });
    expect(keysOf(inventories)).toEqual([`provider:${PROVIDER}`, 'resourceClass:CUSTOM_GPU']);
    const traits = request('PUT', `/resource_providers/${PROVIDER}/traits`, { resource_provider_generation: 1, traits: ['HW_CPU_X86_AVX', 'CUSTOM_FAST'] });
    expect(keysOf(traits)).toEqual([`provider:${PROVIDER}`, 'trait:CUSTOM_FAST']);
    expect(keysOf(request('DELETE', '/resource_classes/CUSTOM_GPU'))).toEqual(['resourceClass:CUSTOM_GPU']);
    expect(keysOf(request('GET', '/resource_classes/VCPU'))).toEqual([]);
  });

  it('is global for listings, totals, invented uuids and paths it does not know', () => {
    for (const item of [
      request('GET', '/resource_providers'),
      request('GET', `/resource_providers?in_tree=${PROVIDER}`),
      request('GET', '/usages?project_id=p'),
      request('GET', '/traits'),
      request('GET', '/resource_classes'),
      request('POST', '/resource_providers', { name: 'no uuid' }),
      request('POST', '/reshaper', {}),
      request('GET', '/allocation_candidates?resources=VCPU:1'),
    ]) {
      expect(keysOf(item), `${item.method} ${item.path}`).toBe('global');
    }
  });

  it('names only path entities when the body cannot be parsed (the model refuses it before reading state)', () => {
    const broken = { ...request('PUT', `/allocations/${consumer}`), body: '{not json' };
    expect(keysOf(broken)).toEqual([`consumer:${consumer}`]);
  });

  it('links what the initial state already links', () => {
    const state = handleState(setupState(), allocate(consumer, 1, null));
    const links = initialStateLinks(state).map((link) => [...new Set(link.map(footprintKeyText))].sort());
    expect(links).toContainEqual([`provider:${PROVIDER}`, 'providerName:compute-0']);
    expect(links).toContainEqual([`consumer:${consumer}`, `provider:${PROVIDER}`]);
  });
});

function handleState(state: State, item: HttpRequest): State {
  return handle(state, item).state;
}

describe('targetPath', () => {
  it('is the path splitTarget gives, for any target', () => {
    const character = fc.constantFrom('/', 'a', 'B', '0', '-', '?', '&', '=', '%', '2', 'F', '+', ' ', 'é');
    fc.assert(
      fc.property(fc.array(character, { maxLength: 30 }), (characters) => {
        const target = characters.join('');
        expect(targetPath(target)).toBe(splitTarget(target).path);
      }),
    );
  });
});
