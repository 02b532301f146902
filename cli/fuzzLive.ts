/**
 * `npm run fuzz -- --target URL|placement:DB`: a fuzz campaign against a live
 * Placement with truly concurrent clients. `placement:sqlite` (or mariadb,
 * postgresql) starts the real service through services/placement on a free
 * port, runs the campaign and stops it again, so a fresh machine needs one
 * command. A URL must be a service this project started (its data is reset
 * before every run), unless --allow-reset says otherwise (withLiveTarget.ts,
 * shared with the replay of live reports).
 */
import Table from 'cli-table3';
import { runLiveCampaign, type LiveCampaignSettings, type LiveCampaignSummary } from '../campaign/runLiveCampaign.ts';
import { LIVE_CHECK_TIME_LIMIT_MS } from '../campaign/runLiveSeed.ts';
import { INVARIANT_NAMES } from '../properties/violation.ts';
import type { LiveTargetDescription } from '../reports/liveFailureReport.ts';
import { writeLiveFailureReport } from '../reports/writeLiveFailureReport.ts';
import { FORCE_RESET_FLAG, type ResetAuthority } from '../sim/live/resetAuthority.ts';
import { DEFAULT_LIVE_LIMITS } from '../sim/live/runLive.ts';
import type { Scenario } from '../sim/program/generateScenarioProgram.ts';
import type { Program } from '../sim/program/program.ts';
import { describeRunOptions, type RunOptionOverrides, type RunOptions } from '../sim/runOptions.ts';
import { classifyRun, findingsTable } from './findingsTable.ts';
import { withLiveTarget, type LiveSetupProblem } from './withLiveTarget.ts';

export interface LiveCliOptions {
  readonly target: string;
  readonly firstSeed: number;
  readonly runs: number;
  readonly shard: { readonly index: number; readonly count: number };
  readonly overrides: RunOptionOverrides;
  readonly scenario: Scenario;
  readonly workers: number | undefined;
  readonly allowReset: boolean;
  readonly checkTimeLimitMs: number | undefined;
  readonly reportDirectory: string;
  /** Wall-clock limit of the whole campaign, or null. */
  readonly timeLimitSeconds: number | null;
}

export type { LiveSetupProblem } from './withLiveTarget.ts';

/** Replays the program of one seed on the same kind of target (the interleaving is the service's again). */
export function liveReplayCommand(seed: string, options: Pick<LiveCliOptions, 'target' | 'scenario' | 'workers' | 'overrides' | 'allowReset'>): string {
  const parts = ['npm run fuzz --', `--target ${options.target}`, `--seed ${seed}`, '--runs 1'];
  if (options.scenario !== 'default') parts.push(`--scenario ${options.scenario}`);
  if (options.workers !== undefined) parts.push(`--workers ${options.workers}`);
  if (options.overrides.clientsCount !== undefined) parts.push(`--clients ${options.overrides.clientsCount}`);
  if (options.overrides.commandsPerClient !== undefined) parts.push(`--commands ${options.overrides.commandsPerClient}`);
  if (options.allowReset) parts.push(FORCE_RESET_FLAG);
  return parts.join(' ');
}

/** Runs the campaign; returns the exit code (0 clean, 1 violations, 2 setup problem). */
export async function fuzzLive(options: LiveCliOptions): Promise<number | LiveSetupProblem> {
  return withLiveTarget(options, ({ authority, description }, interrupted) => campaign(options, authority, description, interrupted));
}

