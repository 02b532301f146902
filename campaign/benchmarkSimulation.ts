/**
 * Simulation benchmarks: in-process runs per second for 4 clients x 10
 * requests, and per defect the time and runs to first detection over 20
 * seeds. The clock is injected: this layer reads none.
 */
import { DEFECT_EXPECTATIONS, detectDefect } from './defectDetection.ts';
import { runCampaign } from './runCampaign.ts';
import { runSeed, type RunSettings } from './runSeed.ts';

/** The benchmark's workload: the 4 clients x 10 requests, on the MariaDB-like isolation. */
const BENCHMARK_RUN: RunSettings = {
  target: { profile: 'placement-8.0.0', isolation: 'snapshot', defects: [] },
  overrides: { clientsCount: 4, commandsPerClient: 10 },
};

export interface SimulationBenchmark {
  readonly runsCount: number;
  /** Runs per second including every invariant check. */
  readonly runsPerSecond: number;
  readonly requestsPerSecond: number;
  readonly defects: readonly DefectBenchmark[];
}

export interface DefectBenchmark {
  readonly defect: string;
  readonly seedsDetected: number;
  readonly seedsTried: number;
  readonly medianMilliseconds: number | null;
  readonly medianRuns: number | null;
}

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.floor(sorted.length / 2)] ?? null;
}

/**
 * Runs per second on one thread: `warmUpRuns` first, unmeasured, then
 * `runsCount` measured. A campaign spends nearly all its time compiled, and
 * the compiler takes about a thousand runs to get there: in batches of 250
 * runs from a cold start, the rate climbs through the first four batches
 * and then levels off.
 */
export function benchmarkSimulation(nowMilliseconds: () => number, runsCount = 2_000, detectionSeeds = 20, warmUpRuns = 1_000): SimulationBenchmark {
  for (let index = 0; index < warmUpRuns; index += 1) runSeed(String(40_000 + index), BENCHMARK_RUN);
  const started = nowMilliseconds();
  let requests = 0;
  for (let index = 0; index < runsCount; index += 1) {
    const result = runSeed(String(50_000 + index), BENCHMARK_RUN);
    requests += result.run.history.operations.length;
  }
  const seconds = Math.max(1e-9, (nowMilliseconds() - started) / 1000);
  const defects = DEFECT_EXPECTATIONS.map((expectation): DefectBenchmark => {
    const times: number[] = [];
    const runs: number[] = [];
    for (let index = 0; index < detectionSeeds; index += 1) {
      // Each detection searches its own window of seeds.
      const seeds = Array.from({ length: 300 }, (_, offset) => String(100_000 + index * 1000 + offset));
      const before = nowMilliseconds();
      const detection = detectDefect(expectation, seeds);
      if (detection === null) continue;
      times.push(nowMilliseconds() - before);
      runs.push(detection.runs);
    }
    return {
      defect: expectation.defect,
      seedsDetected: times.length,
      seedsTried: detectionSeeds,
      medianMilliseconds: median(times),
      medianRuns: median(runs),
    };
  });
  return { runsCount, runsPerSecond: runsCount / seconds, requestsPerSecond: requests / seconds, defects };
}

export interface CampaignBenchmark {
  /** Runs per second of the whole campaign, worker start included. */
  readonly runsPerSecond: number;
  /** Runs per second over its second half, once every worker is compiled: what a long campaign sustains. */
  readonly sustainedRunsPerSecond: number;
}

/**
 * Runs per second of a whole campaign on `jobs` worker threads, worker start
 * included, without writing reports (the 8.0.0 profile fails most runs; a
 * campaign writes a report for the first of each kind only, so reports are
 * not what bounds a long one). Each worker compiles the code afresh and
 * takes about a thousand runs to reach its full rate, so a short campaign
 * measures mostly that start; the bench runs a long one, and also gives the
 * rate of its second half.
 */
export async function benchmarkCampaign(nowMilliseconds: () => number, runsCount: number, jobs: number): Promise<CampaignBenchmark> {
  const started = nowMilliseconds();
  const half = Math.floor(runsCount / 2);
  let halfwayAt = started;
  const summary = await runCampaign(
    {
      ...BENCHMARK_RUN,
      firstSeed: 50_000,
      runs: runsCount,
      shard: { index: 1, count: 1 },
      jobs,
      reportDirectory: null,
      checkDeterminism: false,
    },
    {
      onRunDone: (_digest, current) => {
        if (current.runs === half) halfwayAt = nowMilliseconds();
      },
    },
  );
  const ended = nowMilliseconds();
  return {
    runsPerSecond: summary.runs / Math.max(1e-9, (ended - started) / 1000),
    sustainedRunsPerSecond: (summary.runs - half) / Math.max(1e-9, (ended - halfwayAt) / 1000),
  };
}
