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
  return hasCanonicalUuidShape(value, true);
}

/** `isCanonicalUuid` with lower-case digits only: the form `normalizeUuid` returns unchanged. */
export function isLowerCaseCanonicalUuid(value: string): boolean {
  return hasCanonicalUuidShape(value, false);
}

function hasCanonicalUuidShape(value: string, upperCaseAllowed: boolean): boolean {
  if (value.length !== 36) return false;
  for (let index = 0; index < 36; index += 1) {
    const code = value.charCodeAt(index);
    if (index === 8 || index === 13 || index === 18 || index === 23) {
      if (code !== 0x2d) return false;
    } else if (!((code >= 0x30 && code <= 0x39) || (code >= 0x61 && code <= 0x66) || (upperCaseAllowed && code >= 0x41 && code <= 0x46))) {
      return false;
    }
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
  if (isCanonicalUuid(value)) return true;
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
