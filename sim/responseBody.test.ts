import { describe, expect, it } from 'vitest';
import { pythonJsonDumps } from '../model/pythonJsonDumps.ts';
import type { HttpResponse } from '../model/index.ts';
import { PythonFloat, type PythonValue } from '../model/pythonRepr.ts';
import { jsonBodyOf, renderBody, responseOfBody } from './responseBody.ts';

function rendered(document: PythonValue): HttpResponse {
  return responseOfBody(200, { 'content-type': 'application/json' }, renderBody(document));
}

describe('renderBody', () => {
  it('gives what JSON.parse gives for the rendered text', () => {
    const documents: PythonValue[] = [
      { resource_provider_generation: 3, inventories: { VCPU: { total: 8, allocation_ratio: new PythonFloat(16) } } },
      { zero: -0, floatZero: new PythonFloat(-0), half: 0.5, big: 1e21, tiny: new PythonFloat(1e-7), list: [1, new PythonFloat(2), null, 'x'] },
      { '10': 'integer-like keys first', a: 'b', '2': [true, false] },
      ['plain', { nested: { deeper: [] } }],
      'text "with" escapes\n\u00e9',
    ];
    for (const document of documents) {
      const response = rendered(document);
      const remembered = jsonBodyOf(response);
      const parsed: unknown = JSON.parse(response.body);
      expect(remembered).toEqual({ kind: 'json', value: parsed });
      if (remembered.kind === 'json') expect(JSON.stringify(remembered.value)).toBe(JSON.stringify(parsed));
    }
  });

  it('leaves documents it cannot rebuild to be parsed', () => {
    const response = rendered({ ratio: new PythonFloat(Number.NaN) });
    expect(jsonBodyOf(response)).toEqual({ kind: 'malformed' });
  });

  it('reads and serializes as the plain response it stands for', () => {
    const document = { uuid: 'c0ffee00-0000-4000-8000-000000000001', generation: 2 };
    const response = rendered(document);
    const plain = { status: 200, headers: { 'content-type': 'application/json' }, body: pythonJsonDumps(document) };
    expect(JSON.stringify(response)).toBe(JSON.stringify(plain));
    expect(Object.keys(response)).toEqual(Object.keys(plain));
    expect(response).toEqual(plain);
    // A copy is a plain object again, and its body is parsed from the text.
    expect(jsonBodyOf({ ...response })).toEqual(jsonBodyOf(response));
  });
});
