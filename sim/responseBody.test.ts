import { describe, expect, it } from 'vitest';
import { pythonJsonDumps } from '../model/pythonJsonDumps.ts';
import { PythonFloat, type PythonValue } from '../model/pythonRepr.ts';
import { jsonBodyOf, rememberRenderedBody } from './responseBody.ts';

function rendered(document: PythonValue): { readonly status: number; readonly headers: Readonly<Record<string, string>>; readonly body: string } {
  return { status: 200, headers: { 'content-type': 'application/json' }, body: pythonJsonDumps(document) };
}

describe('rememberRenderedBody', () => {
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
      rememberRenderedBody(response, document);
      const remembered = jsonBodyOf(response);
      const parsed: unknown = JSON.parse(response.body);
      expect(remembered).toEqual({ kind: 'json', value: parsed });
      if (remembered.kind === 'json') expect(JSON.stringify(remembered.value)).toBe(JSON.stringify(parsed));
    }
  });

  it('leaves documents it cannot rebuild to be parsed', () => {
    const response = rendered({ ratio: new PythonFloat(Number.NaN) });
    rememberRenderedBody(response, { ratio: new PythonFloat(Number.NaN) });
    expect(jsonBodyOf(response)).toEqual({ kind: 'malformed' });
  });
});
