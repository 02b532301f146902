import { describe, expect, it } from 'vitest';
import { renderedErrorCode, renderError, type ErrorCode, type ErrorContext, type PlacementError } from './errors.ts';
import { microversion } from './microversion.ts';

const STATUSES: readonly PlacementError['status'][] = [400, 401, 403, 404, 405, 406, 409, 415, 500, 501];
const VERSIONS = [null, microversion(1, 0), microversion(1, 22), microversion(1, 23), microversion(1, 39)];
const ACCEPTS = ['application/json', 'text/html', 'text/plain', 'application/json;q=0', 'text/html;q=0.5, application/json', 'application/*', '*/*;q=0.1'];
const CODES: readonly (ErrorCode | undefined)[] = [undefined, 'placement.concurrent_update', 'placement.undefined_code'];

/** The first error's `code` as a reader of the rendered body finds it. */
function codeInBody(body: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  const errors = (parsed as { errors?: unknown } | null)?.errors;
  const first: unknown = Array.isArray(errors) ? errors[0] : undefined;
  const code = typeof first === 'object' && first !== null ? (first as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}

describe('renderedErrorCode', () => {
  it('is the code a reader finds in the rendered body, for every status, version, Accept and code', () => {
    let cases = 0;
    for (const status of STATUSES) {
      for (const version of VERSIONS) {
        for (const accept of ACCEPTS) {
          for (const code of CODES) {
            const failure: PlacementError = code === undefined ? { status, message: 'it failed <b>here</b>' } : { status, message: 'x', code };
            const context: ErrorContext = { microversion: version, requestId: 'req-1', method: 'PUT', accept, contentType: 'application/json' };
            expect(renderedErrorCode(failure, context), JSON.stringify({ status, version, accept, code })).toBe(codeInBody(renderError(failure, context).body));
            cases += 1;
          }
        }
      }
    }
    expect(cases).toBe(STATUSES.length * VERSIONS.length * ACCEPTS.length * CODES.length);
  });
});
