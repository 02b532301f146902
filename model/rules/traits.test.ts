/**
 * Traits: the custom-trait lifecycle and provider traits with their
 * generation rules (+1 only when the set changes). Expected texts were read
 * from the real 8.0.0 service. Listings are compared as sets: the service
 * lists traits in database id order, the model sorts them.
 */
import { describe, expect, it } from 'vitest';
import { ModelSession, errorEntry, errorMessage, providerUuid, type Exchange } from '../testing/modelSession.ts';

const ONE = providerUuid(1);
const traitsPath = `/resource_providers/${ONE}/traits`;
const INVALID =
  'The trait is invalid. A valid trait must be no longer than 255 characters, start with the prefix "CUSTOM_" and use following characters: "A"-"Z", "0"-"9" and "_"';

function withProvider(): ModelSession {
  const session = new ModelSession();
  session.send('POST', '/resource_providers', { microversion: '1.39', body: { name: 'one', uuid: ONE } });
  return session;
}

function setTraits(session: ModelSession, traits: readonly string[], generation: number): Exchange {
  return session.send('PUT', traitsPath, { microversion: '1.6', body: { traits, resource_provider_generation: generation } });
}

function traitSet(exchange: Exchange): readonly string[] {
  return [...(exchange.json as { traits: string[] }).traits].sort();
}

function generationOf(session: ModelSession): number {
  return (session.send('GET', `/resource_providers/${ONE}`).json as { generation: number }).generation;
}

describe('custom traits', () => {
  it('creates with 201, keeps with 204, and shows with 204', () => {
    const session = new ModelSession();
    const created = session.send('PUT', '/traits/CUSTOM_T', { microversion: '1.6' });
    expect(created.status).toBe(201);
    expect(created.headers['location']).toBe('http://localhost/traits/CUSTOM_T');
    expect(session.send('PUT', '/traits/CUSTOM_T', { microversion: '1.6' }).status).toBe(204);
    expect(session.send('GET', '/traits/CUSTOM_T', { microversion: '1.6' }).status).toBe(204);
  });

  it('refuses standard and malformed names on PUT', () => {
    const session = new ModelSession();
    for (const name of ['HW_CPU_X86_AVX', 'bad', 'CUSTOM_lower']) {
      const exchange = session.send('PUT', `/traits/${name}`, { microversion: '1.6' });
      expect(exchange.status).toBe(400);
      expect(errorMessage(exchange)).toBe(INVALID);
    }
  });

  it('answers 404 for an unknown trait on GET and DELETE', () => {
    const session = new ModelSession();
    expect(errorMessage(session.send('GET', '/traits/CUSTOM_NOPE', { microversion: '1.6' }))).toBe('No such trait(s): CUSTOM_NOPE.');
    expect(session.send('DELETE', '/traits/CUSTOM_NOPE', { microversion: '1.6' }).status).toBe(404);
  });

  it('refuses to delete a standard trait (400) or one in use (409)', () => {
    const session = withProvider();
    expect(errorMessage(session.send('DELETE', '/traits/HW_CPU_X86_AVX', { microversion: '1.6' }))).toBe('Cannot delete standard trait HW_CPU_X86_AVX.');
    session.send('PUT', '/traits/CUSTOM_T', { microversion: '1.6' });
    setTraits(session, ['CUSTOM_T'], 0);
    const inUse = session.send('DELETE', '/traits/CUSTOM_T', { microversion: '1.6' });
    expect(inUse.status).toBe(409);
    expect(errorMessage(inUse)).toBe('The trait CUSTOM_T is in use by a resource provider.');
  });

  it('filters the listing by name prefix, by name list and by association', () => {
    const session = withProvider();
    session.send('PUT', '/traits/CUSTOM_T', { microversion: '1.6' });
    session.send('PUT', '/traits/CUSTOM_U', { microversion: '1.6' });
    expect(traitSet(session.send('GET', '/traits?name=startswith:CUSTOM', { microversion: '1.6' }))).toEqual(['CUSTOM_T', 'CUSTOM_U']);
    expect(traitSet(session.send('GET', '/traits?name=in:CUSTOM_T,HW_CPU_X86_AVX,CUSTOM_NOPE', { microversion: '1.6' }))).toEqual([
      'CUSTOM_T',
      'HW_CPU_X86_AVX',
    ]);
    setTraits(session, ['CUSTOM_T', 'HW_CPU_X86_AVX'], 0);
    expect(traitSet(session.send('GET', '/traits?associated=true', { microversion: '1.6' }))).toEqual(['CUSTOM_T', 'HW_CPU_X86_AVX']);
    expect(traitSet(session.send('GET', '/traits?associated=false&name=startswith:CUSTOM', { microversion: '1.6' }))).toEqual(['CUSTOM_U']);
    const badName = session.send('GET', '/traits?name=bad', { microversion: '1.6' });
    expect(errorMessage(badName)).toBe(
      'Badly formatted name parameter. Expected name query string parameter in form: ?name=[in|startswith]:[name1,name2|prefix]. Got: "bad"',
    );
    expect(errorMessage(session.send('GET', '/traits?associated=x', { microversion: '1.6' }))).toBe(
      'The query parameter "associated" only accepts "true" or "false"',
    );
  });
});

