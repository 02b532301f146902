/**
 * The shape of error responses (`util.json_error_formatter`, webob's
 * templates, the noauth2 middleware). Expected bodies were read from the
 * real 8.0.0 service.
 */
import { describe, expect, it } from 'vitest';
import type { HttpRequest } from '../http.ts';
import { ModelSession, errorEntry, errorMessage } from '../testing/modelSession.ts';

const MISSING = 'aaaaaaaa-0000-4000-8000-00000000ffff';

function request(method: string, path: string, headers: Record<string, string>, body: string | null = null): HttpRequest {
  return { method, path, headers: { 'x-auth-token': 'admin', accept: 'application/json', ...headers }, body };
}

describe('error bodies', () => {
  it('has no "code" key before 1.23', () => {
    const exchange = new ModelSession().send('GET', `/resource_providers/${MISSING}`, { microversion: '1.22' });
    expect(exchange.status).toBe(404);
    const entry = errorEntry(exchange);
    expect(Object.keys(entry)).toEqual(['status', 'title', 'detail', 'request_id']);
    expect(entry.detail).toBe(`The resource could not be found.\n\n No resource provider with uuid ${MISSING} found  `);
  });

  it('adds "code" from 1.23, placement.undefined_code when the handler set none', () => {
    const exchange = new ModelSession().send('GET', `/resource_providers/${MISSING}`, { microversion: '1.23' });
    const entry = errorEntry(exchange);
    expect(Object.keys(entry)).toEqual(['status', 'title', 'detail', 'code', 'request_id']);
    expect(entry.code).toBe('placement.undefined_code');
    expect(entry.status).toBe(404);
    expect(entry.title).toBe('Not Found');
  });

  it('carries the handler code from 1.23 (duplicate name)', () => {
    const session = new ModelSession();
    session.send('POST', '/resource_providers', { microversion: '1.23', body: { name: 'one' } });
    const exchange = session.send('POST', '/resource_providers', { microversion: '1.23', body: { name: 'one' } });
    expect(exchange.status).toBe(409);
    expect(errorEntry(exchange).code).toBe('placement.duplicate_name');
  });

  it('adds max_version and min_version to a 406 for an unacceptable version only', () => {
    const unacceptable = new ModelSession().sendRaw(request('GET', '/resource_providers', { 'openstack-api-version': 'placement 1.40' }));
    expect(errorEntry(unacceptable)).toMatchObject({ status: 406, title: 'Not Acceptable', max_version: '1.39', min_version: '1.0' });
    expect(errorEntry(unacceptable).detail).toBe(
      'The resource could not be generated that was acceptable to your browser (content of type application/json. \n\n Invalid microversion: Unacceptable version header: 1.40',
    );
    // A 406 for the Accept header is a different failure: no version range.
    const session = new ModelSession();
    const wrongAccept = session.sendRaw(request('GET', '/resource_providers', { 'openstack-api-version': 'placement 1.23', accept: 'text/plain' }));
    expect(wrongAccept.status).toBe(406);
    expect(wrongAccept.headers['content-type']).toBe('text/plain; charset=UTF-8');
    expect(wrongAccept.body).toBe(
      '406 Not Acceptable\n\nThe resource could not be generated that was acceptable to your browser (content of type text/plain. \n\n Only application/json is provided',
    );
  });

  it('renders a 415 with webob\'s text and the media type, "None" when absent', () => {
    const session = new ModelSession();
    const wrongType = session.sendRaw(
      request('POST', '/resource_providers', { 'openstack-api-version': 'placement 1.23', 'content-type': 'text/plain' }, '{"name": "x"}'),
    );
    expect(wrongType.status).toBe(415);
    expect(errorEntry(wrongType).detail).toBe(
      'The request media type text/plain is not supported by this server. \n\n The media type text/plain is not supported, use application/json',
    );
    const noType = session.sendRaw(request('POST', '/resource_providers', { 'openstack-api-version': 'placement 1.23' }));
    expect(noType.status).toBe(415);
    expect(errorMessage(noType)).toBe('The media type None is not supported, use application/json');
  });

  it('answers 400 for a body without a content type (checked before the 415)', () => {
    const exchange = new ModelSession().sendRaw(request('POST', '/resource_providers', { 'openstack-api-version': 'placement 1.23' }, '{"name": "x"}'));
    expect(exchange.status).toBe(400);
    expect(errorMessage(exchange)).toBe('content-type header required when content-length > 0');
  });

  it('renders a 405 with an Allow header and webob\'s text', () => {
    const exchange = new ModelSession().send('GET', '/allocations', { microversion: '1.23' });
    expect(exchange.status).toBe(405);
    expect(exchange.headers['allow']).toBe('POST');
    expect(errorEntry(exchange)).toMatchObject({
      title: 'Method Not Allowed',
      detail: 'The method GET is not allowed for this resource. \n\n The method specified is not allowed for this resource.',
      code: 'placement.undefined_code',
    });
  });

  it('answers DELETE on all inventories below 1.5 with an empty-message 405', () => {
    const exchange = new ModelSession().send('DELETE', `/resource_providers/${MISSING}/inventories`, { microversion: '1.4' });
    expect(exchange.status).toBe(405);
    expect(errorEntry(exchange).detail).toBe('The method DELETE is not allowed for this resource. \n\n ');
  });

  it('answers 401 without a token, in the middleware\'s own JSON shape', () => {
    const exchange = new ModelSession().sendRaw({ method: 'GET', path: '/resource_providers', headers: { accept: 'application/json' }, body: null });
    expect(exchange.status).toBe(401);
    expect(exchange.json).toEqual({
      message:
        'This server could not verify that you are authorized to access the document you requested. Either you supplied the wrong credentials (e.g., bad password), or your browser does not understand how to supply the credentials required.<br /><br />\n\n\n',
      code: '401 Unauthorized',
      title: 'Unauthorized',
    });
  });

  it('serves the root document without a token', () => {
    const exchange = new ModelSession().sendRaw({ method: 'GET', path: '/', headers: {}, body: null });
    expect(exchange.status).toBe(200);
  });

  it('answers 403 for a non-admin token', () => {
    const exchange = new ModelSession().send('GET', '/resource_providers', { token: 'user:project' });
    expect(exchange.status).toBe(403);
    expect(errorMessage(exchange)).toBe('Policy does not allow placement:resource_providers:list to be performed.');
  });

  it('reports malformed JSON with Python\'s decoder position', () => {
    const exchange = new ModelSession().send('POST', '/resource_providers', { microversion: '1.23', body: '{bad' });
    expect(exchange.status).toBe(400);
    expect(errorMessage(exchange)).toBe('Malformed JSON: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)');
  });

  // pprint sorts dict keys even when the dict fits on one line (`_safe_repr`
  // sorts too); an earlier model kept schema order in that case.
  it("sorts the keys of a one-line schema in a validation message ({'maximum': ..., 'minimum': 1, 'type': 'integer'})", () => {
    const session = new ModelSession();
    const provider = 'aaaaaaaa-0000-4000-8000-000000000001';
    session.send('POST', '/resource_providers', { microversion: '1.39', body: { name: 'one', uuid: provider } });
    const exchange = session.send('POST', `/resource_providers/${provider}/inventories`, {
      microversion: '1.39',
      body: { resource_class: 'VCPU', total: 0 },
    });
    expect(errorMessage(exchange)).toBe(
      "JSON does not validate: 0 is less than the minimum of 1  Failed validating 'minimum' in schema['properties']['total']:     {'maximum': 2147483647, 'minimum': 1, 'type': 'integer'}  On instance['total']:     0",
    );
  });

  it('answers 501 for the endpoints the model does not cover', () => {
    const session = new ModelSession();
    const candidates = session.send('GET', '/allocation_candidates?resources=VCPU:1', { microversion: '1.39' });
    expect(candidates.status).toBe(501);
    expect(errorMessage(candidates)).toBe('GET /allocation_candidates is not covered by the placement-sim model.');
    expect(session.send('POST', '/reshaper', { microversion: '1.39', body: {} }).status).toBe(501);
  });

  it('numbers request ids from the state, one per request', () => {
    const session = new ModelSession();
    const first = errorEntry(session.send('GET', `/resource_providers/${MISSING}`)).request_id;
    const second = errorEntry(session.send('GET', `/resource_providers/${MISSING}`)).request_id;
    expect(first).toBe('req-00000000-0000-4000-8000-000000000001');
    expect(second).toBe('req-00000000-0000-4000-8000-000000000002');
  });
});
