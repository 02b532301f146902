import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderJson } from '../../model/api/respond.ts';
import { answer, decodeRequest, renderAnswer, type Answer } from '../../model/handle.ts';
import { pythonJsonDumps } from '../../model/pythonJsonDumps.ts';
import { PythonFloat, type PythonValue } from '../../model/pythonRepr.ts';
import { emptyState, handle, placementRequest, type HttpRequest, type HttpResponse, type State } from '../../model/index.ts';
import { answerDifference, answerExplains, compareResponses, explains, prepareObservedResponse, type PreparedResponse } from './responseMatch.ts';

function response(status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse {
  return { status, headers, body: typeof body === 'string' ? body : JSON.stringify(body) };
}

function placementError(status: number, detail: string, code?: string, requestId = 'req-1'): HttpResponse {
  const error: Record<string, unknown> = { status, title: 'Conflict', detail };
  if (code !== undefined) error['code'] = code;
  error['request_id'] = requestId;
  return response(status, { errors: [error] });
}

/** Also checks that the search's yes-or-no shortcut agrees with the full comparison. */
function compare(expected: HttpResponse, observed: HttpResponse): ReturnType<typeof compareResponses> {
  const prepared = prepareObservedResponse(observed);
  const difference = compareResponses(expected, prepared);
  expect(explains(expected, prepared)).toBe(difference === null);
  return difference;
}

/** Requests the model refuses or answers at several microversions, and responses a service might have sent. */
function answeredFixtures(): { readonly requests: readonly HttpRequest[]; readonly observations: readonly PreparedResponse[]; readonly states: readonly State[] } {
  const provider = 'aaaaaaaa-0000-4000-8000-000000000001';
  const requests = ['1.0', '1.22', '1.23', '1.39'].flatMap((version) => [
    placementRequest('PUT', `/allocations/cccccccc-0000-4000-8000-000000000001`, {
      microversion: version,
      body: { allocations: { [provider]: { resources: { VCPU: 1 } } }, project_id: 'p', user_id: 'u', consumer_generation: 3 },
    }),
    placementRequest('GET', `/resource_providers/${provider}`, { microversion: version }),
    placementRequest('POST', '/resource_providers', { microversion: version, body: { name: 'a', uuid: provider } }),
    { ...placementRequest('GET', '/resource_providers', { microversion: version }), headers: { 'x-auth-token': 'admin', accept: 'text/html' } },
    { ...placementRequest('GET', '/resource_providers', { microversion: version }), headers: {} },
  ]);
  const observations = [
    placementError(409, 'a', 'placement.concurrent_update'),
    placementError(409, 'a', 'placement.undefined_code'),
    placementError(404, 'a', 'placement.undefined_code'),
    placementError(404, 'a'),
    placementError(401, 'a', 'placement.undefined_code'),
    response(401, '401 Unauthorized\n\nno'),
    response(200, { uuid: provider }),
    response(400, 'not json'),
  ].map((observed) => prepareObservedResponse(observed));
  const withProvider = handle(emptyState(), placementRequest('POST', '/resource_providers', { microversion: '1.39', body: { name: 'a', uuid: provider } })).state;
  return { requests, observations, states: [emptyState(), withProvider] };
}

describe('compareResponses', () => {
  it('requires equal statuses', () => {
    expect(compare(response(204, ''), response(409, ''))).toEqual({ kind: 'status', expected: 204, observed: 409 });
  });

  it('compares errors by code only, ignoring detail and request id', () => {
    const model = placementError(409, 'consumer generation conflict - expected 1 but got 0', 'placement.concurrent_update', 'req-a');
    const service = placementError(409, 'another wording entirely', 'placement.concurrent_update', 'req-b');
    expect(compare(model, service)).toBeNull();
    const other = placementError(409, 'x', 'placement.undefined_code');
    expect(compare(model, other)).toEqual({ kind: 'errorCode', expected: 'placement.concurrent_update', observed: 'placement.undefined_code' });
  });

  it('accepts an error without a code on either side (microversions before 1.23)', () => {
    expect(compare(placementError(404, 'a'), placementError(404, 'b', 'placement.undefined_code'))).toBeNull();
    expect(compare(placementError(400, 'a'), response(400, '<html>Bad Request</html>'))).toBeNull();
  });

  it('compares JSON bodies whatever the key order, arrays in order, numbers by value', () => {
    const model = response(200, '{"usages": {"VCPU": 1, "DISK_GB": 2}, "resource_provider_generation": 3}');
    const service = response(200, '{"resource_provider_generation":3,"usages":{"DISK_GB":2,"VCPU":1.0}}');
    expect(compare(model, service)).toBeNull();
    expect(compare(response(200, { traits: ['A', 'B'] }), response(200, { traits: ['B', 'A'] }))).toMatchObject({ kind: 'body', path: 'traits[0]' });
  });

  it('names the first differing path, in sorted key order', () => {
    const model = response(200, { b: { x: 1 }, a: { y: 2 } });
    const service = response(200, { a: { y: 3 }, b: { x: 4 } });
    expect(compare(model, service)).toEqual({ kind: 'body', path: 'a.y', expected: '2', observed: '3' });
    expect(compare(response(200, { a: 1 }), response(200, { a: 1, b: 2 }))).toEqual({ kind: 'body', path: 'b', expected: '(absent)', observed: '2' });
  });

  it('drops volatile keys and ignores headers', () => {
    const model = response(200, { a: 1, request_id: 'req-1' }, { 'x-openstack-request-id': 'req-1', 'last-modified': 'then' });
    const service = response(200, { a: 1, request_id: 'req-2', last_modified: 'now' }, { 'x-openstack-request-id': 'req-2' });
    expect(compare(model, service)).toBeNull();
  });

  it('tells an empty body from a JSON one, and compares text bodies exactly', () => {
    expect(compare(response(204, ''), response(204, '{}'))).toMatchObject({ kind: 'body', expected: '(no body)' });
    expect(compare(response(200, 'plain'), response(200, 'plain'))).toBeNull();
    expect(compare(response(200, 'plain'), response(200, 'other'))).toMatchObject({ kind: 'body', path: '' });
  });
});

describe('answerExplains', () => {
  it('agrees with explaining the rendered response, for refusals and responses alike', () => {
    const { requests, observations, states } = answeredFixtures();
    let refusals = 0;
    for (const state of states) {
      for (const request of requests) {
        const given = answer(state, decodeRequest(request));
        if (given.kind === 'refusal') refusals += 1;
        const rendered = renderAnswer(given).response;
        expect(rendered).toEqual(handle(state, request).response);
        for (const observed of observations) expect(answerExplains(given, observed)).toBe(explains(rendered, observed));
      }
    }
    expect(refusals).toBeGreaterThan(10);
  });

  it('gives the difference from the rendered response, rendering only what it needs', () => {
    const { requests, observations, states } = answeredFixtures();
    for (const state of states) {
      for (const request of requests) {
        const given = answer(state, decodeRequest(request));
        const rendered = renderAnswer(given).response;
        for (const observed of observations) expect(answerDifference(given, observed)).toEqual(compareResponses(rendered, observed));
      }
    }
  });
});

describe('answerExplains on JSON documents', () => {
  const key = fc.oneof(fc.constantFrom('request_id', 'last_modified', 'uuid', 'generation', '__proto__', '0', 'é'), fc.string({ maxLength: 4 }));
  const scalar = fc.oneof(
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double(),
    fc.double().map((value) => new PythonFloat(value)),
    fc.constantFrom(0, -0, 1.5, 1e21, 2 ** 53, new PythonFloat(1), new PythonFloat(-0), new PythonFloat(1e16), new PythonFloat(1e-5)),
    fc.string({ maxLength: 6 }),
    fc.constantFrom('\ud800', '\u00e9', '😀', '"\\\n'),
  );
  const { document } = fc.letrec<{ document: PythonValue }>((tie) => ({
    document: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      scalar,
      fc.array(tie('document'), { maxLength: 3 }),
      fc.dictionary(key, tie('document'), { maxKeys: 3 }),
    ),
  }));
  /** Near misses of the document as the service might send it, and unrelated bodies. */
  const observedOf = (value: PythonValue): fc.Arbitrary<string> =>
    fc.oneof(
      fc.constant(pythonJsonDumps(value)),
      fc.constant(JSON.stringify(JSON.parse(pythonJsonDumps(value).replace(/NaN|-?Infinity/g, 'null')) as unknown)),
      document.map((other) => pythonJsonDumps(other)),
      fc.constantFrom('', 'not json', '{}', '[]', 'null', '{"request_id": "x"}'),
    );

  it('agrees with explaining the rendered response', () => {
    fc.assert(
      fc.property(
        document.chain((value) => fc.tuple(fc.constant(value), observedOf(value), fc.constantFrom(200, 201, 409), fc.constantFrom('application/json', 'text/plain'))),
        ([value, body, status, contentType]) => {
          const json = { status: 200, headers: { 'content-type': 'application/json' }, document: value };
          const observed = prepareObservedResponse({ status, headers: { 'content-type': contentType }, body });
          const given: Answer = { kind: 'json', state: emptyState(), json };
          expect(answerExplains(given, observed)).toBe(explains(renderJson(json), observed));
        },
      ),
      { numRuns: 4000 },
    );
  });
});
