/**
 * Many runs on the in-process target, one seed after another, with the
 * statistics a campaign summary shows. The caller decides when to stop
 * (time limits need a clock, which this layer does not read).
 */
import type { InvariantName, Violation } from '../properties/violation.ts';
import { runSeed, type RunSettings, type SeedResult } from './runSeed.ts';

export interface CampaignSettings extends RunSettings {
  readonly firstSeed: number;
  readonly runs: number;
  /** Run only seeds whose index i has i % count === index - 1 (1-based shard index). */
  readonly shard: { readonly index: number; readonly count: number };
}

export interface FailingRun {
  readonly seed: string;
  readonly result: SeedResult;
}

export interface CampaignSummary {
  runs: number;
  steps: number;
  requests: number;
  violationsByInvariant: Map<InvariantName, number>;
  failingRuns: FailingRun[];
  stoppedEarly: boolean;
}

export interface CampaignHooks {
  /** Asked before each run; true ends the campaign. */
  readonly shouldStop?: () => boolean;
  /**
   * Awaited between runs. The CLI passes one that lets the event loop turn,
   * so a Ctrl-C is seen between two runs instead of after the last.
   */
  readonly betweenRuns?: () => Promise<void>;
  readonly onRunDone?: (seed: string, result: SeedResult, summary: CampaignSummary) => void;
}

export function campaignSeeds(settings: Pick<CampaignSettings, 'firstSeed' | 'runs' | 'shard'>): readonly string[] {
  const seeds: string[] = [];
  for (let index = 0; index < settings.runs; index += 1) {
    if (index % settings.shard.count !== settings.shard.index - 1) continue;
    seeds.push(String(settings.firstSeed + index));
  }
  return seeds;
}

export async function runCampaign(settings: CampaignSettings, hooks: CampaignHooks = {}): Promise<CampaignSummary> {
  const summary: CampaignSummary = {
    runs: 0,
    steps: 0,
    requests: 0,
    violationsByInvariant: new Map(),
    failingRuns: [],
    stoppedEarly: false,
  };
  for (const seed of campaignSeeds(settings)) {
    await hooks.betweenRuns?.();
    if (hooks.shouldStop?.() === true) {
      summary.stoppedEarly = true;
      break;
    }
    const result = runSeed(seed, settings);
    summary.runs += 1;
    summary.steps += result.run.stepsCount;
    summary.requests += result.run.history.operations.length;
    countViolations(summary.violationsByInvariant, result.violations);
    if (result.violations.length > 0) summary.failingRuns.push({ seed, result });
    hooks.onRunDone?.(seed, result, summary);
  }
  return summary;
}

function countViolations(counts: Map<InvariantName, number>, violations: readonly Violation[]): void {
  for (const violation of violations) counts.set(violation.invariant, (counts.get(violation.invariant) ?? 0) + 1);
}
