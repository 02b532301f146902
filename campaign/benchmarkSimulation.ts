/**
 * Simulation benchmarks: in-process runs per second for 4 clients x 10
 * requests, and per defect the time and runs to first detection over 20
 * seeds. The clock is injected: this layer reads none.
 */
import { DEFECT_EXPECTATIONS, detectDefect } from './defectDetection.ts';
import { runSeed } from './runSeed.ts';

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

export function benchmarkSimulation(nowMilliseconds: () => number, runsCount = 300, detectionSeeds = 20): SimulationBenchmark {
  const started = nowMilliseconds();
  let requests = 0;
  for (let index = 0; index < runsCount; index += 1) {
    const result = runSeed(String(50_000 + index), {
      target: { profile: 'placement-8.0.0', isolation: 'snapshot', defects: [] },
      overrides: { clientsCount: 4, commandsPerClient: 10 },
    });
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
