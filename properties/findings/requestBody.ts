/**
 * A request's JSON body as Placement's json.loads reads it (NaN and
 * Infinity included), with floats as plain numbers: what findings need to
 * recognise a request.
 */
import type { HttpRequest } from '../../model/index.ts';
import { parsePythonJson } from '../../model/pythonJson.ts';
import { PythonFloat, type PythonValue } from '../../model/pythonRepr.ts';

/** `undefined` when there is no body or it does not parse. */
export function requestBody(request: HttpRequest): unknown {
  if (request.body === null) return undefined;
  const parsed = parsePythonJson(request.body);
  return parsed.kind === 'ok' ? plain(parsed.value) : undefined;
}

function plain(value: PythonValue): unknown {
  if (value instanceof PythonFloat) return value.value;
  if (Array.isArray(value)) return (value as readonly PythonValue[]).map(plain);
  if (typeof value === 'object' && value !== null) {
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value as { readonly [key: string]: PythonValue })) result[key] = plain(item);
    return result;
  }
  return value;
}

export function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
