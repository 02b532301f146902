import { describe, expect, it } from 'vitest';
import { renderError, type ErrorContext, type PlacementError } from '../../../model/errors.ts';
import { microversion } from '../../../model/microversion.ts';
import { jsonBodyOf } from '../../responseBody.ts';
import { renderErrorOf } from './errorResponses.ts';

const MESSAGES = [
  'consumer generation conflict - expected 3 but got 1',
  "No allocations for consumer 'c0ffee00-0000-4000-8000-000000000001'",
  'a',
  '-leading dash',
  'trailing dash-',
  '--',
  '!',
  'trailing bang!',
  'x--',
  'tag <b>inside</b> it',
  'half a tag < here',
  'half a tag > here',
  'comment <!-- in --> it',
  'new\nline',
  'carriage\rreturn',
  'quote " and backslash \\',
  'non-ASCII \u00e9 and \ud83d\ude00',
  'ampersand & apostrophe \'',
  '',
  ' spaces around ',
];

const STATUSES: readonly PlacementError['status'][] = [400, 401, 404, 405, 406, 409, 415, 500, 501];

function contextFor(requestId: string, version: number | null, accept: string): ErrorContext {
  return { microversion: version, requestId, method: 'PUT', accept, contentType: 'application/json' };
}

describe('renderErrorOf', () => {
  it('renders the same bytes and parse as renderError, for awkward messages and every status', () => {
    let counter = 0;
    for (const accept of ['application/json', 'text/html', 'text/plain']) {
      for (const version of [null, microversion(1, 0), microversion(1, 39)]) {
        for (const status of STATUSES) {
          for (const message of MESSAGES) {
            for (const code of [undefined, 'placement.concurrent_update'] as const) {
              counter += 1;
              const requestId = `req-00000000-0000-4000-8000-${counter.toString(16).padStart(12, '0')}`;
              const failure: PlacementError = code === undefined ? { status, message } : { status, message, code };
              const context = contextFor(requestId, version, accept);
              const fast = renderErrorOf(failure, context.microversion, context.requestId, counter, context.method, context.accept, context.contentType);
              const reference = renderError(failure, context);
              expect(fast).toEqual(reference);
              expect(Object.keys(fast.headers)).toEqual(Object.keys(reference.headers));
              expect(jsonBodyOf(fast)).toEqual(jsonBodyOf({ ...reference }));
            }
          }
        }
      }
    }
  });
});

describe('renderErrorOf remembered', () => {
  it('renders the same again for a message and id met before, at each microversion and status', () => {
    const requestId = 'req-00000000-0000-4000-8000-000000000001';
    for (let round = 0; round < 2; round += 1) {
      for (const version of [microversion(1, 0), microversion(1, 22), microversion(1, 23), microversion(1, 39)]) {
        for (const status of [400, 404, 409] as const) {
          for (const code of [undefined, 'placement.concurrent_update'] as const) {
            const failure: PlacementError = code === undefined ? { status, message: MESSAGES[0] as string } : { status, message: MESSAGES[0] as string, code };
            const context = contextFor(requestId, version, 'application/json');
            const fast = renderErrorOf(failure, context.microversion, context.requestId, 1, context.method, context.accept, context.contentType);
            const reference = renderError(failure, context);
            expect(fast).toEqual(reference);
            expect(Object.keys(fast.headers)).toEqual(Object.keys(reference.headers));
            expect(jsonBodyOf(fast)).toEqual(jsonBodyOf({ ...reference }));
          }
        }
      }
    }
  });
});
