import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GOLDEN_HISTORIES, allocate, answered, consumerUuid, responsesInWorld, setupState, SETUP } from '../properties/linearizability/goldenHistories.ts';
import type { HistoryFile } from '../properties/linearizability/historyFile.ts';

const directory = mkdtempSync(join(tmpdir(), 'check-cli-'));
const tsx = join(import.meta.dirname, '..', 'node_modules', '.bin', 'tsx');

function runCheck(args: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(tsx, [join(import.meta.dirname, 'check.ts'), ...args], { encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function writeHistory(name: string, content: unknown): string {
  const path = join(directory, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

function golden(verdict: 'ok' | 'illegal'): HistoryFile {
  const found = GOLDEN_HISTORIES.find((history) => history.verdict === verdict);
  if (found === undefined) throw new Error(`no ${verdict} golden history`);
  return found.file;
}

describe('npm run check', () => {
  it('exits 0 for a linearizable history', () => {
    const result = runCheck([writeHistory('ok.json', golden('ok'))]);
    expect(result.stdout).toMatch(/^linearizable/);
    expect(result.status).toBe(0);
  });

  it('exits 1 and prints a witness and a replay line for an illegal history', () => {
    const path = writeHistory('illegal.json', golden('illegal'));
    const result = runCheck([path]);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('NOT linearizable');
    expect(result.stdout.trim().split('\n').at(-1)).toBe(`replay: npm run check -- ${path} --time-limit-ms 60000 --memory-states-max 500000`);
  });

  it('exits 2 with a message naming the fault for an invalid file, a missing file or a bad option', () => {
    const invalid = runCheck([writeHistory('invalid.json', { schemaVersion: 1, initialRequests: [], operations: [{ id: 'x' }] })]);
    expect(invalid.status).toBe(2);
    expect(invalid.stderr).toContain('$.operations[0].id must be an integer');
    const missing = runCheck([join(directory, 'absent.json')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('cannot read');
    expect(runCheck(['--time-limit-ms', 'soon', 'x.json']).status).toBe(2);
    expect(runCheck([]).status).toBe(2);
  });

  it('exits 3 when the budget runs out', () => {
    const operations = [];
    for (let index = 0; index < 4; index += 1) {
      const put = allocate(consumerUuid(index), 1, null);
      operations.push(answered(index, index, put, 0, 10, responsesInWorld(setupState(), [put])[0] ?? { status: 0, headers: {}, body: '' }));
    }
    const fourth = operations[3];
    if (fourth === undefined) throw new Error('history too short');
    const last = { ...fourth, completion: { kind: 'response' as const, response: { status: 418, headers: {}, body: '' } } };
    const path = writeHistory('budget.json', { schemaVersion: 1, initialRequests: SETUP, operations: [...operations.slice(0, 3), last] });
    const result = runCheck([path, '--memory-states-max', '2']);
    expect(result.stdout).toMatch(/^unknown: a partition of 4 operations needed more than 2 memoised states/);
    expect(result.status).toBe(3);
  });

  it('prints the file format and the exit codes with --help', () => {
    const result = runCheck(['--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('"schemaVersion": 1');
    expect(result.stdout).toContain('3  unknown');
  });
});
