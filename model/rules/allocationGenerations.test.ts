/**
 * Provider generations under allocation writes: +1 once per request for
 * each distinct provider in the written list (the new payload plus the old
 * rows of consumers being cleared), nothing for a provider that only lost
 * rows, nothing for DELETE, nothing for a failed write. Expected values were
 * read from the real 8.0.0 service and upstream's allocations.yaml.
 */
import { describe, expect, it } from 'vitest';
import { postAllocations, providerGeneration, putAllocations, sessionWithInventories } from '../testing/allocationFixtures.ts';
import { consumerUuid, providerUuid } from '../testing/modelSession.ts';

function twoProviders(): ReturnType<typeof sessionWithInventories> {
  // Each provider is at generation 1 after its inventory is set.
  return sessionWithInventories([{ VCPU: { total: 8 }, DISK_GB: { total: 10 } }, { VCPU: { total: 8 } }]);
}

describe('provider generations under allocation writes', () => {
  it('adds 1 once per provider, however many classes or consumers name it', () => {
    const session = twoProviders();
    expect(putAllocations(session, 1, [[1, { VCPU: 1, DISK_GB: 1 }]]).status).toBe(204);
    expect(providerGeneration(session, 1)).toBe(2);
    expect(postAllocations(session, [[2, [[1, { VCPU: 1 }]]], [3, [[1, { DISK_GB: 1 }], [2, { VCPU: 1 }]]]]).status).toBe(204);
    expect(providerGeneration(session, 1)).toBe(3);
    expect(providerGeneration(session, 2)).toBe(2);
  });

  it('adds 1 even when the allocation is rewritten unchanged', () => {
    const session = twoProviders();
    putAllocations(session, 1, [[1, { VCPU: 1 }]]);
    putAllocations(session, 1, [[1, { VCPU: 1 }]], { generation: 1 });
    expect(providerGeneration(session, 1)).toBe(3);
  });

  it('leaves a provider that only lost rows alone when a consumer moves', () => {
    const session = twoProviders();
    putAllocations(session, 3, [[2, { VCPU: 1 }]]);
    expect(providerGeneration(session, 2)).toBe(2);
    expect(putAllocations(session, 3, [[1, { DISK_GB: 2 }]], { generation: 1 }).status).toBe(204);
    expect(providerGeneration(session, 2)).toBe(2);
    expect(providerGeneration(session, 1)).toBe(2);
  });

  it('adds 1 to the providers of a consumer cleared with {} (its old rows are written with used 0)', () => {
    const session = twoProviders();
    putAllocations(session, 4, [[1, { VCPU: 1 }], [2, { VCPU: 1 }]]);
    expect(putAllocations(session, 4, [], { generation: 1 }).status).toBe(204);
    expect(providerGeneration(session, 1)).toBe(3);
    expect(providerGeneration(session, 2)).toBe(3);
  });

  it('changes no generation on DELETE', () => {
    const session = twoProviders();
    putAllocations(session, 4, [[1, { VCPU: 1 }]]);
    expect(session.send('DELETE', `/allocations/${consumerUuid(4)}`).status).toBe(204);
    expect(providerGeneration(session, 1)).toBe(2);
  });

  it('changes no generation on a failed write', () => {
    const session = twoProviders();
    expect(putAllocations(session, 1, [[1, { VCPU: 9 }]]).status).toBe(409);
    expect(putAllocations(session, 1, [[1, { COWS: 1 }]]).status).toBe(400);
    expect(providerGeneration(session, 1)).toBe(1);
  });

  it('reproduces the worked count of allocations.yaml (final generation 7)', () => {
    const session = sessionWithInventories([]);
    const uuid = providerUuid(1);
    session.send('POST', '/resource_providers', { microversion: '1.39', body: { name: 'rp1', uuid } });
    const inventory = (resourceClass: string): void => {
      const created = session.send('POST', `/resource_providers/${uuid}/inventories`, { microversion: '1.39', body: { resource_class: resourceClass, total: 2048 } });
      expect(created.status).toBe(201);
    };
    const generations: number[] = [];
    const record = (): void => {
      generations.push(providerGeneration(session, 1));
    };
    record();
    inventory('DISK_GB');
    record();
    putAllocations(session, 1, [[1, { DISK_GB: 10 }]], {}, '1.27');
    record();
    putAllocations(session, 2, [[1, { DISK_GB: 20 }]], {}, '1.27');
    record();
    putAllocations(session, 1, [[1, { DISK_GB: 10 }]], {}, '1.27');
    record();
    expect(putAllocations(session, 1, [[1, { COWS: 10 }]], {}, '1.27').status).toBe(400);
    record();
    session.send('DELETE', `/allocations/${consumerUuid(1)}`);
    record();
    putAllocations(session, 1, [[1, { DISK_GB: 10 }]], {}, '1.27');
    record();
    inventory('VCPU');
    record();
    putAllocations(session, 3, [[1, { DISK_GB: 10, VCPU: 1 }]], {}, '1.27');
    record();
    expect(generations).toEqual([0, 1, 2, 3, 4, 4, 4, 5, 6, 7]);
  });
});
