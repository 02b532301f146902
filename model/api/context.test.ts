/**
 * A request built from a document is read back as that document without
 * parsing; this must give exactly what parsing its text gives, for every
 * document, including those the shortcut refuses (floats, -0, holes,
 * undefined members), which are parsed as before.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeRequest } from '../decodeRequest.ts';
import { placementRequest } from '../http.ts';
import { parsePythonJson, type JsonParse } from '../pythonJson.ts';
import { pythonRepr } from '../pythonRepr.ts';
import { parseRequestBody } from './context.ts';

/** JSON-like documents with the values a careless client could put in: floats, -0, undefined, holes. */
const document = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom<unknown>(null, true, false, 0, -0, 1, -7, 2 ** 53, 1.5, 1e21, undefined, '', 'é', '\ud800'),
    fc.integer(),
    fc.double(),
    fc.string(),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.sparseArray(fc.integer(), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.string(), fc.constantFrom('0', '10', 'toJSON')), tie('value'), { maxKeys: 4 }),
  ),
})).value;

/**
 * A parse as Python would print it: keys in order, ints and floats told
 * apart. (Not a structural comparison: under the test runner, fast-check's
 * objects and the parser's may come from different realms.)
 */
function shown(parse: JsonParse): string {
  return parse.kind === 'ok' ? `ok ${pythonRepr(parse.value)}` : `error ${parse.message}`;
}

describe('rememberSentBody', () => {
  it('reads back what parsing the sent text gives', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), document, { maxKeys: 4 }), (body) => {
        const request = placementRequest('PUT', '/allocations/x', { microversion: '1.39', body });
        const text = request.body ?? '';
        const expected = parsePythonJson(text);
        expect(shown(parseRequestBody(request))).toBe(shown(expected));
      }),
      { numRuns: 2_000 },
    );
  });

  it('takes the document itself for a plain integer body', () => {
    const body = { allocations: { a: { resources: { VCPU: 2 } } }, consumer_generation: null, project_id: 'p' };
    const request = placementRequest('PUT', '/allocations/x', { microversion: '1.39', body });
    const reading = parseRequestBody(request);
    expect(reading).toEqual({ kind: 'ok', value: body });
    expect(reading.kind === 'ok' && reading.value).toBe(body);
  });

  it('reads a copy of the request through its text, and the decoded context as the document', () => {
    const body = { name: 'rp-a', uuid: 'a0000000-0000-4000-8000-000000000001' };
    const request = placementRequest('POST', '/resource_providers', { microversion: '1.39', body });
    const copy = { ...request };
    const fromCopy = parseRequestBody(copy);
    expect(fromCopy).toEqual({ kind: 'ok', value: body });
    expect(fromCopy.kind === 'ok' && fromCopy.value).not.toBe(body);
    const decoded = decodeRequest(request);
    expect(decoded.kind).toBe('routed');
    const fromContext = decoded.kind === 'routed' ? parseRequestBody(decoded.context) : null;
    expect(fromContext?.kind === 'ok' && fromContext.value).toBe(body);
  });
});
