/**
 * Many runs on the in-process target, with the statistics a campaign summary
 * shows. Runs are made one after another, or by worker threads
 * (`campaignWorkers.ts`); either way their digests reach the caller in seed
 * order, so the output of a campaign does not depend on how many threads made
 * it. The caller decides when to stop (time limits need a clock, which this
 * layer does not read).
 */
import type { InvariantName, Violation } from '../properties/violation.ts';
import { CampaignWorkers } from './campaignWorkers.ts';
import { runAndDigest, type DigestSettings, type RunDigest } from './runDigest.ts';

export interface CampaignSettings extends DigestSettings {
  readonly firstSeed: number;
  readonly runs: number;
  /** Run only seeds whose index i has i % count === index - 1 (1-based shard index). */
  readonly shard: { readonly index: number; readonly count: number };
  /** Worker threads making runs; 1 makes them on the calling thread. */
  readonly jobs: number;
}

export interface CampaignSummary {
  runs: number;
  steps: number;
  requests: number;
  violationsByInvariant: Map<InvariantName, number>;
  /**
   * Counted, not kept: most runs of a buggy target fail, and a campaign
   * bounded only by its time limit would otherwise hold every failing run's
   * digest (about 10 KB each) until it ran out of memory. Each failing run
   * is listed on disk as it comes (`campaignReports.ts`), and callers that
   * tally more see every digest through `onRunDone`.
   */
  failingRunsCount: number;
  firstFailingRun: RunDigest | null;
  stoppedEarly: boolean;
}

export interface CampaignHooks {
  /** Asked before each run is started; true ends the campaign (runs already started still count). */
  readonly shouldStop?: () => boolean;
  /**
   * Awaited between runs made on the calling thread. The CLI passes one that
   * lets the event loop turn, so a Ctrl-C is seen between two runs instead of
   * after the last.
   */
  readonly betweenRuns?: () => Promise<void>;
  /** Called once per run, in seed order. */
  readonly onRunDone?: (digest: RunDigest, summary: CampaignSummary) => void;
}

/**
 * A campaign's seeds, worked out one at a time rather than listed up front:
 * `--runs` may be far more than a time limit lets run, and a list of a
 * hundred million seed texts would take gigabytes before the first run.
 */
export class CampaignSeeds implements Iterable<string> {
  /** How many seeds this shard runs. */
  readonly count: number;

  constructor(private readonly settings: Pick<CampaignSettings, 'firstSeed' | 'runs' | 'shard'>) {
    const { runs, shard } = settings;
    // Indices i < runs with i % shard.count === shard.index - 1.
    this.count = Math.max(0, Math.ceil((runs - (shard.index - 1)) / shard.count));
  }

  /** The seed of this shard's `position`th run (from 0). */
  at(position: number): string {
    const { firstSeed, shard } = this.settings;
    return String(firstSeed + shard.index - 1 + position * shard.count);
  }

  *[Symbol.iterator](): Iterator<string> {
    for (let position = 0; position < this.count; position += 1) yield this.at(position);
  }
}

export function campaignSeeds(settings: Pick<CampaignSettings, 'firstSeed' | 'runs' | 'shard'>): CampaignSeeds {
  return new CampaignSeeds(settings);
}

export async function runCampaign(settings: CampaignSettings, hooks: CampaignHooks = {}): Promise<CampaignSummary> {
  const summary: CampaignSummary = {
    runs: 0,
    steps: 0,
    requests: 0,
    violationsByInvariant: new Map(),
    failingRunsCount: 0,
    firstFailingRun: null,
    stoppedEarly: false,
  };
  const take = (digest: RunDigest): void => {
    summary.runs += 1;
    summary.steps += digest.stepsCount;
    summary.requests += digest.requestsCount;
    countViolations(summary.violationsByInvariant, digest.violations);
    if (digest.violations.length > 0) {
      summary.failingRunsCount += 1;
      summary.firstFailingRun ??= digest;
    }
    hooks.onRunDone?.(digest, summary);
  };
  const seeds = campaignSeeds(settings);
  if (settings.jobs <= 1 || seeds.count <= 1) {
    for (const seed of seeds) {
      await hooks.betweenRuns?.();
      if (hooks.shouldStop?.() === true) {
        summary.stoppedEarly = true;
        break;
      }
      take(runAndDigest(seed, settings));
    }
    return summary;
  }
  const workers = new CampaignWorkers(Math.min(settings.jobs, seeds.count), settings);
  try {
    summary.stoppedEarly = await workers.run(seeds, { shouldStop: hooks.shouldStop ?? (() => false), onDigest: take });
  } finally {
    await workers.close();
  }
  return summary;
}

function countViolations(counts: Map<InvariantName, number>, violations: readonly Violation[]): void {
  for (const violation of violations) counts.set(violation.invariant, (counts.get(violation.invariant) ?? 0) + 1);
}
