/**
 * Many runs on a live Placement, one seed after another, with the
 * statistics a campaign summary shows. The caller decides when to stop.
 */
import type { InvariantName, Violation } from '../properties/violation.ts';
import type { LiveRunProblem } from '../sim/live/runLive.ts';
import { campaignSeeds } from './runCampaign.ts';
import { runLiveSeed, type LiveSeedResult, type LiveSettings } from './runLiveSeed.ts';

export interface LiveCampaignSettings extends LiveSettings {
  readonly firstSeed: number;
  readonly runs: number;
  readonly shard: { readonly index: number; readonly count: number };
}

export interface LiveCampaignSummary {
  runs: number;
  /** Every request of every run: setup, clients and snapshot. */
  requests: number;
  /** Requests of the concurrent phases and the milliseconds those phases took. */
  clientRequests: number;
  clientMs: number;
  /** Wall-clock milliseconds of whole runs (reset to probes) and of their checks. */
  runMs: number;
  checkMs: number;
  unknownOutcomes: number;
  consumerProbes: number;
  violationsByInvariant: Map<InvariantName, number>;
  /** Runs whose linearizability search ran out of time. */
  undecidedRuns: string[];
  failingRuns: { readonly seed: string; readonly result: LiveSeedResult }[];
  stoppedEarly: boolean;
  /** Set when the service could not be reset: the campaign stops there. */
  problem: LiveRunProblem | null;
}

export interface LiveCampaignHooks {
  readonly shouldStop?: () => boolean;
  readonly onRunDone?: (seed: string, result: LiveSeedResult, summary: LiveCampaignSummary) => void;
}

export async function runLiveCampaign(settings: LiveCampaignSettings, hooks: LiveCampaignHooks = {}): Promise<LiveCampaignSummary> {
  const summary: LiveCampaignSummary = {
    runs: 0,
    requests: 0,
    clientRequests: 0,
    clientMs: 0,
    runMs: 0,
    checkMs: 0,
    unknownOutcomes: 0,
    consumerProbes: 0,
    violationsByInvariant: new Map(),
    undecidedRuns: [],
    failingRuns: [],
    stoppedEarly: false,
    problem: null,
  };
  for (const seed of campaignSeeds(settings)) {
    if (hooks.shouldStop?.() === true) {
      summary.stoppedEarly = true;
      break;
    }
    const result = await runLiveSeed(seed, settings);
    if ('kind' in result) {
      summary.problem = result;
      summary.stoppedEarly = true;
      break;
    }
    const { run } = result;
    summary.runs += 1;
    summary.requests += run.history.operations.length;
    summary.clientRequests += run.clientRequestsCount;
    summary.clientMs += run.timings.clientsMs;
    summary.runMs += run.timings.resetMs + run.timings.setupMs + run.timings.clientsMs + run.timings.snapshotMs + run.timings.probesMs;
    summary.checkMs += result.checkMs;
    summary.unknownOutcomes += run.history.operations.filter((operation) => operation.completion.kind === 'unknown').length;
    summary.consumerProbes += run.consumerProbes.length;
    countViolations(summary.violationsByInvariant, result.violations);
    if (result.undecided.length > 0) summary.undecidedRuns.push(seed);
    if (result.violations.length > 0) summary.failingRuns.push({ seed, result });
    hooks.onRunDone?.(seed, result, summary);
  }
  return summary;
}

function countViolations(counts: Map<InvariantName, number>, violations: readonly Violation[]): void {
  for (const violation of violations) counts.set(violation.invariant, (counts.get(violation.invariant) ?? 0) + 1);
}
