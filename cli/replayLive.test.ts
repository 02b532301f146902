/**
 * `npm run replay` of live reports, end to end on the real Placement 8.0.0
 * (sqlite), started through services/placement. Fails, never skips, when
 * the service cannot be installed or started.
 *
 * The report is recorded here rather than taken from the corpus: the
 * sequential phantom consumer (an empty-allocations PUT for a new consumer,
 * then a PUT with consumer_generation null for it, by one client) breaks
 * consumer-lifecycle on every run, whereas the corpus reports depend on an
 * interleaving the service chooses again on each attempt.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLiveProgram } from '../campaign/runLiveSeed.ts';
import { buildLiveFailureReport, type LiveFailureReport } from '../reports/liveFailureReport.ts';
import { readLiveFailureReport, validateLiveFailureReport } from '../reports/readLiveFailureReport.ts';
import { stableJson } from '../reports/stableJson.ts';
import { startPlacementForTest } from '../services/placement/forTests.ts';
import { stopPlacement, type PlacementService } from '../services/placement/service.ts';
import { authorityFor } from '../sim/live/resetAuthority.ts';
import type { Program } from '../sim/program/program.ts';
import { deriveRunOptions } from '../sim/runOptions.ts';

const PROJECT = new URL('../', import.meta.url).pathname;
const PROVIDER = '7c1d2b7e-5a0f-4c55-9d0e-1f3c2b4a5d01';
const CONSUMER = '7c1d2b7e-5a0f-4c55-9d0e-1f3c2b4a5d02';

let service: PlacementService | undefined;
let directory = '';

function running(): PlacementService {
  if (service === undefined) throw new Error('Placement was not started (see the failure of the setup hook)');
  return service;
}

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'placement-sim-replay-live-'));
  service = await startPlacementForTest('sqlite', 4, 'live replay');
}, 900_000);

afterAll(async () => {
  if (service !== undefined) await stopPlacement(service);
  if (directory !== '') rmSync(directory, { recursive: true, force: true });
}, 120_000);

function replayCli(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('npx', ['tsx', 'cli/replay.ts', ...args], { cwd: PROJECT }, (error, stdout, stderr) =>
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : null, stdout, stderr }),
    );
  });
}

/** Runs the phantom-consumer program once on the service and keeps its report, as a live campaign would. */
async function recordPhantomReport(): Promise<LiveFailureReport> {
  const program: Program = {
    providers: [{ uuid: PROVIDER, name: 'replay-test-provider', inventories: { VCPU: { total: 4, reserved: 0, minUnit: 1, maxUnit: 4, stepSize: 1, allocationRatio: 1 } } }],
    consumers: [CONSUMER],
    setupAllocations: [],
    clients: [
      [
        { kind: 'putAllocations', microversion: '1.39', consumer: CONSUMER, allocations: [], generation: 'null' },
        { kind: 'putAllocations', microversion: '1.39', consumer: CONSUMER, allocations: [{ provider: PROVIDER, resources: { VCPU: 1 } }], generation: 'null' },
      ],
      [{ kind: 'readUsages', provider: PROVIDER }],
    ],
  };
  const options = deriveRunOptions('1', { clientsCount: 2 });
  const result = await runLiveProgram(options, program, { authority: authorityFor(running()), limits: { requestTimeoutMs: 30_000 }, checkTimeLimitMs: 10_000 });
  if ('kind' in result) throw new Error(result.message);
  expect(result.violations.map((violation) => violation.invariant)).toContain('consumer-lifecycle');
  const target = { target: running().url, url: running().url, database: 'sqlite', workers: running().workers };
  return buildLiveFailureReport('1', result, target, 'default', { clientsCount: 2 }, { version: 'test', commit: 'test' }, 'npm run replay -- <this file>');
}

describe('npm run replay of live reports (real Placement, sqlite)', () => {
  it('re-sends the recorded program and exits 1 when the violation reproduces', async () => {
    const report = await recordPhantomReport();
    const path = join(directory, 'phantom.json');
    writeFileSync(path, `${stableJson(report)}\n`);

    // The report's own target is the test's service, which this project started: no --allow-reset needed.
    const replay = await replayCli(path, '--attempts', '2');
    expect(replay.stderr).not.toContain('live replay failed');
    expect(replay.stdout).toMatch(/attempt 1\/2: reproduced \(consumer-lifecycle(, linearizable)?\): consumer .* exists \(generation 0\) with no allocations/);
    expect(replay.stdout).toContain('3/3 recorded requests sent in the recorded start order');
    expect(replay.stdout).toContain('reproduced: 1 of 1 attempts (stopped at the first reproduction');
    expect(replay.code).toBe(1);

    // The reproducing attempt's report sits next to the original and is itself replayable.
    const written = join(directory, 'phantom-replay-1.json');
    expect(existsSync(written)).toBe(true);
    const reread = readLiveFailureReport(written);
    if (reread.kind !== 'ok') throw new Error(`the replay's report does not read back: ${JSON.stringify(reread)}`);
    expect(reread.report.violations.map((violation) => violation.invariant)).toContain('consumer-lifecycle');
    expect(reread.report.program).toEqual(report.program);
    expect(reread.report.replay).toBe(`npm run replay -- ${written}`);
  }, 40_000);

  it('exits 2 with a message for a corrupted live report, and refuses live options for in-process reports', async () => {
    const original = JSON.parse(readFileSync(join(PROJECT, 'reports/regressions/live/sqlite-phantom-consumer-empty-allocations-seed-1003.json'), 'utf8')) as Record<string, unknown>;
    expect(validateLiveFailureReport(original).ok).toBe(true);

    const withoutProgram = join(directory, 'no-program.json');
    writeFileSync(withoutProgram, JSON.stringify({ ...original, program: undefined }));
    const corrupted = await replayCli(withoutProgram);
    expect(corrupted.code).toBe(2);
    expect(corrupted.stderr).toContain('$.program must be an object, got nothing');

    const problems = (changed: Record<string, unknown>): string => {
      const read = validateLiveFailureReport({ ...original, ...changed });
      return read.ok ? 'accepted' : read.message;
    };
    expect(problems({ schemaVersion: 2 })).toMatch(/schemaVersion is 2; this version replays live reports of schemaVersion 1\. Replay it with the version of placement-sim that wrote it/);
    expect(problems({ violations: [] })).toContain('nothing to reproduce');
    expect(problems({ violations: [{ invariant: 'no-such-invariant', summary: '', explanation: [], operations: [], data: {} }] })).toContain('$.violations[0].invariant must be one of');
    const history = original['history'] as readonly Record<string, unknown>[];
    expect(problems({ history: history.map((operation) => (operation['client'] === 3 ? { ...operation, step: 7 } : operation)) })).toMatch(
      /client 3's step 7, but its next step in invocation order is 0: the program and the history do not belong together/,
    );
    expect(problems({ history: history.map((operation, index) => (index === 9 ? { ...operation, completedAt: 'soon' } : operation)) })).toContain('$.history[9].completedAt must be a finite number');
    const program = original['program'] as Record<string, unknown>;
    expect(problems({ program: { ...program, clients: [[{ kind: 'teleport' }]] } })).toContain('$.program.clients[0][0].kind must be one of');

    const inProcess = await replayCli(join(PROJECT, 'reports/regressions/finding-phantom-consumer.json'), '--attempts', '2');
    expect(inProcess.code).toBe(2);
    expect(inProcess.stderr).toContain('--attempts only applies to live reports');
  }, 30_000);
});
