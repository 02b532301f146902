/**
 * The HTTP surface of the model: a request and a response as plain data.
 *
 * Header names are lower-case. Bodies are raw text so that malformed JSON,
 * wrong content types and oversized payloads can be expressed exactly as a
 * client would send them.
 */
import { rememberSentBody } from './api/context.ts';
import type { Inventory } from './state.ts';

export interface HttpRequest {
  readonly method: string;
  /** Path with optional query string, e.g. `/resource_providers?name=x`. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | null;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** Raw response body; the empty string when the service sends none. */
  readonly body: string;
}

/** An inventory's six fields as request bodies name them, in Placement's order. */
export function inventoryRequestFields(inventory: Inventory): Record<string, number> {
  return {
    total: inventory.total,
    reserved: inventory.reserved,
    min_unit: inventory.minUnit,
    max_unit: inventory.maxUnit,
    step_size: inventory.stepSize,
    allocation_ratio: inventory.allocationRatio,
  };
}

/** Builds a request with the usual headers of an admin client at a microversion. */
export function placementRequest(
  method: string,
  path: string,
  options: { readonly microversion?: string; readonly body?: unknown; readonly token?: string } = {},
): HttpRequest {
  const headers: Record<string, string> = {
    'x-auth-token': options.token ?? 'admin',
    accept: 'application/json',
  };
  if (options.microversion !== undefined) {
    headers['openstack-api-version'] = versionHeader(options.microversion);
  }
  let body: string | null = null;
  if (options.body !== undefined) {
    if (typeof options.body === 'string') {
      body = options.body;
    } else {
      body = JSON.stringify(options.body);
      // Whoever reads this body (the target, the model) gets the document back without parsing.
      rememberSentBody(body, options.body);
    }
    headers['content-type'] = 'application/json';
  }
  return { method, path, headers, body };
}

/**
 * The version header per microversion, one string each: whoever reads it
 * next (microversion negotiation's memo) finds a string already hashed
 * instead of hashing a new copy per request. Bounded by wiping.
 */
const versionHeaders = new Map<string, string>();

function versionHeader(microversion: string): string {
  let header = versionHeaders.get(microversion);
  if (header === undefined) {
    header = `placement ${microversion}`;
    if (versionHeaders.size >= 256) versionHeaders.clear();
    versionHeaders.set(microversion, header);
  }
  return header;
}
