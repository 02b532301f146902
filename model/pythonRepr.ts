/**
 * Python's `repr()` and `pprint.pformat()` for JSON values.
 *
 * Placement builds many error messages with `%s`/`%r` of Python objects and
 * with jsonschema's error text (which pretty-prints the failing schema and
 * instance), so the model needs the same rendering to produce the same bytes.
 * JSON numbers are rendered as Python would after `json.loads`: integers as
 * `int`, anything with a fraction or exponent as `float`.
 */

export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** Keeps the Python type of a number that JSON.parse would lose (2.0 vs 2). */
export class PythonFloat {
  constructor(readonly value: number) {}
}

export type PythonValue =
  | null
  | boolean
  | number
  | PythonFloat
  | string
  | readonly PythonValue[]
  | { readonly [key: string]: PythonValue };

export function pythonRepr(value: PythonValue): string {
  if (value === null) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (value instanceof PythonFloat) return pythonFloatRepr(value.value);
  if (typeof value === 'number') return Number.isInteger(value) ? pythonIntRepr(value) : pythonFloatRepr(value);
  if (typeof value === 'string') return pythonStringRepr(value);
  if (Array.isArray(value)) return `[${value.map((item: PythonValue) => pythonRepr(item)).join(', ')}]`;
  const entries = Object.entries(value as { readonly [key: string]: PythonValue });
  return `{${entries.map(([key, item]) => `${pythonStringRepr(key)}: ${pythonRepr(item)}`).join(', ')}}`;
}

function pythonIntRepr(value: number): string {
  // A safe integer's shortest form is its exact digits, as `toFixed(0)` writes them (beyond 2^53 the
  // shortest form rounds them), and the engine keeps the texts of recent small numbers: generation
  // conflicts name a few over and over.
  if (Number.isSafeInteger(value)) return String(value);
  if (Math.abs(value) < 1e21) return value.toFixed(0);
  return BigInt(value).toString();
}

export function pythonFloatRepr(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  if (Object.is(value, -0)) return '-0.0';
  const shortest = String(value);
  const exponent = Math.floor(Math.log10(Math.abs(value || 1)));
  // Python switches to exponent notation below 1e-4 and from 1e16 on.
  if (value !== 0 && (exponent < -4 || exponent >= 16)) {
    const [mantissa = '', power = '0'] = value.toExponential().split('e');
    const powerNumber = Number.parseInt(power, 10);
    const sign = powerNumber < 0 ? '-' : '+';
    const digits = String(Math.abs(powerNumber)).padStart(2, '0');
    return `${mantissa}e${sign}${digits}`;
  }
  if (shortest.includes('e')) {
    // JavaScript uses exponents from 1e21; expand into plain digits.
    return `${BigInt(value).toString()}.0`;
  }
  return shortest.includes('.') ? shortest : `${shortest}.0`;
}

export function pythonStringRepr(value: string): string {
  const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
  let out = quote;
  for (const character of value) {
    const code = character.codePointAt(0) ?? 0;
    if (character === quote || character === '\\') out += `\\${character}`;
    else if (character === '\n') out += '\\n';
    else if (character === '\r') out += '\\r';
    else if (character === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (code >= 0x80 && code < 0xa0) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += character;
  }
  return out + quote;
}

/**
 * `pprint.pformat(value, width)` with Python's defaults (indent 1,
 * sort_dicts=True, compact=False), as jsonschema uses it with width 72.
 */
export function pythonPformat(value: PythonValue, width = 80): string {
  const out: string[] = [];
  formatInto(out, value, 0, 0, 1, width);
  return out.join('');
}

function isDict(value: PythonValue): value is { readonly [key: string]: PythonValue } {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof PythonFloat);
}

/** pprint's `_safe_repr` with sort_dicts=True: `repr()`, but every dict's keys in sorted order. */
function sortedRepr(value: PythonValue): string {
  if (Array.isArray(value)) return `[${value.map((item: PythonValue) => sortedRepr(item)).join(', ')}]`;
  if (!isDict(value)) return pythonRepr(value);
  const entries = Object.entries(value).sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0));
  return `{${entries.map(([key, item]) => `${pythonStringRepr(key)}: ${sortedRepr(item)}`).join(', ')}}`;
}

