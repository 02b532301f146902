/**
 * Starts the real Placement service (sqlite by default; set
 * PLACEMENT_TEST_DATABASES=sqlite,mariadb,postgresql for the others), checks
 * it answers, that a reset is equivalent to a fresh database (how fast it
 * is, `npm run bench` measures), and that stopping is clean and idempotent. Fails, never skips, when Placement
 * cannot be installed or started.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databasesUnderTest } from './forTests.ts';
import { isPortFree, isRunning, findFreePort } from './processes.ts';
import { checkResetEquivalence, populate } from './reset-check.ts';
import {
  fetchVersionDocument,
  resetPlacement,
  startPlacement,
  stopPlacement,
  type PlacementService,
} from './service.ts';

const resetCycles = 5;

describe.each(databasesUnderTest())('real Placement service on %s', (database) => {
  let service: PlacementService | undefined;
  let stopped = false;

  function running(): PlacementService {
    if (service === undefined) throw new Error('Placement was not started (see the failure of the setup hook)');
    return service;
  }

  beforeAll(async () => {
    const port = await findFreePort();
    const started = await startPlacement({ port, database, workers: 4 });
    if (!started.ok) {
      throw new Error(`Placement could not be installed or started (${started.failure.kind} error): ${started.failure.message}`);
    }
    service = started.value;
  }, 900_000);

  afterAll(async () => {
    if (service !== undefined && !stopped) await stopPlacement(service);
  }, 120_000);

  it('answers GET / with the version document of Placement 8.0.0 (microversions up to 1.39)', async () => {
    const document = await fetchVersionDocument(running().url);
    expect(document?.versions[0]).toMatchObject({ id: 'v1.0', min_version: '1.0', max_version: '1.39', status: 'CURRENT' });
  });

  it('resets to a state equivalent to a freshly started service', async () => {
    // Must run first among the mutating tests: it compares with the fresh database.
    const report = await checkResetEquivalence(running(), true);
    if (!report.ok) throw new Error(report.failure.message);
    expect(report.value.workersProbed).toBe(running().workers);
  }, 120_000);

  it('resets a populated service again and again: each reset lets the same writes succeed as on a fresh one', async () => {
    // How fast a reset is belongs to `npm run bench`; here only what it does.
    const emptied = await resetPlacement(running());
    if (!emptied.ok) throw new Error(emptied.failure.message);
    for (let attempt = 0; attempt < resetCycles; attempt += 1) {
      // Rows in every table and moved id counters; each step checks its status (201 for a
      // custom class or trait only when the reset really removed the last one).
      const populated = await populate(running().url);
      if (!populated.ok) throw new Error(`cycle ${attempt}: ${populated.failure.message}`);
      const reset = await resetPlacement(running());
      if (!reset.ok) throw new Error(`cycle ${attempt}: ${reset.failure.message}`);
    }
  }, 120_000);

  it('stops every process it started, frees the port, and stops idempotently', async () => {
    const current = running();
    const first = await stopPlacement(current);
    if (!first.ok) throw new Error(first.failure.message);
    stopped = true;
    expect(first.value.map((entry) => entry.role)).toContain('uwsgi');
    expect(first.value.every((entry) => entry.outcome !== 'not running')).toBe(true);
    expect(current.processes.filter((record) => isRunning(record.pid))).toEqual([]);
    expect(await isPortFree(current.port)).toBe(true);
    const second = await stopPlacement(current);
    expect(second).toEqual({ ok: true, value: [] });
    // Logs are only interesting when something failed before this point.
    rmSync(current.stateDirectory, { recursive: true, force: true });
  }, 120_000);
});
