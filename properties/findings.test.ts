/**
 * Finding predicates against recorded real responses: each recognises its
 * own divergence, none recognises another's, and none explains a look-alike
 * difference without its cause (which would hide a real model bug).
 *
 * The real answers below were recorded from Placement 8.0.0 on sqlite; the
 * conformance test replays every demonstration against the live service.
 */
import { describe, expect, it } from 'vitest';
import { emptyState, handle, placementRequest, type HttpRequest, type HttpResponse } from '../model/index.ts';
import { compareResponses } from './conformance/compareResponses.ts';
import type { ComparedStep } from './conformance/runSequence.ts';
import type { Database } from './conformance/conformanceTarget.ts';
import { FINDINGS, findingNamed, type Divergence } from './findings.ts';

const CONSUMER = 'c0000000-0000-4000-8000-000000000001';
const PROVIDER = 'a0000000-0000-4000-8000-000000000001';

function realError(status: number, title: string, explanation: string, message: string, code: string | null): HttpResponse {
  const entry: Record<string, unknown> = { status, title, detail: `${explanation}\n\n ${message}  ` };
  if (code !== null) entry['code'] = code;
  entry['request_id'] = 'req-recorded';
  return {
    status,
    headers: { 'content-type': 'application/json', 'openstack-api-version': 'placement 1.39', vary: 'openstack-api-version' },
    body: JSON.stringify({ errors: [entry] }),
  };
}

const CONFLICT = 'There was a conflict when trying to complete your request.';
const leftoverConflict = realError(409, 'Conflict', CONFLICT, 'consumer generation conflict - expected 0 but got None', 'placement.concurrent_update');

/** Steps as a run records them: the model's answers, and the real one where `real` gives it (elsewhere they agreed). */
function divergence(requests: readonly HttpRequest[], real: ReadonlyMap<number, HttpResponse>, database: Database = 'sqlite'): Divergence {
  let state = emptyState();
  const steps: ComparedStep[] = requests.map((request, index) => {
    const handled = handle(state, request);
    const realResponse = real.get(index) ?? handled.response;
    const comparison = compareResponses(handled.response, realResponse);
    const step: ComparedStep = {
      index,
      request,
      stateBefore: state,
      stateAfter: handled.state,
      model: handled.response,
      real: { kind: 'response', response: realResponse },
      differences: comparison.kind === 'match' ? [] : comparison.differences,
    };
    state = handled.state;
    return step;
  });
  return { steps, database };
}

/** The findings that explain a divergence, chosen as a conformance run chooses them. */
function explainers(subject: Divergence): string[] {
  return FINDINGS.filter((finding) => finding.databases.includes(subject.database) && finding.explains(subject)).map((finding) => finding.name);
}

function allocate(allocations: Record<string, unknown>, generation: number | null, version = '1.39'): HttpRequest {
  return placementRequest('PUT', `/allocations/${CONSUMER}`, {
    microversion: version,
    body: { allocations, consumer_generation: generation, project_id: 'proj-a', user_id: 'user-a', consumer_type: 'INSTANCE' },
  });
}

