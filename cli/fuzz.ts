/**
 * `npm run fuzz`: a fuzz campaign. With no arguments, a short campaign on
 * the in-process Placement 8.0.0 target. Exit 0: nothing violated; 1: a
 * violation was found; 2: usage or setup error.
 */
import Table from 'cli-table3';
import { join } from 'node:path';
import { CampaignReports } from '../campaign/campaignReports.ts';
import { runCampaign, type CampaignSettings, type CampaignSummary } from '../campaign/runCampaign.ts';
import { runSeed } from '../campaign/runSeed.ts';
import { shrinkFailure } from '../campaign/shrink.ts';
import { describeTarget, type TargetSettings } from '../campaign/targetSettings.ts';
import { writeFailureReport } from '../reports/writeFailureReport.ts';
import { INVARIANT_NAMES } from '../properties/violation.ts';
import { DEFECTS, isDefectName, type DefectName } from '../sim/defects.ts';
import { PROFILES, type Profile } from '../sim/inProcess/target.ts';
import { describeRunOptions, FAULT_KINDS, type FaultKind } from '../sim/runOptions.ts';
import { ISOLATIONS, type Isolation } from '../sim/store/store.ts';
import { isScenario, SCENARIOS, type Scenario } from '../sim/program/generateScenarioProgram.ts';
import { FindingsTally } from './findingsTable.ts';
import { fuzzLive, type LiveCliOptions } from './fuzzLive.ts';
import { parseOptions, settleExitCode, usageError, type OptionValues } from './options.ts';
import { replayCommand } from './replayCommand.ts';

const USAGE = `usage: npm run fuzz -- [--target sim|<url>] [--profile ${PROFILES.join('|')}] [--isolation ${ISOLATIONS.join('|')}]
                     [--defect NAME]... [--fault ${FAULT_KINDS.join('|')}]... [--seed N] [--runs N] [--time-limit SECONDS]
                     [--clients N] [--commands N] [--shard K/N] [--jobs N] [--report-dir DIR] [--all-reports] [--no-shrink]
                     [--check-determinism]
                     [--list-defects]
       [--scenario ${SCENARIOS.join('|')}]
       live targets: --target placement:sqlite|placement:mariadb|placement:postgresql|<url>
                     [--workers N] (placement:DB) [--allow-reset] (a URL this project did not start) [--check-time-limit SECONDS]`;

const SPEC = {
  target: 'string',
  profile: 'string',
  isolation: 'string',
  defect: 'strings',
  fault: 'strings',
  seed: 'integer',
  runs: 'integer',
  'time-limit': 'integer',
  clients: 'integer',
  commands: 'integer',
  shard: 'string',
  jobs: 'integer',
  'report-dir': 'string',
  scenario: 'string',
  workers: 'integer',
  'allow-reset': 'boolean',
  'check-time-limit': 'integer',
  'list-defects': 'boolean',
  'no-shrink': 'boolean',
  'all-reports': 'boolean',
  'check-determinism': 'boolean',
  help: 'boolean',
} as const;

function listDefects(): void {
  const table = new Table({ head: ['defect', 'what it removes', 'claim'], wordWrap: true, colWidths: [32, 60, 36], style: { head: [], border: [] } });
  for (const defect of DEFECTS) table.push([defect.name, defect.description, defect.claim ?? '']);
  process.stdout.write(`${table.toString()}\n`);
}

function parseShard(text: string | undefined): { index: number; count: number } | string {
  if (text === undefined) return { index: 1, count: 1 };
  const match = /^(\d+)\/(\d+)$/.exec(text);
  if (match === null) return `--shard expects K/N, got '${text}'`;
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (count < 1 || index < 1 || index > count) return `--shard ${text}: K must be between 1 and N`;
  return { index, count };
}

