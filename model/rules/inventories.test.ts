/**
 * Inventories: defaults, schema bounds, the capacity rule that changed at
 * 1.26 (with int() truncation), generation checks, the in-use rules and the
 * generation bump of every successful write. Expected texts were read from
 * the real 8.0.0 service.
 */
import { describe, expect, it } from 'vitest';
import { ModelSession, consumerUuid, errorEntry, errorMessage, providerUuid, type Exchange } from '../testing/modelSession.ts';

const ONE = providerUuid(1);
const MISSING = providerUuid(9);
const inventoriesPath = `/resource_providers/${ONE}/inventories`;

function withProvider(): ModelSession {
  const session = new ModelSession();
  session.send('POST', '/resource_providers', { microversion: '1.39', body: { name: 'one', uuid: ONE } });
  return session;
}

function post(session: ModelSession, microversion: string, body: Record<string, unknown>): Exchange {
  return session.send('POST', inventoriesPath, { microversion, body });
}

function putAll(session: ModelSession, generation: number, inventories: Record<string, unknown>, microversion = '1.39'): Exchange {
  return session.send('PUT', inventoriesPath, { microversion, body: { resource_provider_generation: generation, inventories } });
}

function generationOf(session: ModelSession): number {
  return (session.send('GET', `/resource_providers/${ONE}`).json as { generation: number }).generation;
}

function allocate(session: ModelSession, consumer: number, resources: Record<string, number>): Exchange {
  return session.send('PUT', `/allocations/${consumerUuid(consumer)}`, {
    microversion: '1.39',
    body: { allocations: { [ONE]: { resources } }, project_id: 'p', user_id: 'u', consumer_generation: null, consumer_type: 'INSTANCE' },
  });
}

describe('inventory defaults and bounds', () => {
  it('fills reserved 0, min_unit 1, max_unit MAX_INT, step_size 1, ratio 1.0', () => {
    const session = withProvider();
    const created = post(session, '1.39', { resource_class: 'VCPU', total: 4 });
    expect(created.status).toBe(201);
    expect(created.headers['location']).toBe(`http://localhost${inventoriesPath}/VCPU`);
    expect(created.body).toBe(
      '{"total": 4, "reserved": 0, "min_unit": 1, "max_unit": 2147483647, "step_size": 1, "allocation_ratio": 1.0, "resource_provider_generation": 1}',
    );
  });

  it('ignores a generation given to POST', () => {
    const session = withProvider();
    expect(post(session, '1.39', { resource_class: 'VCPU', total: 4, resource_provider_generation: 99 }).status).toBe(201);
  });

  it.each([
    [{ total: 0 }, 'JSON does not validate: 0 is less than the minimum of 1'],
    [{ total: 2147483648 }, 'JSON does not validate: 2147483648 is greater than the maximum of 2147483647'],
    [{ total: 4, reserved: -1 }, 'JSON does not validate: -1 is less than the minimum of 0'],
    [{ total: 4, step_size: 0 }, 'JSON does not validate: 0 is less than the minimum of 1'],
    [{ total: 4, allocation_ratio: 3.5e38 }, 'JSON does not validate: 3.5e+38 is greater than the maximum of 3.40282e+38'],
  ])('refuses out-of-bounds fields with a schema 400: %o', (fields, prefix) => {
    const exchange = post(withProvider(), '1.39', { resource_class: 'VCPU', ...fields });
    expect(exchange.status).toBe(400);
    expect(errorMessage(exchange).startsWith(prefix)).toBe(true);
  });

  it('accepts min_unit above max_unit (no cross-field check)', () => {
    const exchange = post(withProvider(), '1.39', { resource_class: 'VCPU', total: 8, min_unit: 3, max_unit: 2 });
    expect(exchange.status).toBe(201);
  });

  it('accepts the extreme values total = reserved = MAX_INT with ratio 3.40282e38 at 1.26+', () => {
    const exchange = putAll(withProvider(), 0, { VCPU: { total: 2147483647, reserved: 2147483647, allocation_ratio: 3.40282e38 } });
    expect(exchange.status).toBe(200);
    expect(exchange.body).toContain('"allocation_ratio": 3.40282e+38');
  });

  it('refuses a class name outside ^[A-Z0-9_]+$ by schema, an unknown one with 400', () => {
    const session = withProvider();
    expect(errorMessage(post(session, '1.39', { resource_class: 'lower', total: 1 }))).toMatch(
      /^JSON does not validate: 'lower' does not match '\^\[A-Z0-9_\]\+\$'/,
    );
    const unknown = post(session, '1.39', { resource_class: 'CUSTOM_NOPE', total: 1 });
    expect(unknown.status).toBe(400);
    expect(errorMessage(unknown)).toBe(`Unable to create inventory for resource provider ${ONE}: No such resource class CUSTOM_NOPE.`);
  });

  it('answers a duplicate class on POST with 409 placement.concurrent_update', () => {
    const session = withProvider();
    post(session, '1.39', { resource_class: 'VCPU', total: 4 });
    const duplicate = post(session, '1.39', { resource_class: 'VCPU', total: 4 });
    expect(duplicate.status).toBe(409);
    // The real text is the database driver's; only its start is stable.
    expect(errorMessage(duplicate).startsWith('Update conflict: ')).toBe(true);
    expect(errorEntry(duplicate).code).toBe('placement.concurrent_update');
  });

  it('answers 404 for a missing provider', () => {
    const exchange = new ModelSession().send('POST', `/resource_providers/${MISSING}/inventories`, {
      microversion: '1.39',
      body: { resource_class: 'VCPU', total: 1 },
    });
    expect(exchange.status).toBe(404);
    expect(errorMessage(exchange)).toBe(`No resource provider with uuid ${MISSING} found`);
  });
});

