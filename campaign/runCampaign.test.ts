import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stableJson } from '../reports/stableJson.ts';
import type { Scenario } from '../sim/program/generateScenarioProgram.ts';
import { campaignSeeds, runCampaign, type CampaignSettings } from './runCampaign.ts';
import type { RunDigest } from './runDigest.ts';

const directories: string[] = [];
afterAll(() => {
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
});

function settings(jobs: number, reportDirectory: string | null, runs = 40): CampaignSettings {
  return {
    target: { profile: 'placement-8.0.0', isolation: 'snapshot', defects: [] },
    overrides: {},
    firstSeed: 300,
    runs,
    shard: { index: 1, count: 1 },
    jobs,
    reportDirectory,
    checkDeterminism: false,
  };
}

async function digests(campaign: CampaignSettings, stopAfter: number | null = null): Promise<{ seen: RunDigest[]; stoppedEarly: boolean; runs: number }> {
  const seen: RunDigest[] = [];
  const summary = await runCampaign(campaign, { shouldStop: () => stopAfter !== null && seen.length >= stopAfter, onRunDone: (digest) => seen.push(digest) });
  return { seen, stoppedEarly: summary.stoppedEarly, runs: summary.runs };
}

function reportFiles(directory: string): Map<string, string> {
  // Reports name their own path in their replay line; compare them without it.
  return new Map(readdirSync(directory).map((name) => [name, readFileSync(join(directory, name), 'utf8').replaceAll(directory, 'DIR')]));
}

describe('a campaign\'s seeds', () => {
  it('are the run indices of its shard, from the first seed', () => {
    for (let runs = 0; runs <= 9; runs += 1) {
      for (let count = 1; count <= 4; count += 1) {
        for (let index = 1; index <= count; index += 1) {
          const expected = Array.from({ length: runs }, (_, run) => run)
            .filter((run) => run % count === index - 1)
            .map((run) => String(1000 + run));
          const seeds = campaignSeeds({ firstSeed: 1000, runs, shard: { index, count } });
          expect([...seeds]).toEqual(expected);
          expect(seeds.count).toBe(expected.length);
        }
      }
    }
  });

  it('are not listed up front, so a huge --runs bounded by a time limit costs nothing before its first run', () => {
    const seeds = campaignSeeds({ firstSeed: 7, runs: Number.MAX_SAFE_INTEGER - 7, shard: { index: 2, count: 3 } });
    expect(seeds.at(0)).toBe('8');
    expect(seeds.at(1_000_000)).toBe(String(8 + 3_000_000));
  });
});

describe('a campaign summary', () => {
  it('counts the failing runs and keeps only the first, so a long campaign holds no digest per run', async () => {
    const seen: RunDigest[] = [];
    const summary = await runCampaign(settings(1, null), { onRunDone: (digest) => seen.push(digest) });
    const failing = seen.filter((digest) => digest.violations.length > 0);
    expect(failing.length).toBeGreaterThan(1);
    expect(summary.failingRunsCount).toBe(failing.length);
    expect(summary.firstFailingRun).toBe(failing[0]);
    expect(Object.values(summary).some((value) => Array.isArray(value))).toBe(false);
  });
});

describe('a campaign on worker threads', () => {
  it('passes on the same digests in the same order, and writes the same reports, as one thread', async () => {
    const [one, two] = [mkdtempSync(join(tmpdir(), 'campaign-1-')), mkdtempSync(join(tmpdir(), 'campaign-2-'))];
    directories.push(one, two);
    const sequential = await digests(settings(1, one));
    const parallel = await digests(settings(2, two));
    expect(sequential.seen.map((digest) => digest.seed)).toEqual(Array.from({ length: 40 }, (_, index) => String(300 + index)));
    expect(sequential.seen.some((digest) => digest.reportPath !== null)).toBe(true);
    expect(stableJson(parallel.seen).replaceAll(two, 'DIR')).toBe(stableJson(sequential.seen).replaceAll(one, 'DIR'));
    const reports = reportFiles(one);
    expect(reports.size).toBeGreaterThan(0);
    expect(reportFiles(two)).toEqual(reports);
  });

  it('stops handing out seeds when asked, and passes on every run it started, in order', async () => {
    const stopped = await digests(settings(2, null, 200), 10);
    expect(stopped.stoppedEarly).toBe(true);
    expect(stopped.runs).toBeGreaterThanOrEqual(10);
    expect(stopped.runs).toBeLessThan(200);
    expect(stopped.seen.map((digest) => digest.seed)).toEqual(Array.from({ length: stopped.runs }, (_, index) => String(300 + index)));
  });

  it('reports a harness exception in a worker with the seed that raised it', async () => {
    // A scenario the type system rules out reaches the generator's exhaustiveness guard.
    const broken: CampaignSettings = { ...settings(2, null, 4), scenario: 'no-such-scenario' as Scenario };
    await expect(runCampaign(broken)).rejects.toThrow(/seed 30\d: .*unhandled scenario/);
  });
});
