import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePythonJson } from './pythonJson.ts';
import { PythonFloat } from './pythonRepr.ts';

describe('parsePythonJson', () => {
  it('keeps Python\'s int/float distinction', () => {
    expect(parsePythonJson('{"a": 2.0, "b": 2, "c": 1e3}')).toEqual({ kind: 'ok', value: { a: new PythonFloat(2), b: 2, c: new PythonFloat(1000) } });
  });

  it('reports malformed JSON with Python\'s message and position', () => {
    expect(parsePythonJson('{"name": }')).toEqual({ kind: 'error', message: 'Expecting value: line 1 column 10 (char 9)' });
    expect(parsePythonJson('')).toEqual({ kind: 'error', message: 'Expecting value: line 1 column 1 (char 0)' });
    expect(parsePythonJson('[1, 2] x')).toEqual({ kind: 'error', message: 'Extra data: line 1 column 8 (char 7)' });
  });

  it('accepts NaN and Infinity as Python does', () => {
    const parsed = parsePythonJson('[NaN, -Infinity]');
    expect(parsed.kind).toBe('ok');
  });

  it('gives the same value through the fast path as JSON.parse for integer-only documents', () => {
    const integerJson = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.integer(),
        fc.string(),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('value'), { maxLength: 4 }),
        fc.dictionary(fc.string(), tie('value'), { maxKeys: 4 }),
      ),
    })).value;
    fc.assert(
      fc.property(integerJson, (value) => {
        const text = JSON.stringify(value);
        expect(parsePythonJson(text)).toEqual({ kind: 'ok', value: JSON.parse(text) as unknown });
      }),
      { seed: 42, numRuns: 300 },
    );
  });
});