describe('provider traits', () => {
  it('checks the generation first (409 concurrent_update), then the names (400)', () => {
    const session = withProvider();
    const stale = session.send('PUT', traitsPath, { microversion: '1.23', body: { traits: ['CUSTOM_NOPE'], resource_provider_generation: 5 } });
    expect(stale.status).toBe(409);
    expect(errorMessage(stale)).toBe("Resource provider's generation already changed. Please update the generation and try again.");
    expect(errorEntry(stale).code).toBe('placement.concurrent_update');
    const unknown = setTraits(session, ['CUSTOM_NOPE'], 0);
    expect(unknown.status).toBe(400);
    expect(errorMessage(unknown)).toBe('No such trait CUSTOM_NOPE');
  });

  it('adds 1 only when the set changes (order and duplicates do not count)', () => {
    const session = withProvider();
    session.send('PUT', '/traits/CUSTOM_T', { microversion: '1.6' });
    const set = setTraits(session, ['CUSTOM_T', 'HW_CPU_X86_AVX'], 0);
    expect(set.status).toBe(200);
    expect(traitSet(set)).toEqual(['CUSTOM_T', 'HW_CPU_X86_AVX']);
    expect((set.json as { resource_provider_generation: number }).resource_provider_generation).toBe(1);
    expect(setTraits(session, ['HW_CPU_X86_AVX', 'CUSTOM_T', 'CUSTOM_T'], 1).status).toBe(200);
    expect(generationOf(session)).toBe(1);
    expect(setTraits(session, ['CUSTOM_T'], 1).status).toBe(200);
    expect(generationOf(session)).toBe(2);
  });

  it('DELETE adds 1 only when the provider had traits', () => {
    const session = withProvider();
    setTraits(session, ['HW_CPU_X86_AVX'], 0);
    expect(session.send('DELETE', traitsPath, { microversion: '1.6' }).status).toBe(204);
    expect(generationOf(session)).toBe(2);
    expect(session.send('DELETE', traitsPath, { microversion: '1.6' }).status).toBe(204);
    expect(generationOf(session)).toBe(2);
    expect(session.send('GET', traitsPath, { microversion: '1.6' }).json).toEqual({ traits: [], resource_provider_generation: 2 });
  });

  it('answers 404 for a missing provider', () => {
    const missing = providerUuid(9);
    const session = new ModelSession();
    expect(errorMessage(session.send('GET', `/resource_providers/${missing}/traits`, { microversion: '1.6' }))).toBe(
      `No resource provider with uuid ${missing} found: No resource provider with uuid ${missing} found`,
    );
    expect(session.send('PUT', `/resource_providers/${missing}/traits`, { microversion: '1.6', body: { traits: [], resource_provider_generation: 0 } }).status).toBe(
      404,
    );
  });
});

describe('provider aggregates', () => {
  const aggregate = (index: number): string => `11111111-0000-4000-8000-${index.toString(16).padStart(12, '0')}`;
  const aggregatesPath = `/resource_providers/${ONE}/aggregates`;

  it('takes a bare list without generation before 1.19 and changes no generation', () => {
    const session = withProvider();
    const set = session.send('PUT', aggregatesPath, { microversion: '1.1', body: [aggregate(1)] });
    expect(set.json).toEqual({ aggregates: [aggregate(1)] });
    expect(generationOf(session)).toBe(0);
  });

  it('checks and always adds 1 to the generation from 1.19', () => {
    const session = withProvider();
    const stale = session.send('PUT', aggregatesPath, { microversion: '1.19', body: { aggregates: [aggregate(2)], resource_provider_generation: 3 } });
    expect(stale.status).toBe(409);
    for (const generation of [0, 1]) {
      const exchange = session.send('PUT', aggregatesPath, { microversion: '1.19', body: { aggregates: [aggregate(2)], resource_provider_generation: generation } });
      expect(exchange.json).toEqual({ aggregates: [aggregate(2)], resource_provider_generation: generation + 1 });
    }
  });
});
