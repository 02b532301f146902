/**
 * The generator: the same seed gives the same sequences and the same
 * requests; different seeds differ; and a modest sample covers every kind
 * of request, every microversion and every corruption the brief asks for.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emptyState, handle, type HttpRequest, type State } from '../../model/index.ts';
import type { Action, RequestPlan } from './action.ts';
import { materialiseAction } from './materialiseAction.ts';
import { MICROVERSIONS } from './pools.ts';
import { sequenceArbitrary } from './sequenceArbitrary.ts';

function sample(seed: number, sequences: number): (readonly RequestPlan[])[] {
  return fc.sample(sequenceArbitrary(), { seed, numRuns: sequences });
}

/** The concrete requests of a sequence, materialised against the model as a run would. */
function requestsOf(plans: readonly RequestPlan[]): { requests: HttpRequest[]; statuses: number[] } {
  let state: State = emptyState();
  const requests: HttpRequest[] = [];
  const statuses: number[] = [];
  for (const plan of plans) {
    const request = materialiseAction(plan, state);
    const handled = handle(state, request);
    requests.push(request);
    statuses.push(handled.response.status);
    state = handled.state;
  }
  return { requests, statuses };
}

const ALL_KINDS: readonly Action['kind'][] = [
  'createProvider', 'updateProvider', 'deleteProvider', 'showProvider', 'listProviders',
  'createInventory', 'setInventories', 'updateInventory', 'deleteInventory', 'deleteInventories', 'showInventory', 'listInventories',
  'putAllocations', 'postAllocations', 'deleteAllocations', 'showConsumerAllocations', 'showProviderAllocations',
  'showProviderUsages', 'totalUsages',
  'putTrait', 'showTrait', 'deleteTrait', 'listTraits', 'setProviderTraits', 'deleteProviderTraits', 'listProviderTraits',
  'setAggregates', 'listAggregates',
  'createResourceClass', 'putResourceClass', 'deleteResourceClass', 'showResourceClass', 'listResourceClasses', 'showRoot',
];

describe('sequenceArbitrary', () => {
  it('gives the same sequences and the same requests for the same seed', () => {
    const first = sample(20260101, 25);
    const second = sample(20260101, 25);
    expect(second).toEqual(first);
    expect(second.map((plans) => requestsOf(plans).requests)).toEqual(first.map((plans) => requestsOf(plans).requests));
  });

  it('gives different sequences for different seeds', () => {
    expect(sample(1, 10)).not.toEqual(sample(2, 10));
  });

  it('covers every request kind, every microversion of allocation writes, clears, corruptions and outcomes', () => {
    const sequences = sample(42, 300);
    const plans = sequences.flat();
    const kinds = new Set(plans.map((plan) => plan.action.kind));
    expect([...ALL_KINDS].filter((kind) => !kinds.has(kind))).toEqual([]);

    const putVersions = new Set(plans.filter((plan) => plan.action.kind === 'putAllocations').map((plan) => plan.version));
    expect(MICROVERSIONS.filter((version) => !putVersions.has(version))).toEqual([]);

    const clears = plans.filter((plan) => plan.action.kind === 'putAllocations' && plan.action.write.allocations.length === 0);
    expect(clears.length).toBeGreaterThan(10);
    const multiConsumerPosts = plans.filter((plan) => plan.action.kind === 'postAllocations' && plan.action.writes.length > 1);
    expect(multiConsumerPosts.length).toBeGreaterThan(10);
    const corruptions = new Set(plans.map((plan) => plan.corruption));
    expect(corruptions.size).toBe(10);

    const statuses = new Set(sequences.flatMap((sequence) => requestsOf(sequence).statuses));
    for (const status of [200, 201, 204, 400, 401, 403, 404, 405, 406, 409, 415]) expect(statuses.has(status), `status ${status}`).toBe(true);
  });

  it('materialises a fresh generation from the model state it is given', () => {
    const provider = 'a0000000-0000-4000-8000-000000000001';
    const create: RequestPlan = { action: { kind: 'createProvider', uuid: 0, name: 0, parent: null }, version: '1.39', corruption: 'none' };
    const setTraits: RequestPlan = {
      action: { kind: 'setProviderTraits', provider: { pool: 0 }, generation: 'current', traits: [0] },
      version: '1.39',
      corruption: 'none',
    };
    let state = handle(emptyState(), materialiseAction(create, emptyState())).state;
    state = handle(state, materialiseAction(setTraits, state)).state;
    expect(state.providers.get(provider)?.generation).toBe(1);
    const request = materialiseAction(setTraits, state);
    expect(JSON.parse(request.body ?? '{}')).toMatchObject({ resource_provider_generation: 1 });
    expect(materialiseAction(setTraits, state)).toEqual(request);
  });
});
