import { describe, expect, it } from 'vitest';
import { deepFreeze } from '../test/deepFreeze.ts';
import { emptyState, handle, placementRequest, type HttpRequest, type State } from './index.ts';

const RP = 'aaaaaaaa-0000-4000-8000-000000000001';
const CONSUMER = 'cccccccc-0000-4000-8000-000000000001';

function run(state: State, requests: readonly HttpRequest[]): { state: State; statuses: number[]; bodies: unknown[] } {
  let current = state;
  const statuses: number[] = [];
  const bodies: unknown[] = [];
  for (const request of requests) {
    const handled = handle(current, request);
    current = handled.state;
    statuses.push(handled.response.status);
    bodies.push(handled.response.body === '' ? null : JSON.parse(handled.response.body));
  }
  return { state: current, statuses, bodies };
}

const setup: readonly HttpRequest[] = [
  placementRequest('POST', '/resource_providers', { microversion: '1.39', body: { name: 'rp1', uuid: RP } }),
  placementRequest('PUT', `/resource_providers/${RP}/inventories`, {
    microversion: '1.39',
    body: { resource_provider_generation: 0, inventories: { VCPU: { total: 4, allocation_ratio: 1.5 } } },
  }),
];

function allocate(consumer: string, vcpu: number, generation: number | null): HttpRequest {
  return placementRequest('PUT', `/allocations/${consumer}`, {
    microversion: '1.39',
    body: {
      allocations: { [RP]: { resources: { VCPU: vcpu } } },
      project_id: 'p',
      user_id: 'u',
      consumer_generation: generation,
      consumer_type: 'INSTANCE',
    },
  });
}

describe('handle', () => {
  it('serves the version document without a token', () => {
    const { statuses, bodies } = run(emptyState(), [{ method: 'GET', path: '/', headers: {}, body: null }]);
    expect(statuses).toEqual([200]);
    expect(bodies[0]).toEqual({
      versions: [{ id: 'v1.0', max_version: '1.39', min_version: '1.0', status: 'CURRENT', links: [{ rel: 'self', href: '' }] }],
    });
  });

  it('allocates up to the float capacity (total 4, ratio 1.5 gives 6) and refuses beyond it', () => {
    const { statuses, bodies } = run(emptyState(), [
      ...setup,
      allocate(CONSUMER, 6, null),
      allocate('cccccccc-0000-4000-8000-000000000002', 1, null),
      placementRequest('GET', `/resource_providers/${RP}/usages`, { microversion: '1.39' }),
    ]);
    expect(statuses).toEqual([200, 200, 204, 409, 200]);
    expect(JSON.stringify(bodies[3])).toContain('The requested amount would exceed the capacity.');
    expect(bodies[4]).toEqual({ resource_provider_generation: 2, usages: { VCPU: 6 } });
  });

  it('checks consumer generations from 1.28 and deletes a consumer whose last allocation goes', () => {
    const { statuses, bodies } = run(emptyState(), [
      ...setup,
      allocate(CONSUMER, 1, null),
      allocate(CONSUMER, 2, null),
      allocate(CONSUMER, 2, 1),
      placementRequest('DELETE', `/allocations/${CONSUMER}`),
      placementRequest('GET', `/allocations/${CONSUMER}`, { microversion: '1.39' }),
      allocate(CONSUMER, 1, null),
    ]);
    expect(statuses).toEqual([200, 200, 204, 409, 204, 204, 200, 204]);
    expect(JSON.stringify(bodies[3])).toContain('consumer generation conflict - expected 1 but got None');
    expect(bodies[6]).toEqual({ allocations: {} });
  });

  it('never modifies the state it is given, even when frozen', () => {
    const before = run(emptyState(), setup).state;
    const frozen = deepFreeze(before);
    const snapshot = JSON.stringify([...frozen.providers.entries()].map(([key, provider]) => [key, provider.generation]));
    const after = handle(frozen, allocate(CONSUMER, 3, null));
    expect(after.response.status).toBe(204);
    expect(JSON.stringify([...frozen.providers.entries()].map(([key, provider]) => [key, provider.generation]))).toBe(snapshot);
    expect(after.state.providers.get(RP)?.generation).toBe(2);
  });
});
