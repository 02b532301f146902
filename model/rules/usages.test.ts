/**
 * Usages: per provider (one key per class with inventory) and per project
 * (GET /usages from 1.9, grouped by consumer type from 1.38). Expected
 * values were read from the real 8.0.0 service. Key order in these
 * documents follows the database's GROUP BY, so the tests compare parsed
 * JSON, not bytes.
 */
import { describe, expect, it } from 'vitest';
import { listAllocations, putAllocations, sessionWithInventories, usages } from '../testing/allocationFixtures.ts';
import { consumerUuid, errorMessage, providerUuid } from '../testing/modelSession.ts';

const ZERO_ID = '00000000-0000-0000-0000-000000000000';

/**
 * Consumers: 1 (p/u, INSTANCE, DISK_GB 1), 2 (p/u2, type unknown, VCPU 1),
 * 3 (zero project, written at 1.0: VCPU 3 and DISK_GB 2).
 */
function populated(): ReturnType<typeof sessionWithInventories> {
  const session = sessionWithInventories([{ VCPU: { total: 8 }, DISK_GB: { total: 10 } }, { VCPU: { total: 8 } }]);
  expect(putAllocations(session, 1, [[1, { DISK_GB: 1 }]]).status).toBe(204);
  expect(putAllocations(session, 2, [[2, { VCPU: 1 }]], { userId: 'u2' }, '1.37').status).toBe(204);
  const listed = session.send('PUT', `/allocations/${consumerUuid(3)}`, {
    microversion: '1.0',
    body: { allocations: listAllocations([[2, { VCPU: 3 }], [1, { DISK_GB: 2 }]]) },
  });
  expect(listed.status).toBe(204);
  return session;
}

function totals(session: ReturnType<typeof populated>, query: string, microversion: string): unknown {
  const exchange = session.send('GET', `/usages?${query}`, { microversion });
  expect(exchange.status).toBe(200);
  return exchange.json;
}

describe('GET /resource_providers/{uuid}/usages', () => {
  it('has one key per class with inventory, 0 when unused', () => {
    const session = sessionWithInventories([{ VCPU: { total: 8 }, DISK_GB: { total: 10 }, MEMORY_MB: { total: 64 } }]);
    putAllocations(session, 1, [[1, { VCPU: 2 }]]);
    putAllocations(session, 2, [[1, { VCPU: 3 }]]);
    expect(usages(session, 1)).toEqual({ VCPU: 5, DISK_GB: 0, MEMORY_MB: 0 });
  });

  it('answers {} for a provider without inventory and 404 with the doubled text for a missing one', () => {
    const session = sessionWithInventories([{}]);
    expect(usages(session, 1)).toEqual({});
    const missing = providerUuid(9);
    const exchange = session.send('GET', `/resource_providers/${missing}/usages`);
    expect(exchange.status).toBe(404);
    expect(errorMessage(exchange)).toBe(`No resource provider with uuid ${missing} found: No resource provider with uuid ${missing} found`);
  });

  it('reports usage above a shrunk capacity as it is', () => {
    const session = sessionWithInventories([{ VCPU: { total: 4 } }]);
    putAllocations(session, 1, [[1, { VCPU: 4 }]]);
    session.send('PUT', `/resource_providers/${providerUuid(1)}/inventories`, {
      microversion: '1.39',
      body: { resource_provider_generation: 2, inventories: { VCPU: { total: 1 } } },
    });
    expect(usages(session, 1)).toEqual({ VCPU: 4 });
  });
});

