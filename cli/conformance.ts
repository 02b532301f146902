/**
 * `npm run conformance`: differential conformance of the model against the
 * real Placement 8.0.0. Seeded random request sequences run against both;
 * a difference no named finding explains is shrunk, written as a report and
 * fails the run.
 *
 *   npm run conformance -- --requests N --seed S [--url URL | --db sqlite|mariadb|postgresql] [--report-dir DIR]
 *   npm run conformance -- --replay REPORT.json   (replays a report's requests)
 *   npm run conformance -- --finding NAME         (replays a finding's demonstration)
 *   npm run conformance -- --list-findings
 *
 * Without --url the real service is started (and installed from Debian's
 * packages if missing) through services/placement, and stopped at the end.
 * Exit 0: no unexplained difference; 1: an unexplained difference or a
 * request without response; 2: usage or setup error.
 */
import { randomInt } from 'node:crypto';
import { checkConformance, type ConformanceResult } from '../properties/conformance/checkConformance.ts';
import { databases, placementConformanceTarget, type ConformanceTarget, type Database } from '../properties/conformance/conformanceTarget.ts';
import { defaultSequenceShape, SETUP_LENGTH_MAX } from '../properties/conformance/sequenceArbitrary.ts';
import { runRecordedSequence, type SequenceRun } from '../properties/conformance/runSequence.ts';
import { FINDINGS, findingNamed, type Finding } from '../properties/findings.ts';
import { DEFAULT_REPORT_DIRECTORY, readConformanceReport, replayLine, writeConformanceReport } from '../reports/conformanceReport.ts';
import { findFreePort } from '../services/placement/processes.ts';
import { startPlacement, stopPlacement, type PlacementService } from '../services/placement/service.ts';
import { monotonicNs } from '../sim/http/monotonicNs.ts';
import { parseBaseUrl } from '../sim/http/createHttpTarget.ts';
import { findingsTable, renderSteps, summaryTable } from './conformanceOutput.ts';
import { parseOptions, usageError } from './options.ts';

const USAGE = `usage: npm run conformance -- [--requests N] [--seed S] [--url URL | --db ${databases.join('|')}] [--report-dir DIR]
                            [--shrink-runs N] [--timeout-ms N] [--port N] [--workers N]
       npm run conformance -- --replay REPORT.json [--url URL | --db ...]
       npm run conformance -- --finding NAME [--url URL | --db ...]
       npm run conformance -- --list-findings`;

const SPEC = {
  requests: 'integer',
  seed: 'integer',
  url: 'string',
  db: 'string',
  'report-dir': 'string',
  'shrink-runs': 'integer',
  'timeout-ms': 'integer',
  port: 'integer',
  workers: 'integer',
  replay: 'string',
  finding: 'string',
  'list-findings': 'boolean',
  help: 'boolean',
} as const;

const DEFAULT_REQUESTS = 2_000;
const DEFAULT_SHRINK_RUNS = 200;
const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_WORKERS = 2;
/** fast-check seeds are 32-bit integers. */
const SEED_MAX = 2 ** 31 - 1;

type Mode =
  | { readonly kind: 'explore'; readonly requests: number; readonly seed: number; readonly reportDirectory: string; readonly shrinkRuns: number }
  | { readonly kind: 'replay'; readonly path: string }
  | { readonly kind: 'finding'; readonly finding: Finding };

interface Settings {
  readonly mode: Mode;
  readonly url: string | undefined;
  readonly database: Database;
  readonly timeoutMs: number;
  readonly port: number | undefined;
  readonly workers: number;
}

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

function progress(line: string): void {
  process.stderr.write(`conformance: ${line}\n`);
}

function isDatabase(name: string): name is Database {
  return (databases as readonly string[]).includes(name);
}

