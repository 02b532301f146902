/**
 * `json.dumps` with Python's defaults (", " and ": " separators,
 * ensure_ascii), so the served model's bodies match the real service's bytes.
 */
import { PythonFloat, pythonFloatRepr, type PythonValue } from './pythonRepr.ts';

export function pythonJsonDumps(value: PythonValue): string {
  if (value === null) return 'null';
  if (value === true) return 'true';
  if (value === false) return 'false';
  if (value instanceof PythonFloat) return floatText(value.value);
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : floatText(value);
  if (typeof value === 'string') return quote(value);
  if (Array.isArray(value)) return `[${value.map((item: PythonValue) => pythonJsonDumps(item)).join(', ')}]`;
  const record = value as { readonly [key: string]: PythonValue };
  return `{${Object.keys(record)
    .map((key) => `${quote(key)}: ${pythonJsonDumps(record[key] ?? null)}`)
    .join(', ')}}`;
}

function floatText(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  return pythonFloatRepr(value);
}

const ESCAPES: Readonly<Record<string, string>> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

function quote(text: string): string {
  let out = '"';
  for (let index = 0; index < text.length; index += 1) {
    const character = text[index] ?? '';
    const escaped = ESCAPES[character];
    if (escaped !== undefined) {
      out += escaped;
      continue;
    }
    const code = text.charCodeAt(index);
    if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += character;
  }
  return `${out}"`;
}