describe('GET /usages before 1.38', () => {
  it('sums a project\'s allocations per class, optionally for one user', () => {
    const session = populated();
    expect(totals(session, 'project_id=p', '1.9')).toEqual({ usages: { VCPU: 1, DISK_GB: 1 } });
    expect(totals(session, 'project_id=p&user_id=u', '1.9')).toEqual({ usages: { DISK_GB: 1 } });
    expect(totals(session, `project_id=${ZERO_ID}`, '1.9')).toEqual({ usages: { VCPU: 3, DISK_GB: 2 } });
    expect(totals(session, 'project_id=nobody', '1.9')).toEqual({ usages: {} });
  });

  it('requires project_id, refuses empty values and unknown parameters', () => {
    const session = populated();
    const missing = session.send('GET', '/usages', { microversion: '1.38' });
    expect(missing.status).toBe(400);
    expect(errorMessage(missing)).toMatch(/^Invalid query string parameters: 'project_id' is a required property/);
    expect(errorMessage(session.send('GET', '/usages?project_id=', { microversion: '1.9' }))).toMatch(/^Invalid query string parameters: '' is too short/);
    expect(errorMessage(session.send('GET', '/usages?project_id=p&user_id=', { microversion: '1.9' }))).toMatch(
      /^Invalid query string parameters: '' is too short/,
    );
    expect(errorMessage(session.send('GET', '/usages?project_id=p&consumer_type=X', { microversion: '1.37' }))).toMatch(
      /^Invalid query string parameters: Additional properties are not allowed \('consumer_type' was unexpected\)/,
    );
  });
});

describe('GET /usages from 1.38, grouped by consumer type', () => {
  it('groups by type, "unknown" for consumers without one, with distinct consumer counts', () => {
    const session = populated();
    expect(totals(session, 'project_id=p', '1.38')).toEqual({
      usages: { INSTANCE: { DISK_GB: 1, consumer_count: 1 }, unknown: { VCPU: 1, consumer_count: 1 } },
    });
    // One consumer with two classes counts once.
    expect(totals(session, `project_id=${ZERO_ID}`, '1.38')).toEqual({ usages: { unknown: { VCPU: 3, DISK_GB: 2, consumer_count: 1 } } });
  });

  it('puts everything in one "all" group with consumer_type=all', () => {
    expect(totals(populated(), 'project_id=p&consumer_type=all', '1.38')).toEqual({ usages: { all: { VCPU: 1, DISK_GB: 1, consumer_count: 2 } } });
  });

  it('keeps only typeless consumers with consumer_type=unknown', () => {
    const session = populated();
    expect(totals(session, 'project_id=p&consumer_type=unknown', '1.38')).toEqual({ usages: { unknown: { VCPU: 1, consumer_count: 1 } } });
    expect(totals(session, `project_id=${ZERO_ID}&consumer_type=unknown`, '1.38')).toEqual({
      usages: { unknown: { VCPU: 3, DISK_GB: 2, consumer_count: 1 } },
    });
  });

  it('filters by a type name; ALL and UNKNOWN are ordinary names', () => {
    const session = populated();
    expect(totals(session, 'project_id=p&consumer_type=INSTANCE', '1.38')).toEqual({ usages: { INSTANCE: { DISK_GB: 1, consumer_count: 1 } } });
    expect(totals(session, 'project_id=p&consumer_type=NOPE', '1.38')).toEqual({ usages: {} });
    expect(totals(session, 'project_id=p&consumer_type=ALL', '1.38')).toEqual({ usages: {} });
    expect(totals(session, 'project_id=p&consumer_type=UNKNOWN', '1.38')).toEqual({ usages: {} });
  });

  it('refuses a type outside the pattern', () => {
    const exchange = populated().send('GET', '/usages?project_id=p&consumer_type=lower', { microversion: '1.38' });
    expect(exchange.status).toBe(400);
    expect(errorMessage(exchange)).toMatch(/^Invalid query string parameters: 'lower' does not match '\^\[A-Z0-9_\]\+\$\|\^all\|\^unknown\$'/);
  });

  it('answers an empty "all" query with {} rather than a zero group', () => {
    expect(totals(populated(), 'project_id=nobody&consumer_type=all', '1.38')).toEqual({ usages: {} });
  });
});