function settingsFrom(argv: readonly string[]): Settings {
  const parsed = parseOptions(argv, SPEC, USAGE);
  if (parsed.kind === 'error') return usageError(parsed.message, USAGE);
  const values = parsed.values;
  if (values.help === true) {
    say(USAGE);
    process.exit(0);
  }
  if (values['list-findings'] === true) {
    say(findingsTable(FINDINGS));
    process.exit(0);
  }
  const requested = [values.replay, values.finding].filter((value) => value !== undefined);
  if (requested.length > 1) return usageError('--replay and --finding cannot be combined', USAGE);
  let database: Database = 'sqlite';
  if (values.db !== undefined) {
    if (!isDatabase(values.db)) return usageError(`--db must be one of ${databases.join(', ')}, got '${values.db}'`, USAGE);
    database = values.db;
  }
  if (values.url !== undefined) {
    const url = parseBaseUrl(values.url);
    if ('kind' in url) return usageError(`--url: ${url.message}`, USAGE);
    if (values.port !== undefined || values.workers !== undefined) return usageError('--port and --workers apply only to a service this command starts; drop them with --url', USAGE);
  }
  const positive = (name: string, value: number | undefined, fallback: number): number => {
    if (value === undefined) return fallback;
    if (value < 1) return usageError(`--${name} must be at least 1, got ${value}`, USAGE);
    return value;
  };
  const common = {
    url: values.url,
    database,
    timeoutMs: positive('timeout-ms', values['timeout-ms'], DEFAULT_TIMEOUT_MS),
    port: values.port,
    workers: positive('workers', values.workers, DEFAULT_WORKERS),
  };
  if (values.replay !== undefined) return { ...common, mode: { kind: 'replay', path: values.replay } };
  if (values.finding !== undefined) {
    const finding = findingNamed(values.finding);
    if (finding === undefined) return usageError(`unknown finding '${values.finding}'; known: ${FINDINGS.map((known) => known.name).join(', ')}`, USAGE);
    return { ...common, mode: { kind: 'finding', finding } };
  }
  const seed = values.seed ?? randomInt(0, SEED_MAX);
  if (seed < 0 || seed > SEED_MAX) return usageError(`--seed must be between 0 and ${SEED_MAX}, got ${seed}`, USAGE);
  return {
    ...common,
    mode: {
      kind: 'explore',
      requests: positive('requests', values.requests, DEFAULT_REQUESTS),
      seed,
      reportDirectory: values['report-dir'] ?? DEFAULT_REPORT_DIRECTORY,
      shrinkRuns: positive('shrink-runs', values['shrink-runs'], DEFAULT_SHRINK_RUNS),
    },
  };
}

/** The options that decide which target a replay line must name. */
function targetOptions(settings: Settings): string {
  if (settings.url !== undefined) return ` --url ${settings.url} --db ${settings.database}`;
  return settings.database === 'sqlite' ? '' : ` --db ${settings.database}`;
}

interface Service {
  readonly url: string;
  readonly stop: () => Promise<void>;
}

async function provideService(settings: Settings): Promise<Service> {
  if (settings.url !== undefined) return { url: settings.url, stop: async () => undefined };
  const port = settings.port ?? (await findFreePort());
  progress(`starting the real Placement 8.0.0 (${settings.database}, ${settings.workers} workers) on port ${port}`);
  const started = await startPlacement({ port, database: settings.database, workers: settings.workers, log: progress });
  if (!started.ok) {
    process.stderr.write(`cannot start the real Placement service (${started.failure.kind} error): ${started.failure.message}\n`);
    process.exit(2);
  }
  const service: PlacementService = started.value;
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    const result = await stopPlacement(service);
    if (!result.ok) progress(`stopping the service failed: ${result.failure.message}`);
  };
  const interrupt = (): void => {
    void stop().then(() => process.exit(2));
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  return { url: service.url, stop };
}

async function explore(settings: Settings, mode: Extract<Mode, { kind: 'explore' }>, target: ConformanceTarget): Promise<number> {
  let nextProgress = 1_000;
  const startedNs = monotonicNs();
  const result: ConformanceResult = await checkConformance({
    seed: mode.seed,
    requestsTarget: mode.requests,
    shrinkRunsMax: mode.shrinkRuns,
    target,
    findings: FINDINGS,
    onSequence: (statistics) => {
      if (statistics.requestsSent < nextProgress) return;
      nextProgress += 1_000;
      progress(`${statistics.requestsSent} requests, ${statistics.sequences} sequences`);
    },
  });
  const wallNs = monotonicNs() - startedNs;
  const seedReplay = `npm run conformance -- --requests ${mode.requests} --seed ${mode.seed}${targetOptions(settings)}`;
  const outcome = result.outcome;
  const unexplained = outcome.kind === 'mismatch' ? 1 : 0;
  const inconclusive = outcome.kind === 'inconclusive' ? 1 : 0;
  say(summaryTable(result.statistics, unexplained, inconclusive, { wallNs }));
  switch (outcome.kind) {
    case 'passed':
      say(`no unexplained difference in ${result.statistics.requestsSent} requests`);
      return 0;
    case 'mismatch': {
      const mismatch = outcome.mismatch;
      const path = writeConformanceReport(mode.reportDirectory, mismatch, settings.database, mode.requests);
      say(`\nUNEXPLAINED MISMATCH: ${mismatch.signature}`);
      say(`shrunk from ${mismatch.original.plans.length} to ${mismatch.shrunk.plans.length} requests in ${mismatch.shrinkRuns} runs (budget ${mismatch.shrinkRunsMax}); report: ${path}`);
      say(renderSteps(mismatch.shrunk.run.steps));
      say(`replay: ${replayLine(path)}${targetOptions(settings)}`);
      return 1;
    }
    case 'inconclusive':
      say(`\nINCONCLUSIVE: request ${outcome.run.verdict.kind === 'inconclusive' ? outcome.run.verdict.index : '?'} got no response: ${outcome.reason}`);
      say(renderSteps(outcome.run.steps.slice(-3)));
      say(`replay: ${seedReplay}`);
      return 1;
    case 'resetFailed':
      process.stderr.write(`${outcome.message}\n`);
      say(`replay: ${seedReplay}`);
      return 2;
    default:
      return assertNever(outcome);
  }
}

