/**
 * Resource classes: the custom-class lifecycle, PUT as rename before 1.7
 * and as create-or-keep from 1.7. Expected texts were read from the real
 * 8.0.0 service.
 */
import { describe, expect, it } from 'vitest';
import { ModelSession, errorMessage, providerUuid } from '../testing/modelSession.ts';

const PATTERN_FAILURE = /^JSON does not validate: '(\w+)' does not match '\^CUSTOM_\[A-Z0-9_\]\+\$'/;

describe('resource classes', () => {
  it('exists from 1.2 only', () => {
    const session = new ModelSession();
    expect(session.send('GET', '/resource_classes', { microversion: '1.1' }).status).toBe(404);
    expect(session.send('GET', '/resource_classes/VCPU', { microversion: '1.2' }).json).toEqual({
      name: 'VCPU',
      links: [{ rel: 'self', href: '/resource_classes/VCPU' }],
    });
  });

  it('creates a custom class with POST (201, Location) and refuses a duplicate (409)', () => {
    const session = new ModelSession();
    const created = session.send('POST', '/resource_classes', { microversion: '1.2', body: { name: 'CUSTOM_X' } });
    expect(created.status).toBe(201);
    expect(created.headers['location']).toBe('http://localhost/resource_classes/CUSTOM_X');
    const duplicate = session.send('POST', '/resource_classes', { microversion: '1.2', body: { name: 'CUSTOM_X' } });
    expect(duplicate.status).toBe(409);
    expect(errorMessage(duplicate)).toBe('Conflicting resource class already exists: CUSTOM_X');
  });

  it('refuses names without the CUSTOM_ prefix by schema, standard ones included', () => {
    const session = new ModelSession();
    for (const name of ['VCPU', 'X']) {
      const exchange = session.send('POST', '/resource_classes', { microversion: '1.2', body: { name } });
      expect(exchange.status).toBe(400);
      expect(errorMessage(exchange)).toMatch(PATTERN_FAILURE);
    }
    expect(errorMessage(session.send('PUT', '/resource_classes/VCPU', { microversion: '1.7' }))).toMatch(PATTERN_FAILURE);
  });

  it('creates with PUT from 1.7 (201), then keeps (204)', () => {
    const session = new ModelSession();
    expect(session.send('PUT', '/resource_classes/CUSTOM_Y', { microversion: '1.7' }).status).toBe(201);
    expect(session.send('PUT', '/resource_classes/CUSTOM_Y', { microversion: '1.7' }).status).toBe(204);
  });

  it('renames with PUT before 1.7, refusing standard classes and taken names', () => {
    const session = new ModelSession();
    session.send('POST', '/resource_classes', { microversion: '1.2', body: { name: 'CUSTOM_X' } });
    session.send('POST', '/resource_classes', { microversion: '1.2', body: { name: 'CUSTOM_Y' } });
    const renamed = session.send('PUT', '/resource_classes/CUSTOM_Y', { microversion: '1.6', body: { name: 'CUSTOM_Z' } });
    expect(renamed.status).toBe(200);
    expect(renamed.json).toEqual({ name: 'CUSTOM_Z', links: [{ rel: 'self', href: '/resource_classes/CUSTOM_Z' }] });
    expect(session.send('GET', '/resource_classes/CUSTOM_Y', { microversion: '1.2' }).status).toBe(404);
    expect(errorMessage(session.send('PUT', '/resource_classes/VCPU', { microversion: '1.6', body: { name: 'CUSTOM_Q' } }))).toBe(
      'Cannot update standard resource class VCPU',
    );
    const taken = session.send('PUT', '/resource_classes/CUSTOM_Z', { microversion: '1.6', body: { name: 'CUSTOM_X' } });
    expect(taken.status).toBe(409);
    expect(errorMessage(taken)).toBe('Resource class already exists: CUSTOM_X');
  });

  it('deletes an unused custom class; refuses standard (400), in use (409), unknown (404)', () => {
    const session = new ModelSession();
    const provider = providerUuid(1);
    session.send('POST', '/resource_providers', { microversion: '1.39', body: { name: 'one', uuid: provider } });
    session.send('POST', '/resource_classes', { microversion: '1.2', body: { name: 'CUSTOM_X' } });
    session.send('POST', '/resource_classes', { microversion: '1.2', body: { name: 'CUSTOM_Z' } });
    session.send('POST', `/resource_providers/${provider}/inventories`, { microversion: '1.26', body: { resource_class: 'CUSTOM_X', total: 2 } });
    const inUse = session.send('DELETE', '/resource_classes/CUSTOM_X', { microversion: '1.2' });
    expect(inUse.status).toBe(409);
    expect(errorMessage(inUse)).toBe('Error in delete resource class: Cannot delete resource class CUSTOM_X. Class is in use in inventory.');
    const standard = session.send('DELETE', '/resource_classes/VCPU', { microversion: '1.2' });
    expect(standard.status).toBe(400);
    expect(errorMessage(standard)).toBe('Error in delete resource class: Cannot delete standard resource class VCPU.');
    expect(errorMessage(session.send('DELETE', '/resource_classes/CUSTOM_NOPE', { microversion: '1.2' }))).toBe('No such resource class CUSTOM_NOPE.');
    expect(session.send('DELETE', '/resource_classes/CUSTOM_Z', { microversion: '1.2' }).status).toBe(204);
    expect(session.send('GET', '/resource_classes/CUSTOM_Z', { microversion: '1.2' }).status).toBe(404);
  });

  it('lists standard classes in id order, then custom ones', () => {
    const session = new ModelSession();
    session.send('PUT', '/resource_classes/CUSTOM_B', { microversion: '1.7' });
    session.send('PUT', '/resource_classes/CUSTOM_A', { microversion: '1.7' });
    const names = (session.send('GET', '/resource_classes', { microversion: '1.2' }).json as { resource_classes: { name: string }[] }).resource_classes.map(
      (entry) => entry.name,
    );
    expect(names.slice(0, 3)).toEqual(['VCPU', 'MEMORY_MB', 'DISK_GB']);
    expect(names.slice(-2)).toEqual(['CUSTOM_B', 'CUSTOM_A']);
  });

  it('lets a class created later be allocated against', () => {
    const session = new ModelSession();
    const provider = providerUuid(1);
    session.send('POST', '/resource_providers', { microversion: '1.39', body: { name: 'one', uuid: provider } });
    const before = session.send('POST', `/resource_providers/${provider}/inventories`, { microversion: '1.26', body: { resource_class: 'CUSTOM_GPU', total: 2 } });
    expect(before.status).toBe(400);
    session.send('PUT', '/resource_classes/CUSTOM_GPU', { microversion: '1.7' });
    expect(session.send('POST', `/resource_providers/${provider}/inventories`, { microversion: '1.26', body: { resource_class: 'CUSTOM_GPU', total: 2 } }).status).toBe(201);
  });
});