async function campaign(options: LiveCliOptions, authority: ResetAuthority, description: LiveTargetDescription, interrupted: () => boolean): Promise<number> {
  const settings: LiveCampaignSettings = {
    authority,
    overrides: options.overrides,
    scenario: options.scenario,
    limits: DEFAULT_LIVE_LIMITS,
    checkTimeLimitMs: options.checkTimeLimitMs ?? LIVE_CHECK_TIME_LIMIT_MS,
    firstSeed: options.firstSeed,
    runs: options.runs,
    shard: options.shard,
  };
  const workers = description.workers === null ? '' : `, ${description.workers} workers`;
  process.stdout.write(
    `placement-sim fuzz: seed ${options.firstSeed}, ${options.runs} runs${options.shard.count > 1 ? ` (shard ${options.shard.index}/${options.shard.count})` : ''}, ` +
      `target live ${description.target} (${description.url}${workers}), scenario ${options.scenario}\n`,
  );
  const deadline = options.timeLimitSeconds === null ? null : nowMs() + options.timeLimitSeconds * 1000;
  const reported: string[] = [];
  const summary = await runLiveCampaign(settings, {
    shouldStop: () => interrupted() || (deadline !== null && nowMs() > deadline),
    onRunDone: (seed, result, current) => {
      if (current.runs === 1) process.stdout.write(`  run ${seed}: ${describeRun(result.options, result.program, options.scenario)}\n`);
      if (result.violations.length === 0) return;
      const replay = liveReplayCommand(seed, options);
      const path = writeLiveFailureReport(options.reportDirectory, seed, result, description, options.scenario, options.overrides, replay);
      reported.push(path);
      const invariants = [...new Set(result.violations.map((violation) => violation.invariant))].join(', ');
      process.stdout.write(`  run ${seed} failed (${invariants}): ${result.violations[0]?.summary ?? ''}\n    ${describeRun(result.options, result.program, options.scenario)}\n    report: ${path}\n`);
    },
  });
  printSummary(summary, options, reported);
  if (summary.problem !== null) {
    process.stderr.write(`campaign stopped: ${summary.problem.message}\n`);
    return 2;
  }
  if (summary.stoppedEarly) process.stdout.write(`stopped early after ${summary.runs} runs (${interrupted() ? 'interrupted' : 'time limit'})\n`);
  return summary.failingRuns.length > 0 ? 1 : 0;
}

function printSummary(summary: LiveCampaignSummary, options: LiveCliOptions, reported: readonly string[]): void {
  // The live history has no statement trace, so only findings visible in responses are named.
  const findings = findingsTable(summary.failingRuns.map(({ seed, result }) => classifyRun(seed, result)));
  if (findings !== null) process.stdout.write(`${findings}\n`);
  const table = new Table({ head: ['', 'count'], style: { head: [], border: [] } });
  const perSecond = (count: number, milliseconds: number): string => (milliseconds > 0 ? (count / (milliseconds / 1000)).toFixed(1) : '-');
  table.push(
    ['runs', summary.runs],
    ['requests (setup, clients, snapshot)', summary.requests],
    ['concurrent client requests', summary.clientRequests],
    ['client requests/s (concurrent phases)', perSecond(summary.clientRequests, summary.clientMs)],
    ['requests/s (whole runs, reset included)', perSecond(summary.requests, summary.runMs)],
    ['seconds checking', (summary.checkMs / 1000).toFixed(1)],
    ['unknown outcomes (timeouts, connection errors)', summary.unknownOutcomes],
    ['consumer probes', summary.consumerProbes],
    ['failing runs', summary.failingRuns.length],
  );
  for (const invariant of INVARIANT_NAMES) table.push([`violations: ${invariant}`, summary.violationsByInvariant.get(invariant) ?? 0]);
  table.push(['linearizability undecided (out of time)', summary.undecidedRuns.length]);
  table.push(['first failing seed', summary.failingRuns[0]?.seed ?? '-']);
  process.stdout.write(`${table.toString()}\n`);
  if (summary.undecidedRuns.length > 0) process.stdout.write(`undecided seeds: ${summary.undecidedRuns.join(' ')}\n`);
  if (reported.length > 0) process.stdout.write(`${reported.length} report(s) in ${options.reportDirectory}\n`);
  for (const failing of summary.failingRuns) process.stdout.write(`replay: ${liveReplayCommand(failing.seed, options)}\n`);
}

/**
 * The derived options, or for a targeted scenario the shape of its program:
 * scenarios ignore the option families, so printing them would mislead.
 */
function describeRun(runOptions: RunOptions, program: Program, scenario: Scenario): string {
  if (scenario === 'default') return describeRunOptions(runOptions);
  const requests = program.clients.reduce((sum, actions) => sum + actions.length, 0);
  return `scenario=${scenario} clients=${program.clients.length} requests=${requests} providers=${program.providers.length} consumers=${program.consumers.length}`;
}

function nowMs(): number {
  return Number(process.hrtime.bigint() / 1_000_000n);
}
