/**
 * The bench's one-thread simulation measurement, made in a worker thread of
 * its own (started by `bench.ts` through the campaign's worker bootstrap).
 * A fresh thread is a fresh JavaScript engine, as each campaign worker is:
 * measured in the bench's own thread after the model benchmark, the same
 * runs went about a quarter slower, because that benchmark had already
 * trained the compiler on the model's code with other shapes of data.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { benchmarkSimulation, type SimulationBenchmark } from '../campaign/benchmarkSimulation.ts';

export interface BenchSimulationRequest {
  readonly entry: string;
  readonly runsCount: number;
  readonly detectionSeeds: number;
  readonly warmUpRuns: number;
}

const port = parentPort;
if (port === null) throw new Error('benchSimulationWorker.ts runs as a worker thread, started by bench.ts');
// Set by bench.ts, the only code that starts this file.
const request = workerData as BenchSimulationRequest;
const result: SimulationBenchmark = benchmarkSimulation(() => performance.now(), request.runsCount, request.detectionSeeds, request.warmUpRuns);
port.postMessage(result);
