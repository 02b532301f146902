/**
 * How long the checker takes on realistic histories: 100, 1,000 and 10,000
 * requests from 4, 8 and 16 clients, with providers shared by pairs of
 * clients (many partitions) or by all of them (one partition), and 0.5 % of
 * writes timing out (see `simulatedClientsHistory.ts`). Generation is timed
 * apart from checking. The clock and the seed are parameters, so the caller
 * (a CLI) decides where time comes from: wall time, or CPU time on a busy
 * machine.
 *
 * Goals: 1,000 requests x 8 clients under 1 s; 10,000 requests partitioned
 * (`pairs`) under 5 s. A single partition of 10,000 requests from 16 clients
 * with timeouts can exceed the time limit and report `unknown`.
 */
import seedrandom from 'seedrandom';
import { checkLinearizability, DEFAULT_STATES_MAX } from './checkLinearizability.ts';
import { initialStateOf } from './historyFile.ts';
import { simulatedClientsHistory, type ProviderSharing } from './simulatedClientsHistory.ts';

export interface BenchmarkCase {
  readonly requestsCount: number;
  readonly clientsCount: number;
  readonly sharing: ProviderSharing;
}

export interface BenchmarkRow extends BenchmarkCase {
  readonly verdict: 'ok' | 'illegal' | 'unknown';
  readonly checkMs: number;
  readonly generateMs: number;
  readonly partitionsCount: number;
  readonly largestPartitionOperationsCount: number;
  readonly statesCount: number;
  readonly stepsCount: number;
}

export interface BenchmarkOptions {
  /** Milliseconds from any monotonic clock. */
  readonly now: () => number;
  readonly seed: string;
  readonly cases?: readonly BenchmarkCase[];
  /** Per case; 20 s by default, so that one pathological case cannot hold up a whole bench run. */
  readonly timeLimitMs?: number;
  readonly statesMax?: number;
}

export const DEFAULT_BENCHMARK_CASES: readonly BenchmarkCase[] = [100, 1_000, 10_000].flatMap((requestsCount) =>
  [4, 8, 16].flatMap((clientsCount) => (['pairs', 'all'] as const).map((sharing) => ({ requestsCount, clientsCount, sharing }))),
);

export function benchmarkLinearizability(options: BenchmarkOptions): BenchmarkRow[] {
  const cases = options.cases ?? DEFAULT_BENCHMARK_CASES;
  return cases.map((benchmarkCase) => {
    // Each case draws from its own stream, so adding a case does not change the others.
    const random = seedrandom(`${options.seed}/${benchmarkCase.requestsCount}/${benchmarkCase.clientsCount}/${benchmarkCase.sharing}`);
    const generateStart = options.now();
    const generated = simulatedClientsHistory({ ...benchmarkCase, random: () => random() });
    const initialState = initialStateOf(generated);
    const checkStart = options.now();
    const result = checkLinearizability(generated.history, initialState, {
      now: options.now,
      timeLimitMs: options.timeLimitMs ?? 20_000,
      statesMax: options.statesMax ?? DEFAULT_STATES_MAX,
    });
    const checkEnd = options.now();
    return {
      ...benchmarkCase,
      verdict: result.kind,
      checkMs: checkEnd - checkStart,
      generateMs: checkStart - generateStart,
      partitionsCount: result.statistics.partitionsCount,
      largestPartitionOperationsCount: result.statistics.largestPartitionOperationsCount,
      statesCount: result.statistics.statesCount,
      stepsCount: result.statistics.stepsCount,
    };
  });
}

export function renderBenchmark(rows: readonly BenchmarkRow[]): string {
  const header = ['requests', 'clients', 'sharing', 'verdict', 'check ms', 'partitions', 'largest', 'states', 'steps', 'generate ms'];
  const body = rows.map((row) => [
    String(row.requestsCount),
    String(row.clientsCount),
    row.sharing,
    row.verdict,
    row.checkMs.toFixed(0),
    String(row.partitionsCount),
    String(row.largestPartitionOperationsCount),
    String(row.statesCount),
    String(row.stepsCount),
    row.generateMs.toFixed(0),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...body.map((cells) => (cells[column] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((cell, column) => cell.padStart(widths[column] ?? 0)).join('  ');
  return [line(header), ...body.map(line)].join('\n');
}
