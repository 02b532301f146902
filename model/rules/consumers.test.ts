/**
 * Consumers: generations from 1.28, types from 1.38, deletion when the last
 * allocation goes (and the generation starting over), DELETE semantics.
 * Expected texts were read from the real 8.0.0 service.
 */
import { describe, expect, it } from 'vitest';
import { consumerAllocations, postAllocations, putAllocations, sessionWithInventories } from '../testing/allocationFixtures.ts';
import { consumerUuid, errorEntry, errorMessage, providerUuid, type Exchange } from '../testing/modelSession.ts';

function oneProvider(): ReturnType<typeof sessionWithInventories> {
  return sessionWithInventories([{ VCPU: { total: 8 }, DISK_GB: { total: 10 } }]);
}

function expectGenerationConflict(exchange: Exchange, message: string): void {
  expect(exchange.status).toBe(409);
  expect(errorMessage(exchange)).toBe(message);
  expect(errorEntry(exchange).code).toBe('placement.concurrent_update');
}

function generationOf(session: ReturnType<typeof oneProvider>, consumer: number): unknown {
  return (consumerAllocations(session, consumer) as { consumer_generation?: unknown }).consumer_generation;
}

describe('consumer generations (1.28)', () => {
  it('creates a consumer at 0 and writes it at 1; +1 on every write, identical or not', () => {
    const session = oneProvider();
    expect(putAllocations(session, 1, [[1, { VCPU: 1 }]], { generation: null }).status).toBe(204);
    expect(generationOf(session, 1)).toBe(1);
    expect(putAllocations(session, 1, [[1, { VCPU: 1 }]], { generation: 1 }).status).toBe(204);
    expect(generationOf(session, 1)).toBe(2);
  });

  it('requires null for a new consumer: "expected null but got N", nothing created', () => {
    const session = oneProvider();
    expectGenerationConflict(putAllocations(session, 1, [[1, { VCPU: 1 }]], { generation: 0 }), 'consumer generation conflict - expected null but got 0');
    expect(consumerAllocations(session, 1)).toEqual({ allocations: {} });
    expect(putAllocations(session, 1, [[1, { VCPU: 1 }]], { generation: null }).status).toBe(204);
  });

  it('requires the current generation for an existing one: "expected G but got None"', () => {
    const session = oneProvider();
    putAllocations(session, 1, [[1, { VCPU: 1 }]]);
    expectGenerationConflict(putAllocations(session, 1, [[1, { VCPU: 2 }]], { generation: null }), 'consumer generation conflict - expected 1 but got None');
    expectGenerationConflict(putAllocations(session, 1, [[1, { VCPU: 2 }]], { generation: 5 }), 'consumer generation conflict - expected 1 but got 5');
  });

  it('requires the key from 1.28 and refuses a string', () => {
    const session = oneProvider();
    const path = `/allocations/${consumerUuid(6)}`;
    const missing = session.send('PUT', path, { microversion: '1.28', body: { allocations: {}, project_id: 'p', user_id: 'u' } });
    expect(errorMessage(missing)).toMatch(/^JSON does not validate: 'consumer_generation' is a required property/);
    const text = session.send('PUT', path, { microversion: '1.28', body: { allocations: {}, project_id: 'p', user_id: 'u', consumer_generation: '0' } });
    expect(errorMessage(text)).toMatch(/^JSON does not validate: '0' is not of type 'integer', 'null'/);
  });

  it('does not check generations before 1.28', () => {
    const session = oneProvider();
    putAllocations(session, 1, [[1, { VCPU: 1 }]]);
    expect(putAllocations(session, 1, [[1, { VCPU: 2 }]], {}, '1.27').status).toBe(204);
    expect(generationOf(session, 1)).toBe(2);
  });

  it('checks every consumer of a POST first; one conflict fails the whole request', () => {
    const session = oneProvider();
    putAllocations(session, 1, [[1, { VCPU: 1 }]]);
    const exchange = postAllocations(session, [
      [7, [[1, { VCPU: 1 }]]],
      [1, [[1, { VCPU: 1 }]], { generation: 9 }],
    ]);
    expectGenerationConflict(exchange, 'consumer generation conflict - expected 1 but got 9');
    // The new consumer named first was not kept: null is still the right generation.
    expect(putAllocations(session, 7, [[1, { VCPU: 1 }]], { generation: null }).status).toBe(204);
  });
});

