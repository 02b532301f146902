/**
 * `_check_capacity_exceeded` in 8.0.0: float capacity, the running sum over
 * a multi-consumer POST (bug 1778743), min/max/step, the order in which
 * failures are reported, and the over-capacity lock-out (bug #2104040, only
 * fixed in 14.0.0). Expected texts were read from the real 8.0.0 service.
 */
import { describe, expect, it } from 'vitest';
import { putAllocations, postAllocations, sessionWithInventories, usages } from '../testing/allocationFixtures.ts';
import { errorEntry, errorMessage, providerUuid, type Exchange } from '../testing/modelSession.ts';

const ONE = providerUuid(1);
const TWO = providerUuid(2);

function refused(provider: string, resourceClass: string, consequence: 'exceed the capacity' | 'violate inventory constraints'): string {
  return `Unable to allocate inventory: Unable to create allocation for '${resourceClass}' on resource provider '${provider}'. The requested amount would ${consequence}.`;
}

function invalid(resourceClasses: string, provider: string): string {
  return `Unable to allocate inventory: Inventory for '${resourceClasses}' on resource provider '${provider}' invalid.`;
}

function expectConflict(exchange: Exchange, message: string): void {
  expect(exchange.status).toBe(409);
  expect(errorMessage(exchange)).toBe(message);
  // Allocation conflicts carry no code of their own.
  expect(errorEntry(exchange).code).toBe('placement.undefined_code');
}

describe('capacity is (total - reserved) * ratio as a float', () => {
  it('fits 4 but not 5 into total 3 with ratio 1.5 (capacity 4.5)', () => {
    const session = sessionWithInventories([{ VCPU: { total: 3, allocation_ratio: 1.5 } }]);
    expectConflict(putAllocations(session, 1, [[1, { VCPU: 5 }]]), refused(ONE, 'VCPU', 'exceed the capacity'));
    expect(putAllocations(session, 1, [[1, { VCPU: 4 }]]).status).toBe(204);
  });

  it('fits 7 into total 10 with ratio 0.7 (7.000000000000001 in doubles)', () => {
    const session = sessionWithInventories([{ VCPU: { total: 10, allocation_ratio: 0.7 } }]);
    expect(putAllocations(session, 1, [[1, { VCPU: 7 }]]).status).toBe(204);
  });

  it('subtracts reserved and counts other consumers', () => {
    const session = sessionWithInventories([{ VCPU: { total: 4, reserved: 1 } }]);
    expect(putAllocations(session, 1, [[1, { VCPU: 2 }]]).status).toBe(204);
    expectConflict(putAllocations(session, 2, [[1, { VCPU: 2 }]]), refused(ONE, 'VCPU', 'exceed the capacity'));
    expect(putAllocations(session, 2, [[1, { VCPU: 1 }]]).status).toBe(204);
  });

  it('does not count the consumer\'s own previous allocation against a rewrite', () => {
    const session = sessionWithInventories([{ VCPU: { total: 4 } }]);
    expect(putAllocations(session, 1, [[1, { VCPU: 4 }]]).status).toBe(204);
    expect(putAllocations(session, 1, [[1, { VCPU: 4 }]], { generation: 1 }).status).toBe(204);
  });
});