describe('findings', () => {
  it('have unique kebab-case names, one-line summaries and demonstrations', () => {
    const names = FINDINGS.map((finding) => finding.name);
    expect(new Set(names).size).toBe(names.length);
    for (const finding of FINDINGS) {
      expect(finding.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(finding.summary).not.toContain('\n');
      expect(finding.demonstration.length).toBeGreaterThan(0);
      expect(findingNamed(finding.name)).toBe(finding);
    }
  });

  it('empty-allocations-create-consumer: a clear of a new consumer, then a null-generation write', () => {
    const clear = allocate({}, null);
    expect(explainers(divergence([clear, clear], new Map([[1, leftoverConflict]])))).toEqual(['empty-allocations-create-consumer']);
  });

  it('unknown-provider-leaves-consumer: a 400 for an unknown provider, then a null-generation write', () => {
    const unknown = allocate({ 'a0000000-0000-4000-8000-0000000000ff': { resources: { VCPU: 1 } } }, null);
    expect(explainers(divergence([unknown, allocate({}, null)], new Map([[1, leftoverConflict]])))).toEqual(['unknown-provider-leaves-consumer']);
  });

  it('a leftover also explains the model refusing generation 0 that the real service accepts', () => {
    const requests = [allocate({}, null), allocate({}, 0)];
    const real: HttpResponse = { status: 204, headers: { 'openstack-api-version': 'placement 1.39', vary: 'openstack-api-version' }, body: '' };
    expect(explainers(divergence(requests, new Map([[1, real]])))).toEqual(['empty-allocations-create-consumer']);
  });

  it('does not explain a generation conflict without a request that left the consumer behind', () => {
    // The first write fails schema validation before any consumer is created.
    const invalid = placementRequest('PUT', `/allocations/${CONSUMER}`, { microversion: '1.39', body: { allocations: {}, project_id: 'p' } });
    expect(explainers(divergence([invalid, allocate({}, null)], new Map([[1, leftoverConflict]])))).toEqual([]);
    expect(explainers(divergence([allocate({}, null)], new Map([[0, leftoverConflict]])))).toEqual([]);
  });

  it('does not explain once the model holds the consumer again', () => {
    const requests = [
      placementRequest('POST', '/resource_providers', { microversion: '1.39', body: { name: 'rp-a', uuid: PROVIDER } }),
      placementRequest('POST', `/resource_providers/${PROVIDER}/inventories`, { microversion: '1.39', body: { resource_class: 'VCPU', total: 4 } }),
      allocate({}, null),
      // Below 1.28 nothing checks generations: both sides now hold the consumer with allocations.
      placementRequest('PUT', `/allocations/${CONSUMER}`, {
        microversion: '1.27',
        body: { allocations: { [PROVIDER]: { resources: { VCPU: 1 } } }, project_id: 'proj-a', user_id: 'user-a' },
      }),
      allocate({ [PROVIDER]: { resources: { VCPU: 1 } } }, null),
    ];
    // A (hypothetical) real answer that would fit a leftover: the consumer is no longer one.
    expect(explainers(divergence(requests, new Map([[4, leftoverConflict]])))).toEqual([]);
    expect(explainers(divergence(requests.slice(0, 3).concat(requests.slice(4)), new Map([[3, leftoverConflict]])))).toEqual(['empty-allocations-create-consumer']);
  });

  it('a leftover created at 1.38 explains the type the service keeps after a write below 1.38 gave it allocations', () => {
    const unknown = placementRequest('PUT', `/allocations/${CONSUMER}`, {
      microversion: '1.39',
      body: {
        allocations: { 'a0000000-0000-4000-8000-0000000000ff': { resources: { VCPU: 1 } } },
        consumer_generation: null,
        project_id: 'proj-a',
        user_id: 'user-a',
        consumer_type: 'MIGRATION',
      },
    });
    const requests = [
      placementRequest('POST', '/resource_providers', { microversion: '1.39', body: { name: 'rp-a', uuid: PROVIDER } }),
      placementRequest('POST', `/resource_providers/${PROVIDER}/inventories`, { microversion: '1.39', body: { resource_class: 'VCPU', total: 4 } }),
      unknown,
      placementRequest('PUT', `/allocations/${CONSUMER}`, {
        microversion: '1.27',
        body: { allocations: { [PROVIDER]: { resources: { VCPU: 1 } } }, project_id: 'proj-a', user_id: 'user-a' },
      }),
      placementRequest('GET', `/allocations/${CONSUMER}`, { microversion: '1.39' }),
    ];
    const modelAnswer = divergence(requests, new Map()).steps[4]?.model;
    expect(modelAnswer?.body).toContain('"consumer_type": "unknown"');
    const realAnswer: HttpResponse = { ...(modelAnswer ?? { status: 0, headers: {}, body: '' }), body: (modelAnswer?.body ?? '').replace('"unknown"', '"MIGRATION"') };
    expect(explainers(divergence(requests, new Map([[4, realAnswer]])))).toEqual(['unknown-provider-leaves-consumer']);
    // Without the leftover, the same difference is unexplained.
    const withoutLeftover = [...requests.slice(0, 2), ...requests.slice(3)];
    expect(explainers(divergence(withoutLeftover, new Map([[3, realAnswer]])))).toEqual([]);
  });

  it('unvalidated-inventory-record-crashes: a 500 for a record under an invalid class name, and nothing else', () => {
    const crash = realError(500, 'Internal Server Error', 'The server has either erred or is incapable of performing the requested operation.', "unsupported operand type(s) for -: 'NoneType' and 'int'", null);
    const finding = findingNamed('unvalidated-inventory-record-crashes');
    expect(finding).toBeDefined();
    const demonstration = finding?.demonstration ?? [];
    expect(explainers(divergence(demonstration, new Map([[demonstration.length - 1, crash]])))).toEqual(['unvalidated-inventory-record-crashes']);
    const validRecord = [
      ...demonstration.slice(0, -1),
      placementRequest('PUT', `/resource_providers/${PROVIDER}/inventories`, {
        microversion: '1.39',
        body: { resource_provider_generation: 0, inventories: { VCPU: { total: 1 } } },
      }),
    ];
    expect(explainers(divergence(validRecord, new Map([[validRecord.length - 1, crash]])))).toEqual([]);
  });

  it('case-insensitive-identifiers-on-mariadb: only on MariaDB, and only where case variants are involved', () => {
    const finding = findingNamed('case-insensitive-identifiers-on-mariadb');
    const demonstration = finding?.demonstration ?? [];
    const duplicate = realError(409, 'Conflict', CONFLICT, 'Conflicting resource provider name: RP-A already exists.', 'placement.duplicate_name');
    const real = new Map([[demonstration.length - 1, duplicate]]);
    expect(explainers(divergence(demonstration, real, 'mariadb'))).toEqual(['case-insensitive-identifiers-on-mariadb']);
    expect(explainers(divergence(demonstration, real, 'sqlite'))).toEqual([]);
    // The same kind of difference between names that differ by more than case is not explained.
    const other = demonstration.map((request) => ({ ...request, body: (request.body ?? '').replace('RP-A', 'rp-b') }));
    expect(explainers(divergence(other, new Map([[other.length - 1, duplicate]]), 'mariadb'))).toEqual([]);
  });

  it('duplicate-provider-conflict-names-name-on-postgresql: only on PostgreSQL, and only for the name in place of the uuid', () => {
    const demonstration = findingNamed('duplicate-provider-conflict-names-name-on-postgresql')?.demonstration ?? [];
    const last = demonstration.length - 1;
    const byName = realError(409, 'Conflict', CONFLICT, 'Conflicting resource provider name: rp-a already exists.', 'placement.duplicate_name');
    expect(explainers(divergence(demonstration, new Map([[last, byName]]), 'postgresql'))).toEqual(['duplicate-provider-conflict-names-name-on-postgresql']);
    expect(explainers(divergence(demonstration, new Map([[last, byName]]), 'sqlite'))).toEqual([]);
    // The same, asked for as HTML.
    const asHtml = demonstration.map((request) => ({ ...request, headers: { ...request.headers, accept: 'text/html' } }));
    const htmlByName: HttpResponse = {
      status: 409,
      headers: { 'content-type': 'text/html; charset=UTF-8', 'openstack-api-version': 'placement 1.39', vary: 'openstack-api-version' },
      body: `<html>\n <head>\n  <title>409 Conflict</title>\n </head>\n <body>\n  <h1>409 Conflict</h1>\n  ${CONFLICT}<br /><br />\nConflicting resource provider name: rp-a already exists.\n\n\n </body>\n</html>`,
    };
    expect(explainers(divergence(asHtml, new Map([[last, htmlByName]]), 'postgresql'))).toEqual(['duplicate-provider-conflict-names-name-on-postgresql']);
    // Another wording, or another status, is not this finding.
    const otherName = realError(409, 'Conflict', CONFLICT, 'Conflicting resource provider name: rp-b already exists.', 'placement.duplicate_name');
    expect(explainers(divergence(demonstration, new Map([[last, otherName]]), 'postgresql'))).toEqual([]);
    const crash = realError(500, 'Internal Server Error', 'The server has either erred or is incapable of performing the requested operation.', 'boom', 'placement.undefined_code');
    expect(explainers(divergence(demonstration, new Map([[last, crash]]), 'postgresql'))).toEqual([]);
  });

  it('usages-grouping-crashes-on-postgresql: a GroupingError 500 from 1.38 on PostgreSQL, not below 1.38 nor for consumer_type=all', () => {
    const crash = realError(500, 'Internal Server Error', 'The server has either erred or is incapable of performing the requested operation.', '(psycopg2.errors.GroupingError) column "allocations.resource_class_id" must appear in the GROUP BY clause', 'placement.undefined_code');
    const demonstration = findingNamed('usages-grouping-crashes-on-postgresql')?.demonstration ?? [];
    const last = demonstration.length - 1;
    expect(explainers(divergence(demonstration, new Map([[last, crash]]), 'postgresql'))).toEqual(['usages-grouping-crashes-on-postgresql']);
    expect(explainers(divergence(demonstration, new Map([[last, crash]]), 'mariadb'))).toEqual([]);
    const older = [placementRequest('GET', '/usages?project_id=proj-a', { microversion: '1.37' })];
    expect(explainers(divergence(older, new Map([[0, crash]]), 'postgresql'))).toEqual([]);
    const all = [placementRequest('GET', '/usages?project_id=proj-a&consumer_type=all', { microversion: '1.38' })];
    expect(explainers(divergence(all, new Map([[0, crash]]), 'postgresql'))).toEqual([]);
  });

  it('non-finite-allocation-ratio-crashes: a 500 for a NaN ratio, not for a finite one', () => {
    const crash = realError(500, 'Internal Server Error', 'The server has either erred or is incapable of performing the requested operation.', 'cannot convert float NaN to integer', 'placement.undefined_code');
    const demonstration = findingNamed('non-finite-allocation-ratio-crashes')?.demonstration ?? [];
    const last = demonstration.length - 1;
    expect(explainers(divergence(demonstration, new Map([[last, crash]])))).toEqual(['non-finite-allocation-ratio-crashes']);
    const finite = demonstration.map((request) => ({ ...request, body: (request.body ?? '').replace('NaN', '1.5') }));
    expect(explainers(divergence(finite, new Map([[last, crash]])))).toEqual([]);
  });
});
