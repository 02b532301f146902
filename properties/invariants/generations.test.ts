import { describe, expect, it } from 'vitest';
import type { Operation } from '../../sim/history.ts';
import type { RunRecord } from '../runRecord.ts';
import { checkGenerations } from './generations.ts';

const PROVIDER = '11111111-1111-4111-8111-111111111111';
const CONSUMER = '22222222-2222-4222-8222-222222222222';

function read(id: number, path: string, body: unknown): Operation {
  return {
    id,
    client: 0,
    step: id,
    request: { method: 'GET', path, headers: {}, body: null },
    invokedAt: id * 10,
    completedAt: id * 10 + 5,
    completion: { kind: 'response', response: { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } },
  };
}

function runOf(operations: readonly Operation[]): RunRecord {
  return { program: { providers: [], consumers: [] } as unknown as RunRecord['program'], history: { operations }, details: new Map(), faults: [], tables: null, stalled: [] };
}

const inventories = (generation: number, shown: unknown): Operation[] => [read(0, `/resource_providers/${PROVIDER}/inventories`, { resource_provider_generation: generation, inventories: shown })];

describe('checkGenerations', () => {
  it('accepts one generation reported twice with the same state, keys in any order', () => {
    const first = { VCPU: { total: 8, reserved: 0, allocation_ratio: 1.5 }, DISK_GB: { total: 100, reserved: [1, { a: null }] } };
    const second = { DISK_GB: { reserved: [1, { a: null }], total: 100 }, VCPU: { allocation_ratio: 1.5, reserved: 0, total: 8 } };
    const operations = [...inventories(3, first), { ...read(1, `/resource_providers/${PROVIDER}/inventories`, { resource_provider_generation: 3, inventories: second }) }];
    expect(checkGenerations(runOf(operations))).toEqual([]);
  });

  it.each([
    ['a different value', { VCPU: { total: 8 } }, { VCPU: { total: 9 } }],
    ['a missing key', { VCPU: { total: 8, reserved: 0 } }, { VCPU: { total: 8 } }],
    ['an extra key', { VCPU: { total: 8 } }, { VCPU: { total: 8 }, DISK_GB: { total: 1 } }],
    ['a string for a number', { VCPU: { total: 8 } }, { VCPU: { total: '8' } }],
    ['a list for a record', { VCPU: [] }, { VCPU: {} }],
    ['lists in another order', { VCPU: [1, 2] }, { VCPU: [2, 1] }],
    ['null for a record', { VCPU: null }, { VCPU: {} }],
  ])('reports one generation shown with two states: %s', (_, first, second) => {
    const operations = [read(0, `/resource_providers/${PROVIDER}/inventories`, { resource_provider_generation: 3, inventories: first }), read(1, `/resource_providers/${PROVIDER}/inventories`, { resource_provider_generation: 3, inventories: second })];
    const violations = checkGenerations(runOf(operations));
    expect(violations).toHaveLength(1);
    expect(violations[0]?.data).toMatchObject({ key: `provider ${PROVIDER}`, generation: 3 });
  });

  it('compares a consumer by the resources of its allocations, whatever else the body holds', () => {
    const body = (resources: unknown, generation: number): unknown => ({ consumer_generation: 1, allocations: { [PROVIDER]: { resources, generation } } });
    const same = [read(0, `/allocations/${CONSUMER}`, body({ VCPU: 1 }, 4)), read(1, `/allocations/${CONSUMER}`, body({ VCPU: 1 }, 5))];
    expect(checkGenerations(runOf(same))).toEqual([]);
    const different = [read(0, `/allocations/${CONSUMER}`, body({ VCPU: 1 }, 4)), read(1, `/allocations/${CONSUMER}`, body({ VCPU: 2 }, 4))];
    expect(checkGenerations(runOf(different)).map((violation) => violation.data)).toEqual([
      { key: `consumer ${CONSUMER}`, generation: 1, first: `{"${PROVIDER}":{"VCPU":1}}`, second: `{"${PROVIDER}":{"VCPU":2}}` },
    ]);
  });
});
