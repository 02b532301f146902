/**
 * Live runs end to end on the real Placement 8.0.0 (4 workers) on each
 * database PLACEMENT_TEST_DATABASES names (sqlite by default; CI names all
 * three), started through services/placement. Fails, never skips, when the
 * service cannot be installed or started. Kept small: campaigns are for the
 * CLI.
 */
import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLiveSeed, type LiveSeedResult } from '../../campaign/runLiveSeed.ts';
import { checkConsumerLifecycle } from '../../properties/invariants/consumerLifecycle.ts';
import { findFreePort } from '../../services/placement/processes.ts';
import { databasesUnderTest, startPlacementForTest } from '../../services/placement/forTests.ts';
import { stopPlacement, type PlacementService } from '../../services/placement/service.ts';
import type { History } from '../history.ts';
import type { Program } from '../program/program.ts';
import { authorityFor, resolveResetAuthority } from './resetAuthority.ts';
import { runLive, type LiveRun } from './runLive.ts';

/** What every live history must satisfy, whatever the service answered. */
function expectWellFormed(history: History, program: Program): void {
  const operations = history.operations;
  expect(new Set(operations.map((operation) => operation.id)).size).toBe(operations.length);
  expect([...operations.map((operation) => operation.id)].sort((left, right) => left - right)).toEqual(operations.map((_, index) => index));
  for (const [index, operation] of operations.entries()) {
    if (index > 0) expect(operation.invokedAt).toBeGreaterThanOrEqual(operations[index - 1]?.invokedAt ?? 0);
    if (operation.completedAt !== null) expect(operation.completedAt).toBeGreaterThanOrEqual(operation.invokedAt);
    expect(operation.completion.kind === 'unknown').toBe(operation.completedAt === null);
  }
  const setup = operations.filter((operation) => operation.client === -1);
  const clients = operations.filter((operation) => operation.client >= 0);
  const snapshot = operations.filter((operation) => operation.client === -2);
  expect(setup.length + clients.length + snapshot.length).toBe(operations.length);
  const setupEnd = Math.max(...setup.map((operation) => operation.completedAt ?? Number.POSITIVE_INFINITY));
  const clientsEnd = Math.max(...clients.map((operation) => operation.completedAt ?? 0));
  for (const operation of clients) expect(operation.invokedAt).toBeGreaterThanOrEqual(setupEnd);
  for (const operation of snapshot) expect(operation.invokedAt).toBeGreaterThanOrEqual(clientsEnd);
  // Each client sends its actions in order, one at a time.
  for (const [client, actions] of program.clients.entries()) {
    const own = clients.filter((operation) => operation.client === client);
    expect(own.map((operation) => operation.step)).toEqual(actions.map((_, step) => step).slice(0, own.length));
    for (let step = 1; step < own.length; step += 1) {
      expect(own[step]?.invokedAt ?? 0).toBeGreaterThanOrEqual(own[step - 1]?.completedAt ?? Number.POSITIVE_INFINITY);
    }
  }
}

