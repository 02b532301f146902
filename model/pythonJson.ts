/**
 * `json.loads` as Placement's Python runs it: the same accepted inputs
 * (including NaN and Infinity), the same float/int distinction, and the same
 * error messages with line, column and character offsets, so that
 * "Malformed JSON: ..." details match the real service byte for byte.
 */
import { PythonFloat, type PythonValue } from './pythonRepr.ts';

export type JsonParse =
  | { readonly kind: 'ok'; readonly value: PythonValue }
  | { readonly kind: 'error'; readonly message: string };

/** Nesting deeper than this is refused rather than risking the stack. */
const DEPTH_MAX = 2_000;

class DecodeError {
  constructor(readonly message: string, readonly position: number) {}
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
/**
 * Text with no `.`, `e` or `E` outside string literals (so no float
 * syntax): tested in one pass, without building the text with strings
 * blanked out. Strings are matched whole, escapes included, so a quote
 * escaped inside one does not end it.
 */
const NO_FLOAT_SYNTAX = /^(?:[^".eE]|"(?:[^"\\]|\\.)*")*$/;
const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?/y;

export function parsePythonJson(text: string): JsonParse {
  const fast = parseWithoutFloats(text);
  if (fast !== null) return { kind: 'ok', value: fast };
  // Python indexes strings by code point; work on an array of code points so
  // that reported offsets agree for non-BMP characters too.
  const characters = Array.from(text);
  const parser = new Parser(characters);
  try {
    const start = parser.skipWhitespace(0);
    const [value, end] = parser.value(start, 0);
    const after = parser.skipWhitespace(end);
    if (after !== characters.length) throw new DecodeError('Extra data', after);
    return { kind: 'ok', value };
  } catch (error) {
    if (error instanceof DecodeError) return { kind: 'error', message: describe(characters, error) };
    throw error;
  }
}

/**
 * The common case, fast: a document whose numbers are all integers parses
 * to the same value with the engine's JSON.parse (object keys become own
 * properties there too, `__proto__` included). Anything else (floats, whose
 * int/float distinction JSON.parse loses; NaN and Infinity, which it
 * refuses; malformed text, whose message must be Python's) takes the full
 * parser. Returns `null` to mean "not decided here".
 */
function parseWithoutFloats(text: string): PythonValue | null {
  if (!NO_FLOAT_SYNTAX.test(text)) return null;
  try {
    return JSON.parse(text) as PythonValue;
  } catch {
    return null;
  }
}

function describe(characters: readonly string[], error: DecodeError): string {
  let line = 1;
  let lastNewline = -1;
  for (let index = 0; index < error.position && index < characters.length; index += 1) {
    if (characters[index] === '\n') {
      line += 1;
      lastNewline = index;
    }
  }
  const column = error.position - lastNewline;
  return `${error.message}: line ${line} column ${column} (char ${error.position})`;
}

class Parser {
  constructor(private readonly characters: readonly string[]) {}

  skipWhitespace(position: number): number {
    let index = position;
    while (index < this.characters.length && WHITESPACE.has(this.characters[index] ?? '')) index += 1;
    return index;
  }

  value(position: number, depth: number): [PythonValue, number] {
    if (depth > DEPTH_MAX) throw new DecodeError('Expecting value', position);
    const character = this.characters[position];
    switch (character) {
      case '"':
        return this.string(position + 1);
      case '{':
        return this.object(position + 1, depth + 1);
      case '[':
        return this.array(position + 1, depth + 1);
      case 'n':
        if (this.matches(position, 'null')) return [null, position + 4];
        break;
      case 't':
        if (this.matches(position, 'true')) return [true, position + 4];
        break;
      case 'f':
        if (this.matches(position, 'false')) return [false, position + 5];
        break;
      case 'N':
        if (this.matches(position, 'NaN')) return [new PythonFloat(Number.NaN), position + 3];
        break;
      case 'I':
        if (this.matches(position, 'Infinity')) return [new PythonFloat(Infinity), position + 8];
        break;
      case '-':
        if (this.matches(position, '-Infinity')) return [new PythonFloat(-Infinity), position + 9];
        break;
      default:
        break;
    }
    return this.number(position);
  }

  private matches(position: number, word: string): boolean {
    for (let offset = 0; offset < word.length; offset += 1) {
      if (this.characters[position + offset] !== word[offset]) return false;
    }
    return true;
  }

  private number(position: number): [PythonValue, number] {
    // Numbers are ASCII, so a code-point offset is also a UTF-16 offset
    // within the run of ASCII that follows.
    const tail = this.characters.slice(position, position + 400).join('');
    NUMBER.lastIndex = 0;
    const match = NUMBER.exec(tail);
    if (match === null || match.index !== 0) throw new DecodeError('Expecting value', position);
    const text = match[0];
    const isFloat = match[1] !== undefined || match[2] !== undefined;
    const value = Number(text);
    return [isFloat ? new PythonFloat(value) : value, position + text.length];
  }

  private string(start: number): [string, number] {
    let index = start;
    let out = '';
    for (;;) {
      const character = this.characters[index];
      if (character === undefined) throw new DecodeError('Unterminated string starting at', start - 1);
      if (character === '"') return [out, index + 1];
      if (character === '\\') {
        const escape = this.characters[index + 1];
        if (escape === undefined) throw new DecodeError('Unterminated string starting at', start - 1);
        if (escape === 'u') {
          const [codeUnit, next] = this.unicodeEscape(index + 1);
          out += codeUnit;
          index = next;
          continue;
        }
        const decoded = SIMPLE_ESCAPES[escape];
        if (decoded === undefined) throw new DecodeError('Invalid \\escape', index);
        out += decoded;
        index += 2;
        continue;
      }
      if ((character.codePointAt(0) ?? 0) < 0x20) throw new DecodeError('Invalid control character at', index);
      out += character;
      index += 1;
    }
  }

  /** Decodes `\uXXXX`, joining a surrogate pair as Python does. */
  private unicodeEscape(uPosition: number): [string, number] {
    const first = this.hexAt(uPosition + 1);
    if (first === null) throw new DecodeError('Invalid \\uXXXX escape', uPosition - 1);
    let next = uPosition + 5;
    if (first >= 0xd800 && first <= 0xdbff && this.characters[next] === '\\' && this.characters[next + 1] === 'u') {
      const second = this.hexAt(next + 2);
      if (second === null) throw new DecodeError('Invalid \\uXXXX escape', next);
      if (second >= 0xdc00 && second <= 0xdfff) {
        next += 6;
        return [String.fromCharCode(first, second), next];
      }
    }
    return [String.fromCharCode(first), next];
  }

  private hexAt(position: number): number | null {
    const digits = this.characters.slice(position, position + 4).join('');
    if (!/^[0-9a-fA-F]{4}$/.test(digits)) return null;
    return Number.parseInt(digits, 16);
  }

  private object(start: number, depth: number): [PythonValue, number] {
    // A prototype-less object keeps a key such as `__proto__` an ordinary key.
    const result: Record<string, PythonValue> = Object.create(null) as Record<string, PythonValue>;
    let index = this.skipWhitespace(start);
    if (this.characters[index] === '}') return [result, index + 1];
    for (;;) {
      if (this.characters[index] !== '"') {
        throw new DecodeError('Expecting property name enclosed in double quotes', index);
      }
      const [key, afterKey] = this.string(index + 1);
      index = this.skipWhitespace(afterKey);
      if (this.characters[index] !== ':') throw new DecodeError("Expecting ':' delimiter", index);
      index = this.skipWhitespace(index + 1);
      const [value, afterValue] = this.value(index, depth);
      // Later duplicates win, as in a Python dict, but keep first position.
      result[key] = value;
      index = this.skipWhitespace(afterValue);
      const separator = this.characters[index];
      if (separator === '}') return [result, index + 1];
      if (separator !== ',') throw new DecodeError("Expecting ',' delimiter", index);
      index = this.skipWhitespace(index + 1);
    }
  }

  private array(start: number, depth: number): [PythonValue, number] {
    const result: PythonValue[] = [];
    let index = this.skipWhitespace(start);
    if (this.characters[index] === ']') return [result, index + 1];
    for (;;) {
      const [value, afterValue] = this.value(index, depth);
      result.push(value);
      index = this.skipWhitespace(afterValue);
      const separator = this.characters[index];
      if (separator === ']') return [result, index + 1];
      if (separator !== ',') throw new DecodeError("Expecting ',' delimiter", index);
      index = this.skipWhitespace(index + 1);
    }
  }
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};
