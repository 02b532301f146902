import { describe, expect, it } from 'vitest';
import { GOLDEN_HISTORIES } from './goldenHistories.ts';
import { HISTORY_FILE_FORMAT, initialStateOf, parseHistoryFile } from './historyFile.ts';

const valid = GOLDEN_HISTORIES[0]?.file;

function withOperation(change: (operation: Record<string, unknown>) => void): string {
  const copy = JSON.parse(JSON.stringify(valid)) as { operations: Record<string, unknown>[] };
  const first = copy.operations[0];
  if (first === undefined) throw new Error('golden history without operations');
  change(first);
  return JSON.stringify(copy);
}

describe('parseHistoryFile', () => {
  it('reads back what it describes', () => {
    const parsed = parseHistoryFile(JSON.stringify(valid));
    expect(parsed).toEqual({ kind: 'ok', file: valid });
  });

  it.each([
    ['{', /^not JSON/],
    ['[]', /\$ must be an object, got an array/],
    ['{"schemaVersion": 2, "initialRequests": [], "operations": []}', /\$\.schemaVersion must be 1, got 2/],
    ['{"schemaVersion": 1, "operations": []}', /\$\.initialRequests must be an array, got nothing/],
    ['{"schemaVersion": 1, "initialRequests": [{"method": "GET"}], "operations": []}', /\$\.initialRequests\[0\]\.path must be a string/],
  ])('explains what is wrong with %s', (text, message) => {
    const parsed = parseHistoryFile(text);
    expect(parsed.kind).toBe('error');
    if (parsed.kind === 'error') expect(parsed.message).toMatch(message);
  });

  it('names the operation field at fault', () => {
    const cases: [(operation: Record<string, unknown>) => void, RegExp][] = [
      [(operation) => (operation['completedAt'] = -5), /\$\.operations\[0\]\.completedAt -5 is before invokedAt/],
      [(operation) => (operation['completedAt'] = null), /completedAt must be a number when the completion is a response/],
      [(operation) => (operation['completion'] = { kind: 'maybe' }), /\$\.operations\[0\]\.completion\.kind must be "response" or "unknown"/],
      [(operation) => (operation['request'] = { method: 'GET', path: '/', headers: { a: 1 }, body: null }), /headers\["a"\] must be a string/],
      [(operation) => (operation['id'] = 1), /\$\.operations\[1\]\.id 1 is already used by \$\.operations\[0\]/],
    ];
    for (const [change, message] of cases) {
      const parsed = parseHistoryFile(withOperation(change));
      expect(parsed.kind).toBe('error');
      if (parsed.kind === 'error') expect(parsed.message).toMatch(message);
    }
  });

  it('accepts an unknown outcome without completedAt', () => {
    const parsed = parseHistoryFile(
      withOperation((operation) => {
        operation['completedAt'] = null;
        operation['completion'] = { kind: 'unknown', reason: 'timeout' };
      }),
    );
    expect(parsed.kind).toBe('ok');
  });

  it('builds the initial state from the setup requests', () => {
    if (valid === undefined) throw new Error('no golden history');
    expect(initialStateOf(valid).providers.size).toBe(2);
  });

  it('documents every top-level field it reads', () => {
    for (const field of ['schemaVersion', 'initialRequests', 'operations', 'invokedAt', 'completedAt', 'completion']) {
      expect(HISTORY_FILE_FORMAT).toContain(field);
    }
  });
});
