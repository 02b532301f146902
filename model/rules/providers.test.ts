/**
 * Resource providers: creation, duplicates, parents, re-parenting (1.37)
 * and deletion. Expected texts were read from the real 8.0.0 service.
 */
import { describe, expect, it } from 'vitest';
import { ModelSession, consumerUuid, errorEntry, errorMessage, providerUuid } from '../testing/modelSession.ts';

const ONE = providerUuid(1);
const TWO = providerUuid(2);
const THREE = providerUuid(3);
const MISSING = providerUuid(9);

function create(session: ModelSession, uuid: string, name: string, microversion = '1.39', parent?: string): ReturnType<ModelSession['send']> {
  const body = parent === undefined ? { name, uuid } : { name, uuid, parent_provider_uuid: parent };
  return session.send('POST', '/resource_providers', { microversion, body });
}

function show(session: ModelSession, uuid: string, microversion = '1.39'): Record<string, unknown> {
  return session.send('GET', `/resource_providers/${uuid}`, { microversion }).json as Record<string, unknown>;
}

describe('creating providers', () => {
  it('answers 201 with no body and a Location header below 1.20', () => {
    const exchange = create(new ModelSession(), ONE, 'one', '1.19');
    expect(exchange.status).toBe(201);
    expect(exchange.body).toBe('');
    expect(exchange.headers['location']).toBe(`http://localhost/resource_providers/${ONE}`);
  });

  it('answers 200 with the provider from 1.20', () => {
    const exchange = create(new ModelSession(), ONE, 'one', '1.20');
    expect(exchange.status).toBe(200);
    expect(exchange.json).toMatchObject({ uuid: ONE, name: 'one', generation: 0, parent_provider_uuid: null, root_provider_uuid: ONE });
  });

  it('normalizes the uuid and invents one when none is given', () => {
    const session = new ModelSession();
    const upper = create(session, ONE.toUpperCase(), 'one', '1.20');
    expect((upper.json as { uuid: string }).uuid).toBe(ONE);
    const invented = session.send('POST', '/resource_providers', { microversion: '1.20', body: { name: 'two' } });
    expect(invented.status).toBe(200);
    expect((invented.json as { uuid: string }).uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('refuses a duplicate name or uuid with 409 placement.duplicate_name', () => {
    const session = new ModelSession();
    create(session, ONE, 'one');
    const sameName = create(session, TWO, 'one');
    expect(sameName.status).toBe(409);
    expect(errorMessage(sameName)).toBe('Conflicting resource provider name: one already exists.');
    expect(errorEntry(sameName).code).toBe('placement.duplicate_name');
    const sameUuid = create(session, ONE, 'other');
    expect(errorMessage(sameUuid)).toBe(`Conflicting resource provider uuid: ${ONE} already exists.`);
    // An upper-case spelling of an existing uuid is the same provider.
    expect(create(session, ONE.toUpperCase(), 'other').status).toBe(409);
  });

  it('refuses an empty name (400) and a name over 200 characters (schema)', () => {
    const session = new ModelSession();
    const empty = create(session, ONE, '');
    expect(empty.status).toBe(400);
    expect(errorMessage(empty)).toBe(`Unable to create resource provider "", ${ONE}: Object action create failed because: name is required`);
    const long = create(session, ONE, 'x'.repeat(201));
    expect(long.status).toBe(400);
    expect(errorMessage(long)).toMatch(/^JSON does not validate: 'x{201}' is too long/);
  });

  it('accepts parent_provider_uuid from 1.14 only', () => {
    const session = new ModelSession();
    create(session, ONE, 'one');
    const early = create(session, TWO, 'two', '1.13', ONE);
    expect(early.status).toBe(400);
    expect(errorMessage(early)).toMatch(/^JSON does not validate: Additional properties are not allowed \('parent_provider_uuid' was unexpected\)/);
    expect(create(session, TWO, 'two', '1.14', ONE).status).toBe(201);
    expect(show(session, TWO)).toMatchObject({ parent_provider_uuid: ONE, root_provider_uuid: ONE });
  });

  it('takes the root of the parent as its root', () => {
    const session = new ModelSession();
    create(session, ONE, 'one');
    create(session, TWO, 'two', '1.39', ONE);
    create(session, THREE, 'three', '1.39', TWO);
    expect(show(session, THREE)).toMatchObject({ parent_provider_uuid: TWO, root_provider_uuid: ONE });
  });

  it('refuses a missing parent and a parent equal to itself (400)', () => {
    const session = new ModelSession();
    const missing = create(session, TWO, 'two', '1.14', MISSING);
    expect(missing.status).toBe(400);
    expect(errorMessage(missing)).toBe(
      `Unable to create resource provider "two", ${TWO}: Object action create failed because: parent provider UUID does not exist.`,
    );
    const self = create(session, TWO, 'two', '1.14', TWO);
    expect(errorMessage(self)).toBe(
      `Unable to create resource provider "two", ${TWO}: Object action create failed because: parent provider UUID cannot be same as UUID. Please set parent provider UUID to None if there is no parent.`,
    );
  });

  it('hides parent and root before 1.14', () => {
    const session = new ModelSession();
    create(session, ONE, 'one');
    expect(Object.keys(show(session, ONE, '1.13'))).toEqual(['uuid', 'name', 'generation', 'links']);
  });
});

describe('updating providers', () => {
  function tree(): ModelSession {
    const session = new ModelSession();
    create(session, ONE, 'one');
    create(session, TWO, 'two');
    create(session, THREE, 'three', '1.39', ONE);
    return session;
  }

  it('refuses re-parenting and un-parenting below 1.37', () => {
    const session = tree();
    const reparent = session.send('PUT', `/resource_providers/${THREE}`, { microversion: '1.36', body: { name: 'three', parent_provider_uuid: TWO } });
    expect(reparent.status).toBe(400);
    expect(errorMessage(reparent)).toBe(
      `Unable to save resource provider ${THREE}: Object action update failed because: re-parenting a provider is not currently allowed.`,
    );
    const unparent = session.send('PUT', `/resource_providers/${THREE}`, { microversion: '1.36', body: { name: 'three', parent_provider_uuid: null } });
    expect(errorMessage(unparent)).toBe(
      `Unable to save resource provider ${THREE}: Object action update failed because: un-parenting a provider is not currently allowed.`,
    );
  });

  it('allows giving a parent to a root provider before 1.37', () => {
    const session = tree();
    const adopted = session.send('PUT', `/resource_providers/${TWO}`, { microversion: '1.14', body: { name: 'two', parent_provider_uuid: ONE } });
    expect(adopted.status).toBe(200);
    expect(adopted.json).toMatchObject({ parent_provider_uuid: ONE, root_provider_uuid: ONE });
  });

  it('re-parents from 1.37 and moves the whole subtree to the new root', () => {
    const session = tree();
    create(session, providerUuid(4), 'four', '1.39', THREE);
    const moved = session.send('PUT', `/resource_providers/${THREE}`, { microversion: '1.37', body: { name: 'three', parent_provider_uuid: TWO } });
    expect(moved.status).toBe(200);
    expect(show(session, THREE)).toMatchObject({ parent_provider_uuid: TWO, root_provider_uuid: TWO });
    expect(show(session, providerUuid(4))).toMatchObject({ parent_provider_uuid: THREE, root_provider_uuid: TWO });
    const unparented = session.send('PUT', `/resource_providers/${THREE}`, { microversion: '1.37', body: { name: 'three', parent_provider_uuid: null } });
    expect(unparented.status).toBe(200);
    expect(show(session, providerUuid(4))).toMatchObject({ root_provider_uuid: THREE });
  });

  it('refuses loops, including a provider as its own parent', () => {
    const session = tree();
    const loop = session.send('PUT', `/resource_providers/${ONE}`, { microversion: '1.37', body: { name: 'one', parent_provider_uuid: THREE } });
    expect(loop.status).toBe(400);
    expect(errorMessage(loop)).toBe(`Unable to save resource provider ${ONE}: Object action update failed because: creating loop in the provider tree is not allowed.`);
    const self = session.send('PUT', `/resource_providers/${ONE}`, { microversion: '1.37', body: { name: 'one', parent_provider_uuid: ONE } });
    expect(errorMessage(self)).toBe(`Unable to save resource provider ${ONE}: Object action update failed because: creating loop in the provider tree is not allowed.`);
  });

  it('refuses a missing parent with the "create" action text', () => {
    const session = tree();
    const exchange = session.send('PUT', `/resource_providers/${THREE}`, { microversion: '1.14', body: { name: 'three', parent_provider_uuid: MISSING } });
    expect(exchange.status).toBe(400);
    expect(errorMessage(exchange)).toBe(`Unable to save resource provider ${THREE}: Object action create failed because: parent provider UUID does not exist.`);
  });

  it('renames without touching the generation; a taken name is 409', () => {
    const session = tree();
    const taken = session.send('PUT', `/resource_providers/${TWO}`, { microversion: '1.37', body: { name: 'one' } });
    expect(taken.status).toBe(409);
    expect(errorMessage(taken)).toBe('Conflicting resource provider one already exists.');
    expect(errorEntry(taken).code).toBe('placement.duplicate_name');
    const renamed = session.send('PUT', `/resource_providers/${TWO}`, { microversion: '1.37', body: { name: 'deux' } });
    expect(renamed.json).toMatchObject({ name: 'deux', generation: 0 });
  });

  it('answers 404 for a missing provider', () => {
    const exchange = new ModelSession().send('PUT', `/resource_providers/${MISSING}`, { microversion: '1.37', body: { name: 'x' } });
    expect(exchange.status).toBe(404);
    expect(errorMessage(exchange)).toBe(`No resource provider with uuid ${MISSING} found`);
  });
});

describe('deleting providers', () => {
  it('refuses a provider with children (409 cannot_delete_parent)', () => {
    const session = new ModelSession();
    create(session, ONE, 'one');
    create(session, TWO, 'two', '1.39', ONE);
    const exchange = session.send('DELETE', `/resource_providers/${ONE}`, { microversion: '1.37' });
    expect(exchange.status).toBe(409);
    expect(errorMessage(exchange)).toBe(`Unable to delete parent resource provider ${ONE}: It has child resource providers.`);
    expect(errorEntry(exchange).code).toBe('placement.resource_provider.cannot_delete_parent');
  });

  it('refuses a provider with allocations (409 resource_provider.inuse)', () => {
    const session = new ModelSession();
    create(session, ONE, 'one');
    session.send('POST', `/resource_providers/${ONE}/inventories`, { microversion: '1.39', body: { resource_class: 'VCPU', total: 2 } });
    session.send('PUT', `/allocations/${consumerUuid(1)}`, {
      microversion: '1.39',
      body: { allocations: { [ONE]: { resources: { VCPU: 1 } } }, project_id: 'p', user_id: 'u', consumer_generation: null, consumer_type: 'INSTANCE' },
    });
    const exchange = session.send('DELETE', `/resource_providers/${ONE}`, { microversion: '1.37' });
    expect(exchange.status).toBe(409);
    expect(errorMessage(exchange)).toBe(`Unable to delete resource provider ${ONE}: Resource provider has allocations.`);
    expect(errorEntry(exchange).code).toBe('placement.resource_provider.inuse');
  });

  it('deletes a provider with inventory but no allocations, and 404s after', () => {
    const session = new ModelSession();
    create(session, ONE, 'one');
    session.send('POST', `/resource_providers/${ONE}/inventories`, { microversion: '1.39', body: { resource_class: 'VCPU', total: 2 } });
    expect(session.send('DELETE', `/resource_providers/${ONE}`).status).toBe(204);
    const again = session.send('DELETE', `/resource_providers/${ONE}`, { microversion: '1.37' });
    expect(again.status).toBe(404);
    expect(errorMessage(again)).toBe(`No resource provider with uuid ${ONE} found for delete`);
    // The name is free again.
    expect(create(session, TWO, 'one').status).toBe(200);
  });
});