describe('the capacity rule, int((total - reserved) * ratio)', () => {
  const below = (resourceClass: string): string =>
    `Unable to create inventory for resource provider ${ONE}: Invalid inventory for '${resourceClass}' on resource provider '${ONE}'. The reserved value is greater than or equal to total.`;

  it('refuses capacity 0 below 1.26 (reserved equal to total)', () => {
    const exchange = post(withProvider(), '1.25', { resource_class: 'VCPU', total: 2, reserved: 2 });
    expect(exchange.status).toBe(400);
    expect(errorMessage(exchange)).toBe(below('VCPU'));
  });

  it('accepts capacity 0 from 1.26', () => {
    expect(post(withProvider(), '1.26', { resource_class: 'VCPU', total: 2, reserved: 2 }).status).toBe(201);
  });

  it('truncates: total 1 with ratio 0.5 has capacity int(0.5) = 0', () => {
    expect(errorMessage(post(withProvider(), '1.25', { resource_class: 'DISK_GB', total: 1, allocation_ratio: 0.5 }))).toBe(below('DISK_GB'));
    expect(post(withProvider(), '1.26', { resource_class: 'DISK_GB', total: 1, allocation_ratio: 0.5 }).status).toBe(201);
  });

  it('refuses a negative capacity from 1.26 with the "greater than total" text', () => {
    const exchange = post(withProvider(), '1.26', { resource_class: 'MEMORY_MB', total: 1, allocation_ratio: -1 });
    expect(exchange.status).toBe(400);
    expect(errorMessage(exchange)).toBe(
      `Unable to create inventory for resource provider ${ONE}: Invalid inventory for 'MEMORY_MB' on resource provider '${ONE}'. The reserved value is greater than total.`,
    );
  });

  it('applies the same rule to PUT-all and PUT-one with the "update" prefix', () => {
    const session = withProvider();
    const all = putAll(session, 0, { VCPU: { total: 1, reserved: 2 } });
    expect(errorMessage(all)).toBe(
      `Unable to update inventory for resource provider ${ONE}: Invalid inventory for 'VCPU' on resource provider '${ONE}'. The reserved value is greater than total.`,
    );
    putAll(session, 0, { VCPU: { total: 4 } });
    const one = session.send('PUT', `${inventoriesPath}/VCPU`, { microversion: '1.25', body: { total: 4, reserved: 4, resource_provider_generation: 1 } });
    expect(errorMessage(one)).toBe(
      `Unable to update inventory for resource provider ${ONE}: Invalid inventory for 'VCPU' on resource provider '${ONE}'. The reserved value is greater than or equal to total.`,
    );
  });

  // The real service's int() raises on NaN and infinities and it answers
  // 500 "cannot convert float NaN to integer" (named finding
  // non-finite-allocation-ratio-crashes). The model states the intended
  // behaviour: such an inventory has no capacity and is refused, nothing stored.
  it.each(['NaN', '-Infinity'])('refuses allocation_ratio %s with the capacity 400 and stores nothing', (ratio) => {
    const session = withProvider();
    const exchange = session.send('POST', inventoriesPath, {
      microversion: '1.26',
      body: `{"resource_class": "VCPU", "total": 2, "allocation_ratio": ${ratio}}`,
    });
    expect(exchange.status).toBe(400);
    expect(errorMessage(exchange)).toBe(
      `Unable to create inventory for resource provider ${ONE}: Invalid inventory for 'VCPU' on resource provider '${ONE}'. The reserved value is greater than total.`,
    );
    expect(generationOf(session)).toBe(0);
  });
});

