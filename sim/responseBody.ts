/**
 * A response's JSON body, parsed once per response object.
 *
 * The client that got a response learns from it during the run, and then
 * most invariants read it again; parsing once serves them all. Callers
 * must treat the value as read-only, since every caller gets the same one.
 */
import type { HttpResponse } from '../model/index.ts';

// JSON.parse never yields `undefined`, so a miss is told apart from a parsed `null`.
const parsedBodies = new WeakMap<HttpResponse, unknown>();

/** The parsed body of a JSON response; `null` when it has none or it does not parse. */
export function parseBody(response: HttpResponse): unknown {
  const known = parsedBodies.get(response);
  if (known !== undefined) return known;
  const parsed = parseUncached(response);
  parsedBodies.set(response, parsed);
  return parsed;
}

function parseUncached(response: HttpResponse): unknown {
  if (response.body === '' || !(response.headers['content-type'] ?? '').includes('json')) return null;
  try {
    return JSON.parse(response.body) as unknown;
  } catch {
    return null;
  }
}