async function main(): Promise<void> {
  const parsed = parseOptions(process.argv.slice(2), SPEC, USAGE);
  if (parsed.kind === 'error') return usageError(parsed.message, USAGE);
  const values = parsed.values;
  if (values.help === true) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (values['list-defects'] === true) return listDefects();
  const target = values.target ?? 'sim';
  const scenario = values.scenario ?? 'default';
  if (!isScenario(scenario)) return usageError(`unknown --scenario '${scenario}' (expected ${SCENARIOS.join(', ')})`, USAGE);
  if (target !== 'sim') return mainLive(target, scenario, values);
  for (const name of ['workers', 'allow-reset', 'check-time-limit'] as const) {
    if (values[name] !== undefined) return usageError(`--${name} only applies to live targets (--target placement:DB or a URL)`, USAGE);
  }
  const profile = values.profile ?? 'placement-8.0.0';
  if (!(PROFILES as readonly string[]).includes(profile)) return usageError(`unknown --profile '${profile}' (expected ${PROFILES.join(' or ')})`, USAGE);
  const isolation = values.isolation ?? 'serial';
  if (!(ISOLATIONS as readonly string[]).includes(isolation)) return usageError(`unknown --isolation '${isolation}' (expected ${ISOLATIONS.join(', ')})`, USAGE);
  const defects: DefectName[] = [];
  for (const name of values.defect ?? []) {
    if (!isDefectName(name)) return usageError(`unknown --defect '${name}'; npm run fuzz -- --list-defects shows them`, USAGE);
    defects.push(name);
  }
  if (profile === 'ideal' && defects.length > 0) return usageError('--defect needs --profile placement-8.0.0 (the ideal profile has no guards to remove)', USAGE);
  const faults: FaultKind[] = [];
  for (const name of values.fault ?? []) {
    if (!(FAULT_KINDS as readonly string[]).includes(name)) return usageError(`unknown --fault '${name}' (expected ${FAULT_KINDS.join(', ')})`, USAGE);
    faults.push(name as FaultKind);
  }
  const shard = parseShard(values.shard);
  if (typeof shard === 'string') return usageError(shard, USAGE);
  for (const name of ['runs', 'clients', 'commands', 'time-limit', 'jobs'] as const) {
    const value = values[name];
    if (value !== undefined && value < 1) return usageError(`--${name} must be at least 1`, USAGE);
  }
  if (values.clients !== undefined && (values.clients < 2 || values.clients > 16)) return usageError('--clients must be between 2 and 16', USAGE);
  // The only clock and the only unseeded choice live here: a seed when none is given.
  const firstSeed = values.seed ?? Math.floor(Date.now() % 1_000_000_000);
  const targetSettings: TargetSettings = { profile: profile as Profile, isolation: isolation as Isolation, defects };
  const settings: CampaignSettings = {
    target: targetSettings,
    ...(scenario !== 'default' ? { scenario } : {}),
    overrides: {
      ...(values.clients !== undefined ? { clientsCount: values.clients } : {}),
      ...(values.commands !== undefined ? { commandsPerClient: values.commands } : {}),
      ...(faults.length > 0 ? { faults } : {}),
    },
    firstSeed,
    // A time limit alone bounds the campaign: it runs until then (seeds are worked out as needed).
    runs: values.runs ?? (values['time-limit'] !== undefined ? Number.MAX_SAFE_INTEGER - Math.max(0, firstSeed) : 200),
    shard,
    // One thread unless asked: starting workers costs more than a short campaign gains.
    jobs: values.jobs ?? 1,
    reportDirectory: values['report-dir'] ?? 'reports/out',
    checkDeterminism: values['check-determinism'] === true,
  };
  const reportDirectory = settings.reportDirectory ?? 'reports/out';
  const deadline = values['time-limit'] === undefined ? null : Date.now() + values['time-limit'] * 1000;
  const runsText = values.runs === undefined && deadline !== null ? `runs until the ${values['time-limit']} s limit` : `${settings.runs} runs`;
  process.stdout.write(`placement-sim fuzz: seed ${firstSeed}, ${runsText}${shard.count > 1 ? ` (shard ${shard.index}/${shard.count})` : ''}, target ${describeTarget(targetSettings)}\n`);
  let interrupted = false;
  process.on('SIGINT', () => {
    interrupted = true;
  });
  const progress = new Progress(settings.runs / shard.count);
  const reports = new CampaignReports(settings, reportDirectory, values['all-reports'] === true ? 'every' : 'first-of-kind');
  const reported: string[] = [];
  const shrunkInvariants = new Set<string>();
  const nondeterministic: string[] = [];
  const findings = new FindingsTally();
  const campaign = runCampaign(reports.digestSettings(), {
    betweenRuns: () => new Promise((resolve) => setImmediate(resolve)),
    shouldStop: () => interrupted || (deadline !== null && Date.now() > deadline),
    onRunDone: (digest, current) => {
      const seed = digest.seed;
      if (current.runs === 1) process.stdout.write(`  run ${seed}: ${describeRunOptions(digest.options)}\n`);
      if (digest.deterministic === false) {
        nondeterministic.push(seed);
        progress.clear();
        process.stdout.write(`  run ${seed} is not deterministic: a second run of the same seed gave a different history\n`);
      }
      if (digest.violations.length > 0) {
        findings.add(digest);
        const invariant = digest.violations[0]?.invariant;
        const shrinking = values['no-shrink'] !== true && invariant !== undefined && !shrunkInvariants.has(invariant);
        // The digest carries no run; the same seed makes the same run again, once for the report and the shrink.
        const made = shrinking ? runSeed(seed, settings) : null;
        // Listed, and reported when it is the first of its kind, unshrunk, so that nothing found is lost if shrinking is interrupted.
        const reportPath = reports.take(digest, made);
        if (reportPath !== null) reported.push(reportPath);
        progress.clear();
        if (current.failingRunsCount === 1) {
          process.stdout.write(`  first violation, run ${seed}: ${digest.violations[0]?.summary ?? ''}\n    ${describeRunOptions(digest.options)}\n    report: ${reportPath ?? reports.indexPath}\n`);
        }
        if (shrinking && made !== null && invariant !== undefined) {
          shrunkInvariants.add(invariant);
          const shrunk = shrinkFailure(made, invariant, settings);
          const shrunkPath = writeFailureReport(join(reportDirectory, 'shrunk'), seed, shrunk.result, targetSettings, settings.overrides, {
            attempts: shrunk.attempts,
            before: shrunk.before,
            after: shrunk.after,
          });
          reported.push(shrunkPath);
          process.stdout.write(
            `  ${invariant}: run ${seed} shrunk to ${shrunk.after[0]} clients and ${shrunk.after[1]} requests in ${shrunk.attempts} runs: ${shrunkPath.replace(/\.json$/, '.txt')}\n`,
          );
        }
      }
      progress.update(current.runs, current.failingRunsCount);
    },
  });
  let summary: CampaignSummary;
  try {
    summary = await campaign;
  } catch (error) {
    reports.close();
    // An exception is a harness bug, not a finding: say so, keep what was written, exit 2.
    progress.clear();
    process.stderr.write(`fuzz campaign stopped by a harness error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    if (reported.length > 0) process.stderr.write(`${reported.length} report(s) written before it, in ${reportDirectory}\n`);
    if (reports.listed > 0) process.stderr.write(`${reports.listed} failing run(s) listed before it, in ${reports.indexPath}\n`);
    process.exitCode = 2;
    return;
  }
  reports.close();
  progress.clear();
  printSummary(summary, findings, settings, reported, reports);
  if (interrupted || summary.stoppedEarly) process.stdout.write(`stopped early after ${summary.runs} runs (${interrupted ? 'interrupted' : 'time limit'})\n`);
  if (nondeterministic.length > 0) process.stdout.write(`not deterministic: seeds ${nondeterministic.join(', ')}\n`);
  process.exitCode = summary.failingRunsCount > 0 || nondeterministic.length > 0 ? 1 : 0;
}

/** Live targets: the in-process-only options are refused, the rest goes to fuzzLive. */
function mainLive(target: string, scenario: Scenario, values: OptionValues<typeof SPEC>): void {
  for (const name of ['profile', 'isolation', 'defect', 'fault'] as const) {
    if (values[name] !== undefined) return usageError(`--${name} only applies to --target sim: a live target runs the real service`, USAGE);
  }
  if (values['all-reports'] !== undefined) return usageError('--all-reports only applies to --target sim: a live campaign writes a report for every failing run', USAGE);
  const shard = parseShard(values.shard);
  if (typeof shard === 'string') return usageError(shard, USAGE);
  for (const name of ['runs', 'clients', 'commands', 'time-limit', 'workers', 'check-time-limit'] as const) {
    const value = values[name];
    if (value !== undefined && value < 1) return usageError(`--${name} must be at least 1`, USAGE);
  }
  if (values.clients !== undefined && (values.clients < 2 || values.clients > 16)) return usageError('--clients must be between 2 and 16', USAGE);
  const firstSeed = values.seed ?? Math.floor(Date.now() % 1_000_000_000);
  const options: LiveCliOptions = {
    target,
    firstSeed,
    runs: values.runs ?? 200,
    shard,
    overrides: {
      ...(values.clients !== undefined ? { clientsCount: values.clients } : {}),
      ...(values.commands !== undefined ? { commandsPerClient: values.commands } : {}),
    },
    scenario,
    workers: values.workers,
    allowReset: values['allow-reset'] === true,
    checkTimeLimitMs: values['check-time-limit'] === undefined ? undefined : values['check-time-limit'] * 1000,
    reportDirectory: values['report-dir'] ?? 'reports/out',
    timeLimitSeconds: values['time-limit'] ?? null,
  };
  settleExitCode(fuzzLive(options), 'live campaign', USAGE);
}

function printSummary(summary: CampaignSummary, findings: FindingsTally, settings: CampaignSettings, reported: readonly string[], reports: CampaignReports): void {
  const findingsText = findings.render();
  if (findingsText !== null) process.stdout.write(`${findingsText}\n`);
  const table = new Table({ head: ['', 'count'], style: { head: [], border: [] } });
  table.push(['runs', summary.runs], ['steps', summary.steps], ['requests', summary.requests], ['failing runs', summary.failingRunsCount]);
  for (const invariant of INVARIANT_NAMES) table.push([`violations: ${invariant}`, summary.violationsByInvariant.get(invariant) ?? 0]);
  const first = summary.firstFailingRun;
  table.push(['first failing seed', first === null ? '-' : first.seed]);
  process.stdout.write(`${table.toString()}\n`);
  if (reported.length > 0) process.stdout.write(`${reported.length} report(s) in ${reported[0]?.replace(/\/[^/]*$/, '') ?? ''}\n`);
  if (reports.listed > 0) {
    const which = reports.policy === 'every' ? 'each with its report' : 'a full report for the first of each kind, --all-reports for every one';
    process.stdout.write(`${reports.listed} failing run(s) listed in ${reports.indexPath} (${which})\n`);
  }
  if (first !== null) {
    process.stdout.write(`replay the first failing seed: ${replayCommand(first.seed, settings)}\n`);
    process.stdout.write(`or its report: npm run replay -- ${reported[0] ?? ''}\n`);
  }
}

/** A one-line progress bar on a terminal; silent otherwise. */
class Progress {
  private readonly enabled = process.stderr.isTTY === true;
  constructor(private readonly total: number) {}
  update(done: number, failing: number): void {
    if (!this.enabled) return;
    const width = 30;
    const filled = Math.min(width, Math.round((done / Math.max(1, this.total)) * width));
    process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${Math.ceil(this.total)} runs, ${failing} failing`);
  }
  clear(): void {
    if (this.enabled) process.stderr.write('\r\u001b[K');
  }
}

void main();