describe('inventory writes and the provider generation', () => {
  it('PUT-all checks the generation (409 concurrent_update) and always adds 1, even for identical content', () => {
    const session = withProvider();
    const stale = putAll(session, 5, { VCPU: { total: 4 } });
    expect(stale.status).toBe(409);
    expect(errorMessage(stale)).toBe('resource provider generation conflict');
    expect(errorEntry(stale).code).toBe('placement.concurrent_update');
    expect((putAll(session, 0, { VCPU: { total: 4 } }).json as { resource_provider_generation: number }).resource_provider_generation).toBe(1);
    expect((putAll(session, 1, { VCPU: { total: 4 } }).json as { resource_provider_generation: number }).resource_provider_generation).toBe(2);
    expect((putAll(session, 2, {}).json as { resource_provider_generation: number }).resource_provider_generation).toBe(3);
  });

  it('PUT-all requires the generation by schema', () => {
    const exchange = withProvider().send('PUT', inventoriesPath, { microversion: '1.39', body: { inventories: {} } });
    expect(exchange.status).toBe(400);
    expect(errorMessage(exchange)).toMatch(/^JSON does not validate: 'resource_provider_generation' is a required property/);
  });

  it('PUT-one checks the generation, needs an existing row (400) and a known class (404)', () => {
    const session = withProvider();
    putAll(session, 0, { VCPU: { total: 4 } });
    const stale = session.send('PUT', `${inventoriesPath}/VCPU`, { microversion: '1.39', body: { total: 8, resource_provider_generation: 0 } });
    expect(stale.status).toBe(409);
    const updated = session.send('PUT', `${inventoriesPath}/VCPU`, { microversion: '1.39', body: { total: 8, resource_provider_generation: 1 } });
    expect(updated.status).toBe(200);
    expect(updated.json).toMatchObject({ total: 8, resource_provider_generation: 2 });
    const absent = session.send('PUT', `${inventoriesPath}/PCI_DEVICE`, { microversion: '1.39', body: { total: 4, resource_provider_generation: 2 } });
    expect(absent.status).toBe(400);
    expect(errorMessage(absent)).toBe(`No inventory record with resource class for resource provider ${ONE}: No inventory of class PCI_DEVICE found.`);
    const unknown = session.send('PUT', `${inventoriesPath}/CUSTOM_NOPE`, { microversion: '1.39', body: { total: 4, resource_provider_generation: 2 } });
    expect(unknown.status).toBe(404);
    expect(errorMessage(unknown)).toBe('No such resource class CUSTOM_NOPE.');
  });

  it('PUT-all refuses an unknown class with 400', () => {
    const exchange = putAll(withProvider(), 0, { CUSTOM_NOPE: { total: 1 } });
    expect(exchange.status).toBe(400);
    expect(errorMessage(exchange)).toBe(`Unknown resource class in inventory for resource provider ${ONE}: No such resource class CUSTOM_NOPE.`);
  });

  it('DELETE-all adds 1 even when already empty; DELETE-one adds 1', () => {
    const session = withProvider();
    putAll(session, 0, { VCPU: { total: 4 }, DISK_GB: { total: 4 } });
    expect(session.send('DELETE', `${inventoriesPath}/VCPU`).status).toBe(204);
    expect(generationOf(session)).toBe(2);
    expect(session.send('DELETE', inventoriesPath, { microversion: '1.5' }).status).toBe(204);
    expect(session.send('DELETE', inventoriesPath, { microversion: '1.5' }).status).toBe(204);
    expect(generationOf(session)).toBe(4);
  });

  it('DELETE-one of a missing row or unknown class is 404 with the reason', () => {
    const session = withProvider();
    const absent = session.send('DELETE', `${inventoriesPath}/PCI_DEVICE`);
    expect(absent.status).toBe(404);
    expect(errorMessage(absent)).toBe('No inventory of class PCI_DEVICE found for delete: No inventory of class PCI_DEVICE found for delete');
    expect(errorMessage(session.send('DELETE', `${inventoriesPath}/CUSTOM_NOPE`))).toBe(
      'No inventory of class CUSTOM_NOPE found for delete: No such resource class CUSTOM_NOPE.',
    );
    expect(generationOf(session)).toBe(0);
  });
});

