import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CampaignReports, failingRunsIndexName, failureKind, type ReportPolicy } from './campaignReports.ts';
import { runCampaign, type CampaignSettings } from './runCampaign.ts';
import { runSeed } from './runSeed.ts';

const directories: string[] = [];
afterAll(() => {
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
});

function freshDirectory(): string {
  const directory = mkdtempSync(join(tmpdir(), 'campaign-reports-'));
  directories.push(directory);
  return directory;
}

const SETTINGS: CampaignSettings = {
  target: { profile: 'placement-8.0.0', isolation: 'snapshot', defects: [] },
  overrides: {},
  firstSeed: 300,
  runs: 60,
  shard: { index: 1, count: 1 },
  jobs: 1,
  reportDirectory: null,
  checkDeterminism: false,
};

interface IndexLine {
  readonly seed: string;
  readonly kind: string;
  readonly report: string | null;
  readonly replay: string;
  readonly violations: readonly { readonly invariant: string; readonly finding: string | null; readonly summary: string }[];
}

async function campaign(directory: string, policy: ReportPolicy, jobs = 1): Promise<{ reports: CampaignReports; failing: number; lines: IndexLine[] }> {
  const reports = new CampaignReports({ ...SETTINGS, jobs }, directory, policy);
  let failing = 0;
  await runCampaign(reports.digestSettings(), {
    onRunDone: (digest) => {
      if (digest.violations.length > 0) failing += 1;
      reports.take(digest);
    },
  });
  reports.close();
  const lines = readFileSync(reports.indexPath, 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as IndexLine);
  return { reports, failing, lines };
}

function jsonReports(directory: string): string[] {
  return readdirSync(directory)
    .filter((name) => name.endsWith('.json'))
    .sort();
}

describe('the reports of a campaign', () => {
  it('lists every failing run and writes a full report for the first of each kind only', async () => {
    const directory = freshDirectory();
    const { failing, lines } = await campaign(directory, 'first-of-kind');
    expect(failing).toBeGreaterThan(10);
    expect(lines).toHaveLength(failing);
    const kinds = new Set(lines.map((line) => line.kind));
    expect(kinds.size).toBeLessThan(failing);
    // The first line of each kind names its report, every later one names none.
    const seen = new Set<string>();
    for (const line of lines) {
      if (seen.has(line.kind)) expect(line.report).toBeNull();
      else expect(line.report).toBe(join(directory, `placement-8.0.0-snapshot-seed-${line.seed}.json`));
      seen.add(line.kind);
    }
    expect(jsonReports(directory)).toHaveLength(kinds.size);
  });

  it('names, for a run it did not report, a seed that makes the same violations again', async () => {
    const { lines } = await campaign(freshDirectory(), 'first-of-kind');
    const unreported = lines.find((line) => line.report === null);
    expect(unreported).toBeDefined();
    if (unreported === undefined) return;
    expect(unreported.replay).toBe(`npm run fuzz -- --seed ${unreported.seed} --runs 1 --profile placement-8.0.0 --isolation snapshot`);
    const again = runSeed(unreported.seed, SETTINGS);
    expect(again.violations.map((violation) => [violation.invariant, violation.summary])).toEqual(unreported.violations.map((violation) => [violation.invariant, violation.summary]));
  });

  it('writes the same index and the same reports on two worker threads as on one', async () => {
    const [one, two] = [freshDirectory(), freshDirectory()];
    const sequential = await campaign(one, 'first-of-kind', 1);
    const parallel = await campaign(two, 'first-of-kind', 2);
    expect(readFileSync(parallel.reports.indexPath, 'utf8').replaceAll(two, 'DIR')).toBe(readFileSync(sequential.reports.indexPath, 'utf8').replaceAll(one, 'DIR'));
    expect(jsonReports(two)).toEqual(jsonReports(one));
  }, 60_000);

  it('writes a report per failing run when asked for every one', async () => {
    const directory = freshDirectory();
    const { failing, lines } = await campaign(directory, 'every');
    expect(lines.every((line) => line.report !== null)).toBe(true);
    expect(jsonReports(directory)).toHaveLength(failing);
  });

  it('starts its index afresh, and names a shard in it', () => {
    const directory = freshDirectory();
    mkdirSync(directory, { recursive: true });
    const stale = join(directory, 'failing-runs.jsonl');
    writeFileSync(stale, '{"seed":"1"}\n');
    new CampaignReports(SETTINGS, directory, 'first-of-kind');
    expect(existsSync(stale)).toBe(false);
    expect(failingRunsIndexName({ index: 2, count: 3 })).toBe('failing-runs-shard-2-of-3.jsonl');
  });

  it('tells kinds apart by invariant and finding, whatever their order or repeats', () => {
    const violation = (invariant: 'linearizable' | 'consumer-lifecycle') => ({ invariant, summary: '', explanation: [], operations: [], data: {} });
    const kind = failureKind({
      violations: [violation('linearizable'), violation('consumer-lifecycle'), violation('linearizable')],
      findings: ['in-flight-consumer-visible', null, 'in-flight-consumer-visible'],
    });
    expect(kind).toBe('consumer-lifecycle:unexplained linearizable:in-flight-consumer-visible');
  });
});
