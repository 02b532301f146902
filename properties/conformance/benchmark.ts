/**
 * How fast conformance runs against a real service, and how much of the
 * wall time is the harness's own (generation, the model, comparison,
 * shrinking bookkeeping) rather than waiting for the service. The goal for
 * the harness's share is under 5%: the real service should be the
 * bottleneck.
 */
import { monotonicNs } from '../../sim/http/monotonicNs.ts';
import type { Finding } from '../findings.ts';
import { checkConformance } from './checkConformance.ts';
import type { ConformanceTarget } from './conformanceTarget.ts';

export interface BenchmarkOptions {
  readonly target: ConformanceTarget;
  readonly findings: readonly Finding[];
  readonly seed: number;
  readonly requests: number;
}

export interface BenchmarkResult {
  readonly requests: number;
  readonly sequences: number;
  readonly wallSeconds: number;
  readonly requestsPerSecond: number;
  /** Share of wall time spent waiting for the service's answers and resets. */
  readonly serviceShare: number;
  /** The rest: the harness's own work. */
  readonly harnessShare: number;
  /** `passed` unless the run found an unexplained difference or lost a response. */
  readonly outcome: string;
}

export async function benchmarkConformance(options: BenchmarkOptions): Promise<BenchmarkResult> {
  const startedNs = monotonicNs();
  const result = await checkConformance({
    seed: options.seed,
    requestsTarget: options.requests,
    // A benchmark measures exploration; a mismatch is reported, not shrunk.
    shrinkRunsMax: 0,
    target: options.target,
    findings: options.findings,
  });
  const wallNs = Math.max(1, monotonicNs() - startedNs);
  const serviceShare = Math.min(1, result.statistics.serviceWaitNs / wallNs);
  return {
    requests: result.statistics.requestsSent,
    sequences: result.statistics.sequences,
    wallSeconds: wallNs / 1e9,
    requestsPerSecond: result.statistics.requestsSent / (wallNs / 1e9),
    serviceShare,
    harnessShare: 1 - serviceShare,
    outcome: result.outcome.kind,
  };
}