describe('inventories in use', () => {
  function inUse(): ModelSession {
    const session = withProvider();
    putAll(session, 0, { VCPU: { total: 4 }, DISK_GB: { total: 10 } });
    expect(allocate(session, 1, { VCPU: 2 }).status).toBe(204);
    return session;
  }

  it('refuses DELETE-one of a used class with 409 concurrent_update (not inventory.inuse)', () => {
    const exchange = inUse().send('DELETE', `${inventoriesPath}/VCPU`, { microversion: '1.26' });
    expect(exchange.status).toBe(409);
    expect(errorMessage(exchange)).toBe(`Unable to delete inventory of class VCPU: Inventory for 'VCPU' on resource provider '${ONE}' in use.`);
    expect(errorEntry(exchange).code).toBe('placement.concurrent_update');
  });

  it('refuses PUT-all that omits a used class with 409 inventory.inuse', () => {
    const exchange = putAll(inUse(), 2, { DISK_GB: { total: 10 } });
    expect(exchange.status).toBe(409);
    expect(errorMessage(exchange)).toBe(`update conflict: Inventory for 'VCPU' on resource provider '${ONE}' in use.`);
    expect(errorEntry(exchange).code).toBe('placement.inventory.inuse');
  });

  it('refuses DELETE-all with the bare message and inventory.inuse', () => {
    const exchange = inUse().send('DELETE', inventoriesPath, { microversion: '1.26' });
    expect(exchange.status).toBe(409);
    expect(errorMessage(exchange)).toBe(`Inventory for 'VCPU' on resource provider '${ONE}' in use.`);
    expect(errorEntry(exchange).code).toBe('placement.inventory.inuse');
  });

  it('lists several used classes in resource class id order', () => {
    const session = inUse();
    allocate(session, 2, { DISK_GB: 1 });
    expect(errorMessage(putAll(session, 3, {}))).toBe(`update conflict: Inventory for 'VCPU, DISK_GB' on resource provider '${ONE}' in use.`);
  });

  it('lets an update shrink total below the usage (over capacity is allowed)', () => {
    const session = inUse();
    expect(putAll(session, 2, { VCPU: { total: 1 }, DISK_GB: { total: 10 } }).status).toBe(200);
    expect(session.send('GET', `/resource_providers/${ONE}/usages`).json).toEqual({ resource_provider_generation: 3, usages: { VCPU: 2, DISK_GB: 0 } });
  });

  it('lets min_unit, max_unit and step_size change under existing allocations', () => {
    const session = inUse();
    expect(putAll(session, 2, { VCPU: { total: 4, min_unit: 3, step_size: 3 }, DISK_GB: { total: 10 } }).status).toBe(200);
  });
});

describe('inventory rendering', () => {
  it('omits the generation from a single inventory only while it is 0', () => {
    const session = withProvider();
    putAll(session, 0, { VCPU: { total: 4 } });
    expect(session.send('GET', `${inventoriesPath}/VCPU`).json).toMatchObject({ resource_provider_generation: 1 });
    const missing = session.send('GET', `${inventoriesPath}/HOUSE`);
    expect(missing.status).toBe(404);
    expect(errorMessage(missing)).toBe(`No inventory of class HOUSE for ${ONE}`);
  });

  it('answers a listing of a missing provider with the doubled 404 text', () => {
    const exchange = new ModelSession().send('GET', `/resource_providers/${MISSING}/inventories`);
    expect(errorMessage(exchange)).toBe(`No resource provider with uuid ${MISSING} found : No resource provider with uuid ${MISSING} found`);
  });

  // Write responses echo the request's number, so an integer ratio stays an
  // integer; only reads go through the float column.
  it('echoes an integer allocation_ratio as given in POST/PUT responses, and reads show the float', () => {
    const session = withProvider();
    expect(post(session, '1.26', { resource_class: 'VCPU', total: 2, allocation_ratio: 2 }).body).toContain('"allocation_ratio": 2,');
    expect(session.send('GET', inventoriesPath).body).toContain('"allocation_ratio": 2.0}');
  });
});