describe.each(databasesUnderTest())('live runs on the real Placement (%s)', (database) => {
  let service: PlacementService | undefined;

  const running = (): PlacementService => {
    if (service === undefined) throw new Error('Placement was not started (see the failure of the setup hook)');
    return service;
  };

  beforeAll(async () => {
    service = await startPlacementForTest(database, 4, `live runs on ${database}`);
  }, 900_000);

  afterAll(async () => {
    if (service !== undefined) await stopPlacement(service);
  }, 120_000);

  it('runs generated programs concurrently and checks them', async () => {
    const results: LiveSeedResult[] = [];
    for (const seed of ['1', '2', '3']) {
      const result = await runLiveSeed(seed, {
        authority: authorityFor(running()),
        overrides: { clientsCount: 3, commandsPerClient: 3 },
        scenario: 'default',
        limits: { requestTimeoutMs: 30_000 },
        checkTimeLimitMs: 10_000,
      });
      if ('kind' in result) throw new Error(result.message);
      results.push(result);
      expectWellFormed(result.run.history, result.program);
      expect(result.run.clientRequestsCount).toBe(result.run.history.operations.filter((operation) => operation.client >= 0).length);
      // Every snapshot read answered, and every consumer showing no allocations was probed.
      const snapshot = result.run.history.operations.filter((operation) => operation.client === -2);
      expect(snapshot.every((operation) => operation.completion.kind === 'response')).toBe(true);
      for (const probe of result.run.consumerProbes) expect(result.program.consumers).toContain(probe.consumer);
      expect(result.run.consumerProbes.every((probe) => probe.outcome.kind !== 'inconclusive')).toBe(true);
      for (const violation of [...result.violations, ...result.undecided]) expect(violation.explanation.length).toBeGreaterThan(0);
    }
    // The clients overlapped: some client request started before another one finished.
    const overlapping = results.some(({ run }) => {
      const clients = run.history.operations.filter((operation) => operation.client >= 0);
      return clients.some((left) => clients.some((right) => left.client !== right.client && right.invokedAt < (left.completedAt ?? 0) && right.invokedAt > left.invokedAt));
    });
    expect(overlapping).toBe(true);
  }, 45_000);

  it('probes find the consumer row an empty-allocations PUT leaves behind (Placement 8.0.0)', async () => {
    const provider = '5b0b8ea4-0c2f-4c1e-9d55-6d7d0f9b1a01';
    const phantom = '5b0b8ea4-0c2f-4c1e-9d55-6d7d0f9b1a02';
    const untouched = '5b0b8ea4-0c2f-4c1e-9d55-6d7d0f9b1a03';
    const program: Program = {
      providers: [{ uuid: provider, name: 'live-test-provider', inventories: { VCPU: { total: 4, reserved: 0, minUnit: 1, maxUnit: 4, stepSize: 1, allocationRatio: 1 } } }],
      consumers: [phantom, untouched],
      setupAllocations: [],
      clients: [[{ kind: 'putAllocations', microversion: '1.39', consumer: phantom, allocations: [], generation: 'null' }], [{ kind: 'readUsages', provider }]],
    };
    const run = await runLive(program, authorityFor(running()));
    if ('kind' in run) throw new Error(run.message);
    expectWellFormed(run.history, program);
    const probes = new Map(run.consumerProbes.map((probe) => [probe.consumer, probe.outcome] as const));
    expect(probes.get(phantom)).toEqual({ kind: 'exists', generation: 0 });
    expect(probes.get(untouched)).toEqual({ kind: 'absent' });
    const violations = checkConsumerLifecycle(recordOf(program, run));
    expect(violations.map((violation) => violation.summary)).toEqual([`consumer ${phantom} exists (generation 0) with no allocations`]);
    // The probes changed nothing: a second probe run after a fresh read says the same.
    const again = await runLive({ ...program, clients: [[], []] }, authorityFor(running()));
    if ('kind' in again) throw new Error(again.message);
    expect(again.consumerProbes.map((probe) => probe.outcome)).toEqual([{ kind: 'absent' }, { kind: 'absent' }]);
  }, 30_000);

  it('refuses to reset a URL this project did not start unless told to', async () => {
    const port = await findFreePort();
    const refused = resolveResetAuthority(`http://127.0.0.1:${port}`, false);
    expect(refused.kind).toBe('refused');
    expect(resolveResetAuthority(`http://127.0.0.1:${port}`, true).kind).toBe('forced');
    expect(resolveResetAuthority(running().url, false).kind).toBe('recorded');
    const cli = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      execFile('npx', ['tsx', 'cli/fuzz.ts', '--target', `http://127.0.0.1:${port}`, '--runs', '1'], { cwd: new URL('../../', import.meta.url).pathname }, (error, _stdout, stderr) =>
        resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : null, stderr }),
      );
    });
    expect(cli.code).toBe(2);
    expect(cli.stderr).toContain('is not a Placement service this project started');
  }, 30_000);
});

function recordOf(program: Program, run: LiveRun) {
  return { program, history: run.history, details: new Map(), faults: [], tables: null, stalled: run.stalled, liveConsumerProbes: run.consumerProbes } as const;
}