describe('a consumer exists only while it has allocations', () => {
  it('is deleted by PUT {} and starts again at generation 0 (so null is required again)', () => {
    const session = oneProvider();
    putAllocations(session, 4, [[1, { VCPU: 1 }]]);
    expect(putAllocations(session, 4, [], { generation: 1 }).status).toBe(204);
    expect(consumerAllocations(session, 4)).toEqual({ allocations: {} });
    expectGenerationConflict(putAllocations(session, 4, [[1, { VCPU: 1 }]], { generation: 1 }), 'consumer generation conflict - expected null but got 1');
    expect(putAllocations(session, 4, [[1, { VCPU: 1 }]], { generation: null }).status).toBe(204);
    expect(generationOf(session, 4)).toBe(1);
  });

  it('is deleted by an empty allocations entry in a POST', () => {
    const session = oneProvider();
    putAllocations(session, 4, [[1, { VCPU: 1 }]]);
    expect(postAllocations(session, [[4, [], { generation: 1 }]]).status).toBe(204);
    expect(consumerAllocations(session, 4)).toEqual({ allocations: {} });
  });

  it('is deleted by DELETE, which checks no generation; a second DELETE is 404', () => {
    const session = oneProvider();
    putAllocations(session, 4, [[1, { VCPU: 1 }]]);
    expect(session.send('DELETE', `/allocations/${consumerUuid(4)}`).status).toBe(204);
    const again = session.send('DELETE', `/allocations/${consumerUuid(4)}`, { microversion: '1.39' });
    expect(again.status).toBe(404);
    expect(errorMessage(again)).toBe(`No allocations for consumer '${consumerUuid(4)}'`);
    expectGenerationConflict(putAllocations(session, 4, [[1, { VCPU: 1 }]], { generation: 0 }), 'consumer generation conflict - expected null but got 0');
  });

  it('answers DELETE of a malformed consumer with 404, not 400', () => {
    expect(oneProvider().send('DELETE', '/allocations/not-a-uuid').status).toBe(404);
  });

  // The real 8.0.0 keeps these consumers (at generation 0, no allocations):
  // `_resource_providers_by_uuid` raises its 400 outside the clean-up guard,
  // and `replace_all` of an empty list touches no consumer. Those are the
  // named findings unknown-provider-leaves-consumer and
  // empty-allocations-create-consumer; the model states the intended
  // behaviour, where a consumer exists only while it has allocations.
  it('keeps no consumer after a PUT that failed 400 for a missing provider, so a null generation is accepted next', () => {
    const session = oneProvider();
    expect(putAllocations(session, 40, [[9, { VCPU: 1 }]]).status).toBe(400);
    expect(putAllocations(session, 40, [[1, { VCPU: 1 }]], { generation: null }).status).toBe(204);
    expect(generationOf(session, 40)).toBe(1);
  });

  it('keeps no consumer after a POST that failed 400 for a missing provider', () => {
    const session = oneProvider();
    expect(postAllocations(session, [[41, [[9, { VCPU: 1 }]]]]).status).toBe(400);
    expect(putAllocations(session, 41, [[1, { VCPU: 1 }]], { generation: null }).status).toBe(204);
  });

  it('keeps no consumer after PUT {} for a new consumer at 1.28, so a null generation is accepted next', () => {
    const session = oneProvider();
    const cleared = session.send('PUT', `/allocations/${consumerUuid(6)}`, {
      microversion: '1.28',
      body: { allocations: {}, project_id: 'p', user_id: 'u', consumer_generation: null },
    });
    expect(cleared.status).toBe(204);
    expect(consumerAllocations(session, 6)).toEqual({ allocations: {} });
    expect(putAllocations(session, 6, [[1, { VCPU: 1 }]], { generation: null }).status).toBe(204);
  });
});

describe('consumer types (1.38)', () => {
  it('requires consumer_type from 1.38 and refuses it before', () => {
    const session = oneProvider();
    const path = `/allocations/${consumerUuid(6)}`;
    const allocations = { [providerUuid(1)]: { resources: { VCPU: 1 } } };
    const early = session.send('PUT', path, { microversion: '1.37', body: { allocations, project_id: 'p', user_id: 'u', consumer_generation: null, consumer_type: 'X' } });
    expect(errorMessage(early)).toMatch(/^JSON does not validate: Additional properties are not allowed \('consumer_type' was unexpected\)/);
    const missing = session.send('PUT', path, { microversion: '1.38', body: { allocations, project_id: 'p', user_id: 'u', consumer_generation: null } });
    expect(errorMessage(missing)).toMatch(/^JSON does not validate: 'consumer_type' is a required property/);
    const lower = putAllocations(session, 6, [[1, { VCPU: 1 }]], { consumerType: 'lower' }, '1.38');
    expect(errorMessage(lower)).toMatch(/^JSON does not validate: 'lower' does not match '\^\[A-Z0-9_\]\+\$'/);
  });

  it('shows "unknown" for a consumer written before 1.38 and keeps a type when a later write has none', () => {
    const session = oneProvider();
    putAllocations(session, 1, [[1, { VCPU: 1 }]], {}, '1.37');
    expect(consumerAllocations(session, 1)).toMatchObject({ consumer_type: 'unknown' });
    putAllocations(session, 1, [[1, { VCPU: 1 }]], { generation: 1, consumerType: 'MIGRATION' });
    expect(consumerAllocations(session, 1)).toMatchObject({ consumer_type: 'MIGRATION' });
    putAllocations(session, 1, [[1, { VCPU: 1 }]], { generation: 2 }, '1.37');
    expect(consumerAllocations(session, 1)).toMatchObject({ consumer_type: 'MIGRATION', consumer_generation: 3 });
  });

  it('updates project, user and type on a write that names new ones', () => {
    const session = oneProvider();
    putAllocations(session, 1, [[1, { VCPU: 1 }]]);
    putAllocations(session, 1, [[1, { VCPU: 1 }]], { generation: 1, projectId: 'p2', userId: 'u2', consumerType: 'MIGRATION' });
    expect(consumerAllocations(session, 1)).toMatchObject({ project_id: 'p2', user_id: 'u2', consumer_type: 'MIGRATION' });
  });
});
