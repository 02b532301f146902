/**
 * `npm run bench`: throughput of every part, against its goal.
 *   - the pure model (goal: 1,000,000 allocation/inventory commands/s on 10 providers);
 *   - in-process simulation runs, 4 clients x 10 requests (goal: 2,000 runs/s);
 *   - time to first detection of each defect over 20 seeds (goal: 1 s median);
 *   - the linearizability checker (goal: 1,000 requests x 8 clients under 1 s; 10,000 partitioned under 5 s);
 *   - conformance against the real Placement (requests/s; goal: harness share under 5 %);
 *   - resetting the real Placement between live runs (goal: median under 100 ms).
 * Options: --quick (smaller sizes), --skip-real (no real service).
 */
import Table from 'cli-table3';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { benchmarkCampaign, type SimulationBenchmark } from '../campaign/benchmarkSimulation.ts';
import { benchmarkModel } from '../model/benchmark.ts';
import { benchmarkConformance } from '../properties/conformance/benchmark.ts';
import { placementConformanceTarget } from '../properties/conformance/conformanceTarget.ts';
import { FINDINGS } from '../properties/findings.ts';
import { benchmarkLinearizability, DEFAULT_BENCHMARK_CASES, renderBenchmark } from '../properties/linearizability/benchmark.ts';
import { populate } from '../services/placement/reset-check.ts';
import { resetPlacement, startPlacement, stopPlacement, type PlacementService } from '../services/placement/service.ts';
import type { BenchSimulationRequest } from './benchSimulationWorker.ts';
import { parseOptions, usageError } from './options.ts';

const USAGE = 'usage: npm run bench -- [--quick] [--skip-real] [--port N]';
const now = (): number => performance.now();
const say = (text: string): void => {
  process.stdout.write(`${text}\n`);
};
const plain = { head: [], border: [] };