describe('the running sum across consumers of one POST (bug 1778743)', () => {
  it('refuses three new consumers of 1 each on total 2, leaving usage at 0', () => {
    const session = sessionWithInventories([{ VCPU: { total: 2 } }]);
    const exchange = postAllocations(session, [
      [3, [[1, { VCPU: 1 }]]],
      [4, [[1, { VCPU: 1 }]]],
      [5, [[1, { VCPU: 1 }]]],
    ]);
    expectConflict(exchange, refused(ONE, 'VCPU', 'exceed the capacity'));
    expect(usages(session, 1)).toEqual({ VCPU: 0 });
  });

  it('accepts two of 1 each on total 2', () => {
    const session = sessionWithInventories([{ VCPU: { total: 2 } }]);
    expect(postAllocations(session, [[3, [[1, { VCPU: 1 }]]], [4, [[1, { VCPU: 1 }]]]]).status).toBe(204);
    expect(usages(session, 1)).toEqual({ VCPU: 2 });
  });

  it('frees room in the same POST when one consumer clears (used 0 rows come first in the sum)', () => {
    const session = sessionWithInventories([{ VCPU: { total: 2 } }]);
    expect(putAllocations(session, 1, [[1, { VCPU: 2 }]]).status).toBe(204);
    const swapped = postAllocations(session, [
      [1, [], { generation: 1 }],
      [2, [[1, { VCPU: 2 }]]],
    ]);
    expect(swapped.status).toBe(204);
    expect(usages(session, 1)).toEqual({ VCPU: 2 });
  });
});

describe('min_unit, max_unit and step_size', () => {
  const session = (): ReturnType<typeof sessionWithInventories> =>
    sessionWithInventories([{ VCPU: { total: 10, min_unit: 2, max_unit: 6, step_size: 2 } }]);

  it.each([1, 3, 8])('refuses %i with "violate inventory constraints"', (amount) => {
    expectConflict(putAllocations(session(), 1, [[1, { VCPU: amount }]]), refused(ONE, 'VCPU', 'violate inventory constraints'));
  });

  it.each([2, 4, 6])('accepts %i', (amount) => {
    expect(putAllocations(session(), 1, [[1, { VCPU: amount }]]).status).toBe(204);
  });

  it('makes an inventory with min_unit above max_unit unallocatable', () => {
    const inverted = sessionWithInventories([{ VCPU: { total: 8, min_unit: 3, max_unit: 2 } }]);
    for (const amount of [1, 2, 3, 4]) {
      expectConflict(putAllocations(inverted, 1, [[1, { VCPU: amount }]]), refused(ONE, 'VCPU', 'violate inventory constraints'));
    }
  });

  it('refuses amounts above MAX_INT through max_unit, not the schema', () => {
    const big = sessionWithInventories([{ VCPU: { total: 4 } }]);
    expectConflict(putAllocations(big, 1, [[1, { VCPU: 2147483648 }]]), refused(ONE, 'VCPU', 'violate inventory constraints'));
  });
});