function verdictLine(run: SequenceRun): string {
  const verdict = run.verdict;
  switch (verdict.kind) {
    case 'matched':
      return 'every response matched';
    case 'explained':
      return `request ${verdict.index} differs, explained by finding ${verdict.finding}`;
    case 'mismatch':
      return `request ${verdict.index} differs, unexplained`;
    case 'inconclusive':
      return `request ${verdict.index} got no response: ${verdict.reason}`;
    case 'resetFailed':
      return `the service could not be reset: ${verdict.message}`;
    default:
      return assertNever(verdict);
  }
}

async function replay(settings: Settings, path: string, target: ConformanceTarget): Promise<number> {
  const report = readConformanceReport(path);
  if (report.kind === 'invalid') {
    process.stderr.write(`${report.message}\n`);
    return 2;
  }
  const run = await runRecordedSequence(report.requests, { target, findings: FINDINGS });
  say(renderSteps(run.steps));
  say(verdictLine(run));
  const failed = run.verdict.kind === 'mismatch' || run.verdict.kind === 'inconclusive';
  if (failed) say(`replay: ${replayLine(path)}${targetOptions(settings)}`);
  return run.verdict.kind === 'resetFailed' ? 2 : failed ? 1 : 0;
}

async function demonstrate(settings: Settings, finding: Finding, target: ConformanceTarget): Promise<number> {
  say(`${finding.name} (${finding.kind}): ${finding.summary}`);
  const run = await runRecordedSequence(finding.demonstration, { target, findings: FINDINGS });
  say(renderSteps(run.steps));
  say(verdictLine(run));
  if (run.verdict.kind === 'resetFailed') return 2;
  const reproduced = run.verdict.kind === 'explained' && run.verdict.finding === finding.name && run.verdict.index === finding.demonstration.length - 1;
  if (reproduced) {
    say(`the service still shows ${finding.name}, and the finding recognises it`);
    return 0;
  }
  say(`${finding.name} did not reproduce as recorded (fixed in the service, or its predicate no longer recognises it)`);
  say(`replay: npm run conformance -- --finding ${finding.name}${targetOptions(settings)}`);
  return 1;
}

async function main(): Promise<void> {
  const settings = settingsFrom(process.argv.slice(2));
  const mode = settings.mode;
  let database = settings.database;
  if (mode.kind === 'replay' && settings.url === undefined && !process.argv.includes('--db')) {
    // A report names the database it was found on; replay there unless told otherwise.
    const report = readConformanceReport(mode.path);
    if (report.kind === 'invalid') return usageError(report.message, USAGE);
    database = report.database;
  }
  if (mode.kind === 'finding' && settings.url === undefined && !process.argv.includes('--db') && !mode.finding.databases.includes(database)) {
    // A finding about one database is demonstrated there unless told otherwise.
    database = mode.finding.databases[0] ?? database;
  }
  const effective: Settings = { ...settings, database };
  if (mode.kind === 'explore') {
    const shape = defaultSequenceShape;
    say(
      `conformance: seed ${mode.seed}, requests ${mode.requests}, database ${database}, target ${settings.url ?? 'started here'}, ` +
        `sequences of up to ${SETUP_LENGTH_MAX} setup + ${shape.randomLengthMax} random requests, shrink runs at most ${mode.shrinkRuns}, ` +
        `timeout ${settings.timeoutMs} ms, findings ${FINDINGS.length}, reports in ${mode.reportDirectory}`,
    );
  }
  const service = await provideService(effective);
  const target = placementConformanceTarget(service.url, { database, timeoutMs: settings.timeoutMs });
  let exitCode = 2;
  try {
    // Fail fast, before any statistics, when the target cannot be reset.
    const preflight = await target.reset();
    if (preflight.kind === 'failed') {
      process.stderr.write(`${preflight.message}\nthe target must be a Placement service started by services/placement (npm run placement:up), which serves the reset endpoint\n`);
      return;
    }
    switch (mode.kind) {
      case 'explore':
        exitCode = await explore(effective, mode, target);
        break;
      case 'replay':
        exitCode = await replay(effective, mode.path, target);
        break;
      case 'finding':
        exitCode = await demonstrate(effective, mode.finding, target);
        break;
      default:
        assertNever(mode);
    }
  } finally {
    target.close();
    await service.stop();
    process.exitCode = exitCode;
  }
  process.exit(exitCode);
}

function assertNever(value: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
}

void main();
