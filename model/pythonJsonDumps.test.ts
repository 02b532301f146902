import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePythonJson } from './pythonJson.ts';
import { pythonJsonDumps } from './pythonJsonDumps.ts';
import { PythonFloat, type PythonValue } from './pythonRepr.ts';

/** `json.dumps`'s string quoting with ensure_ascii, character by character: the slow path spelled out. */
function referenceQuote(text: string): string {
  const escapes: Readonly<Record<string, string>> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };
  let out = '"';
  for (let index = 0; index < text.length; index += 1) {
    const character = text[index] ?? '';
    const code = text.charCodeAt(index);
    out += escapes[character] ?? (code < 0x20 || code > 0x7e ? `\\u${code.toString(16).padStart(4, '0')}` : character);
  }
  return `${out}"`;
}

/** Strings mixing plain ASCII with everything that needs escaping, and the letters that look like float syntax. */
const text = fc.string({ unit: fc.oneof(fc.constantFrom('a', 'e', 'E', '.', '1', '"', '\\', '\n', '\t', '\u0001', '\u007f', 'é', '\ud83d', '\ude00'), fc.string({ minLength: 1, maxLength: 1, unit: 'binary' })), maxLength: 12 });

const value: fc.Arbitrary<PythonValue> = fc.letrec<{ value: PythonValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.integer().map((number): PythonValue => number),
    fc.double().map((number): PythonValue => new PythonFloat(number)),
    text.map((string): PythonValue => string),
    fc.constantFrom<PythonValue>(null, true, false),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(text, tie('value'), { maxKeys: 4 }),
  ),
})).value;

describe('pythonJsonDumps', () => {
  it('quotes strings as json.dumps does', () => {
    fc.assert(
      fc.property(text, (string) => {
        expect(pythonJsonDumps(string)).toBe(referenceQuote(string));
      }),
      { numRuns: 2000 },
    );
  });

  it('round-trips through parsePythonJson, floats staying floats wherever strings hold float-like letters', () => {
    fc.assert(
      fc.property(value, (original) => {
        expect(parsePythonJson(pythonJsonDumps(original))).toEqual({ kind: 'ok', value: original });
      }),
      { numRuns: 1000 },
    );
  });

  it('writes separators as Python does', () => {
    expect(pythonJsonDumps({ a: [1, new PythonFloat(2), 'x'], b: {} })).toBe('{"a": [1, 2.0, "x"], "b": {}}');
  });
});