describe('which failure is reported first', () => {
  // rp1: VCPU 4.5 capacity (1 used below) and DISK_GB 10; rp2: VCPU 2.
  function fixture(): ReturnType<typeof sessionWithInventories> {
    const session = sessionWithInventories([{ VCPU: { total: 3, allocation_ratio: 1.5 }, DISK_GB: { total: 10 } }, { VCPU: { total: 2 } }]);
    expect(putAllocations(session, 1, [[1, { VCPU: 4 }]]).status).toBe(204);
    return session;
  }

  it('a missing provider (400) before an unknown class', () => {
    const exchange = putAllocations(fixture(), 21, [[1, { COWS: 1 }], [9, { VCPU: 1 }]]);
    expect(exchange.status).toBe(400);
    expect(errorMessage(exchange)).toBe(`Allocation for resource provider '${providerUuid(9)}' that does not exist.`);
  });

  it('an unknown class (400, PUT names the consumer) before missing inventory', () => {
    const exchange = putAllocations(fixture(), 26, [[1, { VCPU: 1, COWS: 2 }], [2, { DISK_GB: 1 }]]);
    expect(exchange.status).toBe(400);
    expect(errorMessage(exchange)).toBe('Unable to allocate inventory for consumer cccccccc-0000-4000-8000-00000000001a: No such resource class COWS.');
  });

  it('POST words the unknown class without the consumer and without a colon', () => {
    const exchange = postAllocations(fixture(), [[32, [[1, { VCPU: 1 }]]], [33, [[1, { COWS: 1 }]]]]);
    expect(exchange.status).toBe(400);
    expect(errorMessage(exchange)).toBe('Unable to allocate inventory No such resource class COWS.');
  });

  it('a provider with none of the requested classes, naming every requested class', () => {
    expectConflict(putAllocations(fixture(), 22, [[2, { DISK_GB: 1 }]]), invalid('DISK_GB', TWO));
    // Python joins a set of class ids: small sets iterate by id modulo 8.
    expectConflict(
      putAllocations(fixture(), 30, [[2, { MEMORY_MB: 1, DISK_GB: 1, PCI_DEVICE: 1, SRIOV_NET_VF: 1, VGPU: 1 }]]),
      invalid('MEMORY_MB, DISK_GB, PCI_DEVICE, SRIOV_NET_VF, VGPU', TWO),
    );
  });

  it('per-item checks follow body order across providers', () => {
    // rp2 has VCPU, one of the requested classes, so it passes the provider
    // check; its missing DISK_GB row is met before rp1's capacity failure.
    expectConflict(putAllocations(fixture(), 27, [[2, { DISK_GB: 1 }], [1, { VCPU: 1 }]]), invalid('DISK_GB', TWO));
  });

  it('per-item checks in body order: missing inventory, constraints, capacity', () => {
    expectConflict(putAllocations(fixture(), 24, [[1, { DISK_GB: 1, MEMORY_MB: 1 }]]), invalid('MEMORY_MB', ONE));
    expectConflict(putAllocations(fixture(), 28, [[1, { VCPU: 1, DISK_GB: 11 }]]), refused(ONE, 'VCPU', 'exceed the capacity'));
    expectConflict(putAllocations(fixture(), 29, [[1, { DISK_GB: 11, VCPU: 1 }]]), refused(ONE, 'DISK_GB', 'exceed the capacity'));
  });

  it('a consumer generation conflict in POST before anything else', () => {
    const exchange = postAllocations(fixture(), [
      [34, [[1, { VCPU: 1 }]]],
      [1, [[1, { COWS: 1 }]], { generation: 7 }],
    ]);
    expect(exchange.status).toBe(409);
    expect(errorMessage(exchange)).toBe('consumer generation conflict - expected 1 but got 7');
    expect(errorEntry(exchange).code).toBe('placement.concurrent_update');
  });
});

describe('over-capacity lock-out in 8.0.0 (bug #2104040)', () => {
  // VCPU total 4, C1 = 2, C2 = 2, then total shrinks to 2: usage 4 > capacity 2.
  function overCapacity(): ReturnType<typeof sessionWithInventories> {
    const session = sessionWithInventories([{ VCPU: { total: 4 }, DISK_GB: { total: 10 } }]);
    expect(putAllocations(session, 1, [[1, { VCPU: 2 }]]).status).toBe(204);
    expect(putAllocations(session, 2, [[1, { VCPU: 2 }]]).status).toBe(204);
    const shrunk = session.send('PUT', `/resource_providers/${ONE}/inventories`, {
      microversion: '1.39',
      body: { resource_provider_generation: 3, inventories: { VCPU: { total: 2 }, DISK_GB: { total: 10 } } },
    });
    expect(shrunk.status).toBe(200);
    return session;
  }

  it('refuses reducing a consumer\'s usage on the over-capacity class', () => {
    expectConflict(putAllocations(overCapacity(), 2, [[1, { VCPU: 1 }]], { generation: 1 }), refused(ONE, 'VCPU', 'exceed the capacity'));
  });

  it('refuses rewriting the same amount', () => {
    expectConflict(putAllocations(overCapacity(), 2, [[1, { VCPU: 2 }]], { generation: 1 }), refused(ONE, 'VCPU', 'exceed the capacity'));
  });

  it('allows moving off the class, and clearing, because used 0 is never checked', () => {
    const session = overCapacity();
    expect(putAllocations(session, 2, [[1, { DISK_GB: 1 }]], { generation: 1 }).status).toBe(204);
    expect(putAllocations(session, 1, [], { generation: 1 }).status).toBe(204);
    expect(usages(session, 1)).toEqual({ VCPU: 0, DISK_GB: 1 });
  });
});
