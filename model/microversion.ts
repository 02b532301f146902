/**
 * Microversions of the Placement API, as Placement 8.0.0 negotiates them.
 *
 * A version is kept as a single number `major * 1000 + minor` so that
 * comparisons are plain integer comparisons on the hot path.
 */
export type Microversion = number;

export const MIN_MICROVERSION: Microversion = 1_000;
export const MAX_MICROVERSION: Microversion = 1_039;

export function microversion(major: number, minor: number): Microversion {
  return major * 1000 + minor;
}

export function formatMicroversion(version: Microversion): string {
  return `${Math.floor(version / 1000)}.${version % 1000}`;
}

export type MicroversionNegotiation =
  | { readonly kind: 'ok'; readonly version: Microversion }
  /** The header named a version the service does not offer: 406. */
  | { readonly kind: 'unacceptable'; readonly message: string }
  /** The header could not be parsed as a version: 400. */
  | { readonly kind: 'malformed'; readonly message: string };

/**
 * Reads `OpenStack-API-Version: placement X.Y` the way microversion_parse
 * does: comma-separated values are scanned from the last one, the first whose
 * service is `placement` wins; no header means the minimum version; `latest`
 * means the maximum.
 */
export function negotiateMicroversion(headerValue: string | undefined): MicroversionNegotiation {
  const key = headerValue ?? '';
  const known = headerValue === undefined ? undefined : negotiated.get(key);
  if (known !== undefined) return known;
  const result = negotiate(headerValue);
  if (headerValue !== undefined) {
    if (negotiated.size >= NEGOTIATED_MAX) negotiated.clear();
    negotiated.set(key, result);
  }
  return result;
}

/**
 * Negotiations already made, per header value: clients send the same few.
 * A memo of a pure function (results are immutable), bounded by wiping.
 */
const negotiated = new Map<string, MicroversionNegotiation>();
const NEGOTIATED_MAX = 256;

function negotiate(headerValue: string | undefined): MicroversionNegotiation {
  const requested = placementVersionFromHeader(headerValue) ?? '1.0';
  const versionString = requested === 'latest' ? formatMicroversion(MAX_MICROVERSION) : requested;
  const parsed = parseVersionString(versionString);
  if (parsed.kind !== 'ok') return parsed;
  const { major, minor } = parsed;
  const version = microversion(major, minor);
  // Python compares str(Version) with the list of known versions, so "1.05"
  // parses as 1.5 and is accepted.
  if (major === 1 && minor >= 0 && version <= MAX_MICROVERSION) {
    return { kind: 'ok', version };
  }
  return {
    kind: 'unacceptable',
    message: `Invalid microversion: Unacceptable version header: ${versionString}`,
  };
}

function placementVersionFromHeader(headerValue: string | undefined): string | undefined {
  if (headerValue === undefined) return undefined;
  const parts = headerValue.split(',');
  for (let index = parts.length - 1; index >= 0; index -= 1) {
    const words = (parts[index] ?? '').trim().split(/\s+/);
    if (words.length < 2) continue;
    const [service, ...rest] = words;
    if ((service ?? '').toLowerCase() === 'placement') return rest.join(' ').trim();
  }
  return undefined;
}

type ParsedVersion =
  | { readonly kind: 'ok'; readonly major: number; readonly minor: number }
  | { readonly kind: 'malformed'; readonly message: string };

function parseVersionString(versionString: string): ParsedVersion {
  const dot = versionString.indexOf('.');
  const pieces = dot < 0 ? [versionString] : [versionString.slice(0, dot), versionString.slice(dot + 1)];
  const numbers: number[] = [];
  for (const piece of pieces) {
    const trimmed = piece.trim();
    if (!/^[+-]?\d+$/.test(trimmed)) {
      return {
        kind: 'malformed',
        message: `Invalid microversion: invalid version string: ${versionString}; invalid literal for int() with base 10: '${piece}'`,
      };
    }
    numbers.push(Number.parseInt(trimmed, 10));
  }
  const [major, minor] = numbers;
  if (major === undefined || minor === undefined) {
    return {
      kind: 'malformed',
      // Python 3.10+ names the namedtuple's class in the TypeError.
      message: `Invalid microversion: invalid version string: ${versionString}; Version.__new__() missing 1 required positional argument: 'minor'`,
    };
  }
  return { kind: 'ok', major, minor };
}
