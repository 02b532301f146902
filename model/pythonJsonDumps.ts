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
  // Appending to one string (the engine builds it as a rope) rather than
  // mapping and joining: every response body passes through here.
  if (Array.isArray(value)) {
    const items: readonly PythonValue[] = value;
    let out = '[';
    for (let index = 0; index < items.length; index += 1) {
      if (index > 0) out += ', ';
      out += pythonJsonDumps(items[index] ?? null);
    }
    return `${out}]`;
  }
  const record = value as { readonly [key: string]: PythonValue };
  // `in` rather than a list from `Object.keys` (a new array for every object); it also lists inherited
  // names, which are skipped, so the members and their order are the own ones'.
  let out = '{';
  let first = true;
  for (const key in record) {
    if (!Object.prototype.hasOwnProperty.call(record, key)) continue;
    const prefixes = memberPrefixes(key);
    out += first ? prefixes[0] : prefixes[1];
    first = false;
    // Leaves (most members) are written here rather than through a recursive call.
    const member = record[key] ?? null;
    if (typeof member === 'string') out += quote(member);
    else if (typeof member === 'number' && Number.isInteger(member)) out += String(member);
    else out += pythonJsonDumps(member);
  }
  return `${out}}`;
}

/**
 * What goes before a member's value: `"key": `, and `, "key": ` for all but
 * the first. Bodies use few keys (field names, the run's uuids, resource
 * classes), so keeping these saves building (and later flattening) the same
 * small strings for every member of every body. A memo of a pure function;
 * keys are property names, whose hashes the engine already holds. Bounded by
 * wiping.
 */
const prefixesByKey = new Map<string, readonly [string, string]>();
const PREFIXES_MAX = 512;

function memberPrefixes(key: string): readonly [string, string] {
  let prefixes = prefixesByKey.get(key);
  if (prefixes === undefined) {
    const first = `${quote(key)}: `;
    prefixes = [first, `, ${first}`];
    if (prefixesByKey.size >= PREFIXES_MAX) prefixesByKey.clear();
    prefixesByKey.set(key, prefixes);
  }
  return prefixes;
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

/** Printable ASCII other than the quote and the backslash: what `quote` passes through unchanged. */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** One UTF-16 unit that `quote` escapes (no `u` flag: surrogates are escaped one by one, as Python does). */
const NOT_PLAIN = /[^\x20\x21\x23-\x5b\x5d-\x7e]/g;

function quote(text: string): string {
  if (text.length > QUOTED_LENGTH_MAX) return quoteUncached(text);
  let quoted = quotedTexts.get(text);
  if (quoted === undefined) {
    quoted = quoteUncached(text);
    if (quotedTexts.size >= QUOTED_TEXTS_MAX) quotedTexts.clear();
    quotedTexts.set(text, quoted);
  }
  return quoted;
}

/**
 * Texts already quoted. Bodies repeat the same few strings run after run
 * (the role uuids, links built from them, names, class names, error
 * details, each detail the same string object, see `renderError`), and
 * finding one here costs less than testing it and building its quoted copy
 * anew (or escaping it, which calls back per newline). A memo of a pure
 * function, bounded by wiping and by the length of the texts it keeps.
 */
const quotedTexts = new Map<string, string>();
const QUOTED_TEXTS_MAX = 512;
const QUOTED_LENGTH_MAX = 1_024;

function quoteUncached(text: string): string {
  // Most strings (uuids, names, class names) need no escaping; the others
  // (error details with newlines) are escaped by one native pass that
  // calls back only for the characters to escape.
  if (PLAIN.test(text)) return `"${text}"`;
  return `"${text.replace(NOT_PLAIN, escapeCharacter)}"`;
}

function escapeCharacter(character: string): string {
  return ESCAPES[character] ?? `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;
}
