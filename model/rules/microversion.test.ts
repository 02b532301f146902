/**
 * Microversion negotiation (`placement/microversion.py`, microversion_parse
 * 1.0.1). Expected texts were read from the real 8.0.0 service.
 */
import { describe, expect, it } from 'vitest';
import type { HttpRequest } from '../http.ts';
import { ModelSession, errorEntry, errorMessage } from '../testing/modelSession.ts';

function withHeader(value: string | undefined): HttpRequest {
  const headers: Record<string, string> = { 'x-auth-token': 'admin', accept: 'application/json' };
  if (value !== undefined) headers['openstack-api-version'] = value;
  return { method: 'GET', path: '/resource_providers', headers, body: null };
}

/** The version the service answered with, from its response header. */
function answeredVersion(value: string | undefined): string | undefined {
  return new ModelSession().sendRaw(withHeader(value)).headers['openstack-api-version'];
}

describe('microversion negotiation', () => {
  it('defaults to 1.0 without a header and says so in the response', () => {
    const exchange = new ModelSession().sendRaw(withHeader(undefined));
    expect(exchange.status).toBe(200);
    expect(exchange.headers['openstack-api-version']).toBe('placement 1.0');
    expect(exchange.headers['vary']).toBe('openstack-api-version');
  });

  it('maps latest to 1.39, the 8.0.0 maximum', () => {
    expect(answeredVersion('placement latest')).toBe('placement 1.39');
  });

  it('reads "1.05" as 1.5 (Python compares the parsed integers)', () => {
    expect(answeredVersion('placement 1.05')).toBe('placement 1.5');
  });

  it('ignores other services and takes the last placement entry', () => {
    expect(answeredVersion('compute 2.1')).toBe('placement 1.0');
    expect(answeredVersion('placement 1.2, compute 2.1')).toBe('placement 1.2');
    expect(answeredVersion('placement 1.2, placement 1.9')).toBe('placement 1.9');
  });

  it('matches the service name case-insensitively', () => {
    expect(answeredVersion('PLACEMENT 1.3')).toBe('placement 1.3');
  });

  it.each(['1.40', '2.0', '1.-1'])('answers 406 with the version range for %s', (version) => {
    const exchange = new ModelSession().sendRaw(withHeader(`placement ${version}`));
    expect(exchange.status).toBe(406);
    const entry = errorEntry(exchange);
    expect(entry.max_version).toBe('1.39');
    expect(entry.min_version).toBe('1.0');
    expect(errorMessage(exchange)).toBe(`Invalid microversion: Unacceptable version header: ${version}`);
    // The version was never agreed, so the response carries no version header.
    expect(exchange.headers['openstack-api-version']).toBeUndefined();
  });

  it.each([
    ['foo', "Invalid microversion: invalid version string: foo; invalid literal for int() with base 10: 'foo'"],
    ['1.x', "Invalid microversion: invalid version string: 1.x; invalid literal for int() with base 10: 'x'"],
  ])('answers 400 for the unparsable version %s', (version, message) => {
    const exchange = new ModelSession().sendRaw(withHeader(`placement ${version}`));
    expect(exchange.status).toBe(400);
    expect(errorMessage(exchange)).toBe(message);
  });

  // Python 3.11 (Debian bookworm, the service's interpreter) names the
  // constructor by its qualified name in the TypeError text.
  it('answers 400 "...; Version.__new__() missing 1 required positional argument: \'minor\'" for "placement 1"', () => {
    const exchange = new ModelSession().sendRaw(withHeader('placement 1'));
    expect(exchange.status).toBe(400);
    expect(errorMessage(exchange)).toBe(
      "Invalid microversion: invalid version string: 1; Version.__new__() missing 1 required positional argument: 'minor'",
    );
  });

  it('gates endpoints by version: /traits is 404 below 1.6', () => {
    const session = new ModelSession();
    expect(session.send('GET', '/traits', { microversion: '1.5' }).status).toBe(404);
    expect(session.send('GET', '/traits', { microversion: '1.6' }).status).toBe(200);
  });

  it('gates POST /allocations (1.13) and GET /usages (1.9) with a bare 404', () => {
    const session = new ModelSession();
    const post = session.send('POST', '/allocations', { microversion: '1.12', body: {} });
    expect(post.status).toBe(404);
    expect(errorMessage(post)).toBe('');
    expect(session.send('GET', '/usages?project_id=p', { microversion: '1.8' }).status).toBe(404);
  });
});
