/**
 * UUID handling as oslo.utils and Python's `uuid` module do it.
 */
import type { PythonValue } from './pythonRepr.ts';

/**
 * 8-4-4-4-12 hexadecimal digits and nothing else: already a uuid's standard
 * form, but for case. (`/^[0-9a-fA-F]{8}-...-[0-9a-fA-F]{12}$/`, scanned by
 * hand: every request names uuids, and the scan costs less than the match.)
 */
export function isCanonicalUuid(value: string): boolean {
  if (value.length !== UUID_LENGTH) return false;
  return knownLowerCase.has(value) || hasCanonicalUuidShapeAt(value, 0, ANY_CASE_HEX_DIGITS);
}

/** `isCanonicalUuid` with lower-case digits only: the form `normalizeUuid` returns unchanged. */
export function isLowerCaseCanonicalUuid(value: string): boolean {
  if (value.length !== UUID_LENGTH) return false;
  if (knownLowerCase.has(value)) return true;
  if (!hasCanonicalUuidShapeAt(value, 0, LOWER_CASE_HEX_DIGITS)) return false;
  if (knownLowerCase.size >= KNOWN_LOWER_CASE_MAX) knownLowerCase.clear();
  knownLowerCase.add(value);
  return true;
}

/**
 * Texts already found to be lower-case canonical uuids. A run names the
 * same few uuids (its providers' and consumers', by role) in every request
 * and every check, and the engine finds a string it has hashed before in a
 * set for less than the 36-character scan costs. A memo of a pure test
 * (only texts that pass are kept, so a hit answers what the scan would),
 * bounded by wiping at many runs' worth of uuids.
 */
const knownLowerCase = new Set<string>();
const KNOWN_LOWER_CASE_MAX = 256;

/** Whether the 36 characters of `text` from `start` on are a lower-case canonical uuid (for scanners of longer texts). */
export function isLowerCaseCanonicalUuidAt(text: string, start: number): boolean {
  return start >= 0 && start + UUID_LENGTH <= text.length && hasCanonicalUuidShapeAt(text, start, LOWER_CASE_HEX_DIGITS);
}

export const UUID_LENGTH = 36;

/** 1 at the character codes of the digits each form allows. */
const LOWER_CASE_HEX_DIGITS = hexDigitTable('0123456789abcdef');
const ANY_CASE_HEX_DIGITS = hexDigitTable('0123456789abcdefABCDEF');

function hexDigitTable(digits: string): Uint8Array {
  const table = new Uint8Array(128);
  for (let index = 0; index < digits.length; index += 1) table[digits.charCodeAt(index)] = 1;
  return table;
}

const DASH = 0x2d;

/** The 36 characters from `start` on (which the caller has checked are there) in the 8-4-4-4-12 form with `digits`. */
function hasCanonicalUuidShapeAt(text: string, start: number, digits: Uint8Array): boolean {
  // The four dashes first: they settle most strings that are not uuids without a loop.
  if (text.charCodeAt(start + 8) !== DASH || text.charCodeAt(start + 13) !== DASH || text.charCodeAt(start + 18) !== DASH || text.charCodeAt(start + 23) !== DASH) {
    return false;
  }
  for (let offset = 0; offset < UUID_LENGTH; offset += 1) {
    if (offset === 8 || offset === 13 || offset === 18 || offset === 23) continue;
    // Codes past the table (non-ASCII) read as undefined: not a digit.
    if (digits[text.charCodeAt(start + offset)] !== 1) return false;
  }
  return true;
}

function stripUuidDecorations(value: string): string {
  let text = value.replace(/urn:/g, '').replace(/uuid:/g, '');
  text = text.replace(/^[{}]+|[{}]+$/g, '');
  return text.replace(/-/g, '').toLowerCase();
}

/**
 * `uuidutils.is_uuid_like`: 32 hexadecimal digits once dashes, braces and
 * `urn:uuid:` prefixes are removed; dashes may sit anywhere.
 */
export function isUuidLike(value: PythonValue | undefined): boolean {
  if (typeof value !== 'string') return false;
  // The usual spelling passes both checks below; skip their rewriting.
  if (isLowerCaseCanonicalUuid(value) || isCanonicalUuid(value)) return true;
  const hex = stripUuidDecorations(value);
  return /^[0-9a-f]{32}$/.test(hex) && pythonUuidAccepts(value);
}

/** `uuid.UUID(text)` accepts braces and a `urn:uuid:` prefix, then dashes anywhere. */
function pythonUuidAccepts(value: string): boolean {
  let text = value.replace('urn:', '').replace('uuid:', '');
  text = text.replace(/^[{}]+|[{}]+$/g, '').replace(/-/g, '');
  return /^[0-9a-fA-F]{32}$/.test(text);
}

/** `str(uuid.UUID(text))`: lower-case with dashes in the standard places. */
export function normalizeUuid(value: string): string {
  if (isLowerCaseCanonicalUuid(value)) return value;
  if (isCanonicalUuid(value)) return value.toLowerCase();
  const hex = stripUuidDecorations(value);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** A version-4-shaped uuid made from a counter, for ids the service invents. */
export function uuidFromCounter(prefix: number, counter: number): string {
  const high = prefix.toString(16).padStart(8, '0').slice(-8);
  const low = counter.toString(16).padStart(12, '0').slice(-12);
  return `${high}-0000-4000-8000-${low}`;
}
