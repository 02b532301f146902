/**
 * A response's JSON body, parsed once per response object.
 *
 * The client that got a response learns from it during the run, then most
 * invariants and the linearizability checker read it again; parsing once
 * serves them all. Callers must treat the value as read-only, since every
 * caller gets the same one.
 */
import type { HttpResponse } from '../model/index.ts';
import { memoByIdentity } from './memoByIdentity.ts';

/** A body that is empty or not declared JSON, one that does not parse, or its value. */
export type JsonBody = { readonly kind: 'none' } | { readonly kind: 'malformed' } | { readonly kind: 'json'; readonly value: unknown };

const NONE: JsonBody = { kind: 'none' };
const MALFORMED: JsonBody = { kind: 'malformed' };

export const jsonBodyOf: (response: HttpResponse) => JsonBody = memoByIdentity(parseUncached);

/** The parsed body of a JSON response; `null` when it has none or it does not parse. */
export function parseBody(response: HttpResponse): unknown {
  const parsed = jsonBodyOf(response);
  return parsed.kind === 'json' ? parsed.value : null;
}

function parseUncached(response: HttpResponse): JsonBody {
  if (response.body === '' || !(response.headers['content-type'] ?? '').includes('json')) return NONE;
  try {
    return { kind: 'json', value: JSON.parse(response.body) as unknown };
  } catch {
    return MALFORMED;
  }
}