function formatInto(out: string[], value: PythonValue, indent: number, allowance: number, level: number, width: number): void {
  const rep = sortedRepr(value);
  const maxWidth = width - indent - allowance;
  if (rep.length <= maxWidth) {
    out.push(rep);
    return;
  }
  if (isDict(value)) {
    formatDict(out, value, indent, allowance, level + 1, width);
    return;
  }
  if (Array.isArray(value)) {
    formatList(out, value as readonly PythonValue[], indent, allowance, level + 1, width);
    return;
  }
  if (typeof value === 'string') {
    formatString(out, value, indent, allowance, level, width);
    return;
  }
  out.push(rep);
}

function formatDict(
  out: string[],
  value: { readonly [key: string]: PythonValue },
  indent: number,
  allowance: number,
  level: number,
  width: number,
): void {
  out.push('{');
  const items = Object.entries(value).sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0));
  const itemIndent = indent + 1;
  const lastIndex = items.length - 1;
  items.forEach(([key, item], index) => {
    const last = index === lastIndex;
    const keyRep = pythonStringRepr(key);
    out.push(keyRep, ': ');
    formatInto(out, item, itemIndent + keyRep.length + 2, last ? allowance + 1 : 1, level, width);
    if (!last) out.push(`,\n${' '.repeat(itemIndent)}`);
  });
  out.push('}');
}

function formatList(out: string[], value: readonly PythonValue[], indent: number, allowance: number, level: number, width: number): void {
  out.push('[');
  const itemIndent = indent + 1;
  const lastIndex = value.length - 1;
  value.forEach((item, index) => {
    const last = index === lastIndex;
    if (index > 0) out.push(`,\n${' '.repeat(itemIndent)}`);
    formatInto(out, item, itemIndent, last ? allowance + 1 : 1, level, width);
  });
  out.push(']');
}

/** pprint splits a long string at whitespace into implicitly joined pieces. */
function formatString(out: string[], value: string, indent: number, allowance: number, level: number, width: number): void {
  if (value.length === 0) {
    out.push(pythonStringRepr(value));
    return;
  }
  let lineIndent = indent;
  let lineAllowance = allowance;
  if (level === 1) {
    lineIndent += 1;
    lineAllowance += 1;
  }
  const lines = value.match(/[^\n]*\n|[^\n]+$/g) ?? [value];
  const maxWidth = width - lineIndent;
  const chunks: string[] = [];
  lines.forEach((line, lineIndex) => {
    const isLastLine = lineIndex === lines.length - 1;
    const maxWidthFirst = isLastLine ? maxWidth - lineAllowance : maxWidth;
    const rep = pythonStringRepr(line);
    if (rep.length <= maxWidthFirst) {
      chunks.push(rep);
      return;
    }
    const parts = line.match(/\S*\s*/g)?.filter((part) => part.length > 0) ?? [line];
    let current = '';
    parts.forEach((part, partIndex) => {
      const candidate = current + part;
      const limit = partIndex === parts.length - 1 && isLastLine ? maxWidth - lineAllowance : maxWidth;
      if (pythonStringRepr(candidate).length > limit) {
        if (current) chunks.push(pythonStringRepr(current));
        current = part;
      } else {
        current = candidate;
      }
    });
    if (current) chunks.push(pythonStringRepr(current));
  });
  if (chunks.length === 1) {
    out.push(pythonStringRepr(value));
    return;
  }
  if (level === 1) out.push('(');
  chunks.forEach((chunk, index) => {
    if (index > 0) out.push(`\n${' '.repeat(lineIndent)}`);
    out.push(chunk);
  });
  if (level === 1) out.push(')');
}

/** The numeric value of an int or float, or `null` for anything else (including bool). */
export function pythonNumber(value: PythonValue | undefined): number | null {
  if (value instanceof PythonFloat) return value.value;
  return typeof value === 'number' ? value : null;
}
