/**
 * The main job's command line: the same seed gives the same output whatever
 * the number of worker threads, and bad input is a usage error (exit 2).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const directory = mkdtempSync(join(tmpdir(), 'fuzz-cli-'));
const tsx = join(import.meta.dirname, '..', 'node_modules', '.bin', 'tsx');
afterAll(() => rmSync(directory, { recursive: true, force: true }));

function runFuzz(args: readonly string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(tsx, [join(import.meta.dirname, 'fuzz.ts'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('npm run fuzz', () => {
  it('prints the same campaign, shrinking included, on one thread and on two', async () => {
    const [one, two] = [join(directory, 'one'), join(directory, 'two')];
    const common = ['--seed', '7', '--runs', '40', '--isolation', 'snapshot'];
    const [sequential, parallel] = await Promise.all([runFuzz([...common, '--jobs', '1', '--report-dir', one]), runFuzz([...common, '--jobs', '2', '--report-dir', two])]);
    expect(sequential.status).toBe(1);
    expect(parallel.status).toBe(1);
    expect(sequential.stdout).toContain('first failing seed');
    expect(sequential.stdout).toContain('shrunk to');
    expect(parallel.stdout.replaceAll(two, 'DIR')).toBe(sequential.stdout.replaceAll(one, 'DIR'));
  }, 120_000);

  it('refuses --all-reports for a live target, whose campaigns report every failing run', async () => {
    const result = await runFuzz(['--target', 'http://127.0.0.1:9', '--all-reports']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--all-reports only applies to --target sim');
  });

  it('runs until its time limit when given no --runs', async () => {
    const result = await runFuzz(['--seed', '7', '--time-limit', '1', '--no-shrink', '--report-dir', join(directory, 'timed')]);
    expect(result.stdout).toContain('runs until the 1 s limit');
    const stopped = /stopped early after (\d+) runs \(time limit\)/.exec(result.stdout);
    expect(stopped).not.toBeNull();
    expect(Number(stopped?.[1])).toBeGreaterThan(0);
  }, 60_000);

  it('refuses --jobs 0 with a usage error', async () => {
    const result = await runFuzz(['--jobs', '0']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--jobs must be at least 1');
  });
});