async function main(): Promise<void> {
  const parsed = parseOptions(process.argv.slice(2), { quick: 'boolean', 'skip-real': 'boolean', port: 'integer', help: 'boolean' }, USAGE);
  if (parsed.kind === 'error') return usageError(parsed.message, USAGE);
  if (parsed.values.help === true) return say(USAGE);
  const quick = parsed.values.quick === true;

  say('== model (pure, one core) ==');
  const model = benchmarkModel({ nowMilliseconds: now, ...(quick ? { commandsCount: 50_000, requestsCount: 5_000, rounds: 3 } : {}) });
  const modelTable = new Table({ head: ['measure', 'value', 'goal'], style: plain });
  modelTable.push(
    ['allocation/inventory commands/s (applyCommand, 10 providers)', Math.round(model.commandsPerSecond).toLocaleString('en'), '>= 1,000,000'],
    ['HTTP-level requests/s (handle)', Math.round(model.requestsPerSecond).toLocaleString('en'), ''],
  );
  say(modelTable.toString());

  say('== simulation (in-process placement-8.0.0, snapshot isolation) ==');
  const simulation = await simulationInItsOwnThread(quick ? { runsCount: 100, detectionSeeds: 5, warmUpRuns: 50 } : { runsCount: 2_000, detectionSeeds: 20, warmUpRuns: 1_000 });
  const jobs = availableParallelism();
  const campaignRuns = quick ? 300 : 20_000;
  const campaign = await benchmarkCampaign(now, campaignRuns, jobs);
  const simulationTable = new Table({ head: ['measure', 'value', 'goal'], style: plain });
  simulationTable.push(
    ['runs/s, 4 clients x 10 requests, all invariants checked (one thread, warm)', simulation.runsPerSecond.toFixed(0), '>= 2,000'],
    ['requests/s through the simulation (one thread)', simulation.requestsPerSecond.toFixed(0), ''],
    [`runs/s, ${campaignRuns.toLocaleString('en')} such runs as a campaign on ${jobs} worker threads (start included, no reports)`, campaign.runsPerSecond.toFixed(0), '>= 2,000'],
    [`runs/s, the same campaign's second half (compiled: what a long campaign sustains)`, campaign.sustainedRunsPerSecond.toFixed(0), '>= 2,000'],
  );
  say(simulationTable.toString());
  const defectTable = new Table({ head: ['defect', 'detected', 'median time to first detection', 'median runs', 'goal'], style: plain });
  for (const row of simulation.defects) {
    defectTable.push([
      row.defect,
      `${row.seedsDetected}/${row.seedsTried}`,
      row.medianMilliseconds === null ? '-' : `${row.medianMilliseconds.toFixed(0)} ms`,
      row.medianRuns ?? '-',
      '<= 1 s',
    ]);
  }
  say(defectTable.toString());

  say('== linearizability checker ==');
  const cases = quick ? DEFAULT_BENCHMARK_CASES.filter((item) => item.requestsCount <= 1_000) : DEFAULT_BENCHMARK_CASES;
  say(renderBenchmark(benchmarkLinearizability({ now, seed: 'bench', cases })));

  if (parsed.values['skip-real'] === true) return say('== real Placement: skipped (--skip-real) ==');
  say('== conformance against the real Placement 8.0.0 (sqlite) ==');
  const started = await startPlacement({ port: parsed.values.port ?? 18_790, database: 'sqlite' });
  if (!started.ok) return say(`skipped: cannot start the real Placement: ${started.failure.message}`);
  try {
    const target = placementConformanceTarget(started.value.url, { database: 'sqlite', timeoutMs: 30_000 });
    const result = await benchmarkConformance({ target, findings: FINDINGS, seed: 7, requests: quick ? 500 : 2_000 });
    const table = new Table({ head: ['measure', 'value', 'goal'], style: plain });
    table.push(
      ['requests/s (sequential, one client)', result.requestsPerSecond.toFixed(0), ''],
      ['harness share of wall time', `${(result.harnessShare * 100).toFixed(1)} %`, '< 5 %'],
      ['outcome', result.outcome, 'passed'],
    );
    const resets = await benchmarkResets(started.value, quick ? 5 : 20);
    table.push(['reset of a populated service, median round trip', typeof resets === 'string' ? resets : `${resets.toFixed(1)} ms`, '< 100 ms']);
    say(table.toString());
  } finally {
    await stopPlacement(started.value);
  }
}

/** The one-thread simulation benchmark, made in a fresh worker thread (see benchSimulationWorker.ts). */
function simulationInItsOwnThread(sizes: Omit<BenchSimulationRequest, 'entry'>): Promise<SimulationBenchmark> {
  const request: BenchSimulationRequest = { entry: new URL('./benchSimulationWorker.ts', import.meta.url).href, ...sizes };
  const worker = new Worker(new URL('../campaign/workerBootstrap.mjs', import.meta.url), { workerData: request });
  return new Promise((resolve, reject) => {
    // Set by benchSimulationWorker.ts, which posts exactly one SimulationBenchmark.
    worker.once('message', (result: SimulationBenchmark) => {
      resolve(result);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the simulation benchmark's thread exited (code ${code}) without a result`)));
  });
}

/** Median milliseconds to reset a service with rows in every table, or why it could not be measured. */
async function benchmarkResets(service: PlacementService, cycles: number): Promise<number | string> {
  const emptied = await resetPlacement(service);
  if (!emptied.ok) return `not measured: ${emptied.failure.message}`;
  const roundTrips: number[] = [];
  for (let cycle = 0; cycle < cycles; cycle += 1) {
    const populated = await populate(service.url);
    if (!populated.ok) return `not measured: ${populated.failure.message}`;
    const reset = await resetPlacement(service);
    if (!reset.ok) return `not measured: ${reset.failure.message}`;
    roundTrips.push(reset.value.roundTripMs);
  }
  const sorted = [...roundTrips].sort((left, right) => left - right);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

void main();
