/**
 * Allocation request and response formats by microversion: the list format
 * before 1.12 (last entry per provider wins), the dict format, the fields
 * each version requires, and how consumers are shown. Expected texts were
 * read from the real 8.0.0 service.
 */
import { describe, expect, it } from 'vitest';
import { consumerAllocations, listAllocations, putAllocations, sessionWithInventories } from '../testing/allocationFixtures.ts';
import { consumerUuid, errorMessage, providerUuid } from '../testing/modelSession.ts';

const ONE = providerUuid(1);
const TWO = providerUuid(2);
const ZERO_ID = '00000000-0000-0000-0000-000000000000';

function twoProviders(): ReturnType<typeof sessionWithInventories> {
  return sessionWithInventories([{ VCPU: { total: 8 }, DISK_GB: { total: 10 } }, { VCPU: { total: 8 } }]);
}

describe('the list format before 1.12', () => {
  it('keeps only the last entry of a repeated provider', () => {
    const session = twoProviders();
    const put = session.send('PUT', `/allocations/${consumerUuid(4)}`, {
      microversion: '1.0',
      body: { allocations: listAllocations([[2, { VCPU: 1 }], [1, { DISK_GB: 2 }], [2, { VCPU: 3 }]]) },
    });
    expect(put.status).toBe(204);
    expect(consumerAllocations(session, 4, '1.0')).toEqual({
      allocations: { [TWO]: { resources: { VCPU: 3 }, generation: 2 }, [ONE]: { resources: { DISK_GB: 2 }, generation: 2 } },
    });
  });

  it('drops the earlier classes of a replaced entry entirely', () => {
    const session = twoProviders();
    const put = session.send('PUT', `/allocations/${consumerUuid(3)}`, {
      microversion: '1.0',
      body: { allocations: listAllocations([[1, { VCPU: 1 }], [1, { DISK_GB: 2 }]]) },
    });
    expect(put.status).toBe(204);
    expect(consumerAllocations(session, 3, '1.0')).toEqual({ allocations: { [ONE]: { resources: { DISK_GB: 2 }, generation: 2 } } });
  });

  it('refuses project_id and user_id before 1.8 and requires them from 1.8', () => {
    const session = twoProviders();
    const early = session.send('PUT', `/allocations/${consumerUuid(5)}`, {
      microversion: '1.7',
      body: { allocations: listAllocations([[2, { VCPU: 1 }]]), project_id: 'p', user_id: 'u' },
    });
    expect(early.status).toBe(400);
    expect(errorMessage(early)).toMatch(/^JSON does not validate: Additional properties are not allowed \('project_id', 'user_id' were unexpected\)/);
    const missing = session.send('PUT', `/allocations/${consumerUuid(5)}`, { microversion: '1.8', body: { allocations: listAllocations([[2, { VCPU: 1 }]]) } });
    expect(errorMessage(missing)).toMatch(/^JSON does not validate: 'project_id' is a required property/);
    const given = session.send('PUT', `/allocations/${consumerUuid(5)}`, {
      microversion: '1.8',
      body: { allocations: listAllocations([[2, { VCPU: 1 }]]), project_id: 'p', user_id: 'u' },
    });
    expect(given.status).toBe(204);
  });

  it('gives a consumer written before 1.8 the all-zero project and user, even over earlier ones', () => {
    const session = twoProviders();
    expect(putAllocations(session, 7, [[2, { VCPU: 1 }]], { projectId: 'p', userId: 'u' }).status).toBe(204);
    const overwritten = session.send('PUT', `/allocations/${consumerUuid(7)}`, { microversion: '1.7', body: { allocations: listAllocations([[2, { VCPU: 1 }]]) } });
    expect(overwritten.status).toBe(204);
    expect(consumerAllocations(session, 7, '1.12')).toMatchObject({ project_id: ZERO_ID, user_id: ZERO_ID });
  });
});

