/**
 * Each normalisation rule, and that everything else stays exact: a rule
 * that silently equated different responses would hide model bugs.
 */
import { describe, expect, it } from 'vitest';
import type { HttpResponse } from '../../model/index.ts';
import { compareResponses } from './compareResponses.ts';
import { normaliseDetail, normaliseResponse } from './normaliseResponse.ts';

function json(status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

function errorDocument(status: number, detail: string, requestId: string, code = 'placement.undefined_code'): HttpResponse {
  return json(status, { errors: [{ status, title: 'Conflict', detail, code, request_id: requestId }] });
}

describe('normaliseResponse', () => {
  it('drops request ids, the host of Location and the value of Last-Modified', () => {
    const model = json(201, { a: 1 }, { location: 'http://localhost/resource_providers/x', 'last-modified': 'Sat, 01 Jan 2000 00:00:00 GMT', 'x-openstack-request-id': 'req-1' });
    const real = json(201, { a: 1 }, { location: 'http://127.0.0.1:8778/resource_providers/x', 'last-modified': 'Sun, 22 Nov 2026 12:00:00 GMT', 'x-openstack-request-id': 'req-2', 'content-length': '8', connection: 'close' });
    expect(compareResponses(model, real)).toEqual({ kind: 'match' });
    expect(normaliseResponse(real).headers).toEqual({ 'content-type': 'application/json', location: '/resource_providers/x', 'last-modified': '<present>' });
  });

  it('still tells a present Last-Modified from a missing one, and compares other kept headers exactly', () => {
    const model = json(200, {}, { 'last-modified': 'x', vary: 'openstack-api-version' });
    const real = json(200, {}, {});
    const comparison = compareResponses(model, real);
    expect(comparison.kind).toBe('mismatch');
    expect(comparison.kind === 'mismatch' ? comparison.differences.map((difference) => difference.where) : []).toEqual(['header last-modified', 'header vary']);
  });

  it('ignores the request id inside error documents but compares the detail exactly', () => {
    expect(compareResponses(errorDocument(409, 'a', 'req-1'), errorDocument(409, 'a', 'req-2'))).toEqual({ kind: 'match' });
    const different = compareResponses(errorDocument(409, 'expected 1 but got 2', 'req-1'), errorDocument(409, 'expected 1 but got 3', 'req-1'));
    expect(different).toEqual({
      kind: 'mismatch',
      differences: [{ where: 'body $.errors[0].detail', model: '"expected 1 but got 2"', real: '"expected 1 but got 3"' }],
    });
  });

  it('compares error codes and statuses', () => {
    const comparison = compareResponses(errorDocument(409, 'a', 'r', 'placement.concurrent_update'), errorDocument(409, 'a', 'r', 'placement.undefined_code'));
    expect(comparison.kind === 'mismatch' ? comparison.differences.map((difference) => difference.where) : []).toEqual(['error code', 'body $.errors[0].code']);
    expect(compareResponses(json(200, {}), json(201, {})).kind).toBe('mismatch');
  });

  it('compares JSON objects regardless of key order, but lists in order', () => {
    expect(compareResponses(json(200, { a: 1, b: { c: 2, d: 3 } }), json(200, { b: { d: 3, c: 2 }, a: 1 }))).toEqual({ kind: 'match' });
    expect(compareResponses(json(200, { links: [1, 2] }), json(200, { links: [2, 1] })).kind).toBe('mismatch');
    expect(compareResponses(json(200, { a: 1 }), json(200, { a: 1.5 })).kind).toBe('mismatch');
    const text = (body: string): HttpResponse => ({ status: 200, headers: { 'content-type': 'application/json' }, body });
    // A Python client sees int 2 and float 2.0 as different values.
    expect(compareResponses(text('{"allocation_ratio": 2}'), text('{"allocation_ratio": 2.0}'))).toEqual({
      kind: 'mismatch',
      differences: [{ where: 'body $.allocation_ratio', model: '2', real: '2.0' }],
    });
    expect(compareResponses(text('{"a": 1e-05}'), text('{"a": 0.00001}'))).toEqual({ kind: 'match' });
  });

  it('compares the lists the database orders as sets, and only those', () => {
    for (const key of ['traits', 'aggregates', 'resource_providers', 'resource_classes']) {
      expect(compareResponses(json(200, { [key]: ['A', 'B'] }), json(200, { [key]: ['B', 'A'] }))).toEqual({ kind: 'match' });
      expect(compareResponses(json(200, { [key]: ['A', 'B'] }), json(200, { [key]: ['A', 'C'] })).kind).toBe('mismatch');
    }
    expect(compareResponses(json(200, { usages: ['A', 'B'] }), json(200, { usages: ['B', 'A'] })).kind).toBe('mismatch');
  });

  it('compares names joined from a set or a database result as sets', () => {
    const invalid = (classes: string, providers: string): string =>
      `Unable to allocate inventory: Inventory for '${classes}' on resource provider '${providers}' invalid.`;
    expect(normaliseDetail(invalid('VCPU, DISK_GB', 'b, a'))).toBe(normaliseDetail(invalid('DISK_GB, VCPU', 'a, b')));
    expect(normaliseDetail(invalid('VCPU, DISK_GB', 'a'))).not.toBe(normaliseDetail(invalid('VCPU', 'a')));
    expect(normaliseDetail("update conflict: Inventory for 'VCPU, DISK_GB' on resource provider 'a' in use.")).toBe(
      normaliseDetail("update conflict: Inventory for 'DISK_GB, VCPU' on resource provider 'a' in use."),
    );
    expect(normaliseDetail('No such trait CUSTOM_B, CUSTOM_A  ')).toBe('No such trait CUSTOM_A, CUSTOM_B  ');
    const html = (classes: string): string => `<br /><br />\nUnable to allocate inventory: Inventory for &#x27;${classes}&#x27; on resource provider &#x27;a&#x27; invalid.\n`;
    expect(normaliseDetail(html('VCPU, DISK_GB'))).toBe(normaliseDetail(html('DISK_GB, VCPU')));
  });

  it('compares only the prefix of a database driver message after "Update conflict: "', () => {
    const real = 'There was a conflict.\n\n Update conflict: (sqlite3.IntegrityError) UNIQUE constraint failed: inventories.resource_provider_id\n[SQL: INSERT ...]  ';
    const model = 'There was a conflict.\n\n Update conflict: duplicate inventory of class VCPU on resource provider x  ';
    expect(normaliseDetail(real)).toBe(normaliseDetail(model));
    expect(normaliseDetail('There was a conflict.\n\n update conflict: x')).not.toBe(normaliseDetail('There was a conflict.\n\n Update conflict: x'));
  });

  it('compares non-JSON bodies as text and tells an empty body from a non-empty one', () => {
    const text = (body: string): HttpResponse => ({ status: 400, headers: { 'content-type': 'text/plain' }, body });
    expect(compareResponses(text('a'), text('a'))).toEqual({ kind: 'match' });
    expect(compareResponses(text('a'), text('b')).kind).toBe('mismatch');
    expect(compareResponses({ status: 204, headers: {}, body: '' }, { status: 204, headers: {}, body: '' })).toEqual({ kind: 'match' });
    expect(compareResponses({ status: 204, headers: {}, body: '' }, text('x')).kind).toBe('mismatch');
  });
});
