/**
 * What a campaign writes about its failing runs. At Placement 8.0.0's
 * snapshot isolation most runs fail, and a full report (the JSON that
 * replays the run, its text and its HTML timeline) is about 225 KB, so a
 * report per failing run made a 2,000-run campaign write about 400 MB and
 * spend more time writing than running. By default a campaign therefore
 * writes a full report for the first failing run of each kind (the same
 * violated invariants explained by the same known findings), and lists
 * every failing run, as it is found, in one line of a JSON Lines index with
 * its violations and the command that makes it again: a run is fully
 * decided by its seed, so nothing found is lost. `every` keeps the old
 * behaviour (a report per failing run, written where the run was made).
 *
 * Digests must be taken in seed order (runCampaign's `onRunDone` gives
 * them so), which makes "the first of its kind" the same for any number of
 * worker threads.
 */
import { closeSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { replayCommand } from '../cli/replayCommand.ts';
import { stableJson } from '../reports/stableJson.ts';
import { writeFailureReport } from '../reports/writeFailureReport.ts';
import { describeRunOptions } from '../sim/runOptions.ts';
import type { CampaignSettings } from './runCampaign.ts';
import type { RunDigest } from './runDigest.ts';
import { runSeed, type SeedResult } from './runSeed.ts';

export type ReportPolicy = 'first-of-kind' | 'every';
export const REPORT_POLICIES: readonly ReportPolicy[] = ['first-of-kind', 'every'];

/** The index of a campaign's failing runs, one JSON object per line. */
export function failingRunsIndexName(shard: CampaignSettings['shard']): string {
  return shard.count > 1 ? `failing-runs-shard-${shard.index}-of-${shard.count}.jsonl` : 'failing-runs.jsonl';
}

/**
 * A failing run's kind: each violated invariant with the known finding that
 * explains it (or `unexplained`), sorted and without repeats.
 */
export function failureKind(digest: Pick<RunDigest, 'violations' | 'findings'>): string {
  const parts = new Set<string>();
  digest.violations.forEach((violation, index) => parts.add(`${violation.invariant}:${digest.findings[index] ?? 'unexplained'}`));
  return [...parts].sort().join(' ');
}

export class CampaignReports {
  private readonly kindsReported = new Set<string>();
  /** The index, open for appending from its first line until `close` (a line per failing run, so not opened per line). */
  private index: number | null = null;
  /** Failing runs listed in the index. */
  listed = 0;

  constructor(
    private readonly settings: CampaignSettings,
    private readonly directory: string,
    readonly policy: ReportPolicy,
  ) {
    // A campaign's index holds its own runs only: one left by an earlier campaign in the same directory goes.
    rmSync(this.indexPath, { force: true });
  }

  /** The settings runs are made with: under `every` the run's maker writes its report; otherwise this class does. */
  digestSettings(): CampaignSettings {
    return { ...this.settings, reportDirectory: this.policy === 'every' ? this.directory : null };
  }

  get indexPath(): string {
    return join(this.directory, failingRunsIndexName(this.settings.shard));
  }

  /**
   * Takes a run's digest (in seed order): lists a failing run and writes its
   * full report when the policy wants one, making the run again from its
   * seed when it was made elsewhere. `made` is that run when the caller
   * already has it. Returns the full report's JSON path, or null.
   */
  take(digest: RunDigest, made: SeedResult | null = null): string | null {
    if (digest.violations.length === 0) return null;
    let reportPath = digest.reportPath;
    const kind = failureKind(digest);
    if (reportPath === null && !this.kindsReported.has(kind)) {
      const result = made ?? runSeed(digest.seed, this.settings);
      reportPath = writeFailureReport(this.directory, digest.seed, result, this.settings.target, this.settings.overrides);
    }
    this.kindsReported.add(kind);
    this.list(digest, kind, reportPath);
    return reportPath;
  }

  private list(digest: RunDigest, kind: string, reportPath: string | null): void {
    if (this.index === null) {
      mkdirSync(this.directory, { recursive: true });
      this.index = openSync(this.indexPath, 'a');
    }
    const line = {
      seed: digest.seed,
      kind,
      options: describeRunOptions(digest.options),
      violations: digest.violations.map((violation, index) => ({ invariant: violation.invariant, finding: digest.findings[index] ?? null, summary: violation.summary })),
      report: reportPath,
      replay: replayCommand(digest.seed, this.settings),
    };
    writeSync(this.index, `${stableJson(line, 0)}\n`);
    this.listed += 1;
  }

  /** Closes the index; a later failing run would open it again and append. */
  close(): void {
    if (this.index === null) return;
    closeSync(this.index);
    this.index = null;
  }
}