describe('the dict format from 1.12', () => {
  it('requires at least one provider at 1.12 and allows {} from 1.28', () => {
    const session = twoProviders();
    const early = session.send('PUT', `/allocations/${consumerUuid(6)}`, { microversion: '1.12', body: { allocations: {}, project_id: 'p', user_id: 'u' } });
    expect(early.status).toBe(400);
    expect(errorMessage(early)).toMatch(/^JSON does not validate: \{\} does not have enough properties/);
    const late = session.send('PUT', `/allocations/${consumerUuid(6)}`, {
      microversion: '1.28',
      body: { allocations: {}, project_id: 'p', user_id: 'u', consumer_generation: null },
    });
    expect(late.status).toBe(204);
  });

  it('refuses amounts that are not integers of at least 1', () => {
    const session = twoProviders();
    const zero = putAllocations(session, 6, [[2, { VCPU: 0 }]]);
    expect(zero.status).toBe(400);
    expect(errorMessage(zero)).toMatch(/^JSON does not validate: 0 is less than the minimum of 1/);
    expect(errorMessage(putAllocations(session, 6, [[2, { VCPU: 1.5 }]]))).toMatch(/^JSON does not validate: 1.5 is not of type 'integer'/);
  });

  it('ignores a per-provider generation in the body, even a wrong one', () => {
    const session = twoProviders();
    const exchange = session.send('PUT', `/allocations/${consumerUuid(1)}`, {
      microversion: '1.12',
      body: { allocations: { [ONE]: { resources: { VCPU: 1 }, generation: 999 } }, project_id: 'p', user_id: 'u' },
    });
    expect(exchange.status).toBe(204);
  });

  it('refuses a malformed consumer uuid before reading the body', () => {
    const exchange = twoProviders().send('PUT', '/allocations/not-a-uuid', { microversion: '1.38', body: '{' });
    expect(exchange.status).toBe(400);
    expect(errorMessage(exchange)).toBe('Malformed consumer_uuid: not-a-uuid');
  });

  it('stores a dashless upper-case consumer uuid normalized; DELETE does not normalize', () => {
    const session = twoProviders();
    const raw = 'CCCCCCCC00004000800000000000000A';
    const put = session.send('PUT', `/allocations/${raw}`, {
      microversion: '1.38',
      body: { allocations: { [TWO]: { resources: { VCPU: 1 } } }, project_id: 'p', user_id: 'u', consumer_generation: null, consumer_type: 'MIGRATION' },
    });
    expect(put.status).toBe(204);
    expect(consumerAllocations(session, 10, '1.38')).toMatchObject({ consumer_type: 'MIGRATION' });
    const deleted = session.send('DELETE', `/allocations/${raw}`, { microversion: '1.38' });
    expect(deleted.status).toBe(404);
    expect(errorMessage(deleted)).toBe(`No allocations for consumer '${raw}'`);
  });
});

describe('GET /allocations/{consumer}', () => {
  it('adds project and user from 1.12, the generation from 1.28 and the type from 1.38', () => {
    const session = twoProviders();
    session.send('PUT', `/allocations/${consumerUuid(4)}`, { microversion: '1.0', body: { allocations: listAllocations([[2, { VCPU: 3 }]]) } });
    const allocations = { [TWO]: { resources: { VCPU: 3 }, generation: 2 } };
    expect(consumerAllocations(session, 4, '1.11')).toEqual({ allocations });
    expect(consumerAllocations(session, 4, '1.12')).toEqual({ allocations, project_id: ZERO_ID, user_id: ZERO_ID });
    expect(consumerAllocations(session, 4, '1.28')).toEqual({ allocations, project_id: ZERO_ID, user_id: ZERO_ID, consumer_generation: 1 });
    expect(consumerAllocations(session, 4, '1.38')).toEqual({
      allocations,
      project_id: ZERO_ID,
      user_id: ZERO_ID,
      consumer_generation: 1,
      consumer_type: 'unknown',
    });
  });

  it('answers exactly {"allocations": {}} for an unknown or malformed consumer at every version', () => {
    const session = twoProviders();
    for (const microversion of ['1.0', '1.28', '1.38']) {
      expect(session.send('GET', `/allocations/${consumerUuid(99)}`, { microversion }).body).toBe('{"allocations": {}}');
    }
    expect(session.send('GET', '/allocations/not-a-uuid', { microversion: '1.38' }).status).toBe(200);
  });
});

describe('GET /resource_providers/{uuid}/allocations', () => {
  it('lists consumers with the consumer generation from 1.28', () => {
    const session = twoProviders();
    putAllocations(session, 6, [[2, { VCPU: 1 }]]);
    const path = `/resource_providers/${TWO}/allocations`;
    expect(session.send('GET', path, { microversion: '1.28' }).json).toEqual({
      allocations: { [consumerUuid(6)]: { resources: { VCPU: 1 }, consumer_generation: 1 } },
      resource_provider_generation: 2,
    });
    expect(session.send('GET', path, { microversion: '1.27' }).json).toEqual({
      allocations: { [consumerUuid(6)]: { resources: { VCPU: 1 } } },
      resource_provider_generation: 2,
    });
  });

  it('answers 404 for a missing provider with the wrapped text', () => {
    const missing = providerUuid(9);
    const exchange = twoProviders().send('GET', `/resource_providers/${missing}/allocations`);
    expect(exchange.status).toBe(404);
    expect(errorMessage(exchange)).toBe(`Resource provider '${missing}' not found: No resource provider with uuid ${missing} found`);
  });
});
