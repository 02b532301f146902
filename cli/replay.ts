/**
 * `npm run replay -- reports/<file>.json`: re-executes a recorded failure.
 * Exit 1 when the violation reproduced, 0 when it did not, 2 when the
 * report cannot be read or replayed.
 *
 * An in-process report is re-executed exactly (same schedule, same history
 * byte for byte). A live report (`kind: 'live'`) is re-sent to a live
 * Placement in its recorded start order, up to --attempts times (replayLive.ts).
 */
import { readFailureReport } from '../reports/readFailureReport.ts';
import { readLiveFailureReport } from '../reports/readLiveFailureReport.ts';
import { replayReport } from '../reports/replayReport.ts';
import type { LiveFailureReport } from '../reports/liveFailureReport.ts';
import { FORCE_RESET_FLAG } from '../sim/live/resetAuthority.ts';
import { parseOptions, settleExitCode, usageError, type OptionValues } from './options.ts';
import { DEFAULT_ATTEMPTS, replayLive } from './replayLive.ts';

const USAGE = `usage: npm run replay -- <report.json>
       live reports: npm run replay -- <report.json> [--target URL|placement:sqlite|placement:mariadb|placement:postgresql]
                     [${FORCE_RESET_FLAG}] [--attempts N] [--keep-going]`;

const HELP = `${USAGE}

In-process reports are re-executed with their recorded schedule: the same history
byte for byte, and the same violation.

Live reports (kind "live") re-send the recorded program to a live Placement, each
client request started only after every request recorded before it was sent;
responses come when the service answers, so an attempt may or may not reproduce.
  --target T      where to replay (default: the report's own target); placement:DB
                  starts the real service on a free port and stops it afterwards
  ${FORCE_RESET_FLAG}   reset a service at a URL this project did not start
                  (every attempt first empties the service)
  --attempts N    try up to N times (default ${DEFAULT_ATTEMPTS}), stopping at the first reproduction
  --keep-going    run all N attempts, to count how often it reproduces
  A reproducing attempt's report is written next to the original as <name>-replay-<attempt>.json.

Exit codes: 1 reproduced, 0 not reproduced, 2 unreadable or incompatible report,
usage error, or a target that could not be started or reset.`;

const SPEC = { help: 'boolean', target: 'string', 'allow-reset': 'boolean', attempts: 'integer', 'keep-going': 'boolean' } as const;
const LIVE_ONLY = ['target', 'allow-reset', 'attempts', 'keep-going'] as const;

function main(): void {
  const parsed = parseOptions(process.argv.slice(2), SPEC, USAGE, true);
  if (parsed.kind === 'error') return usageError(parsed.message, USAGE);
  if (parsed.values.help === true) {
    process.stdout.write(`${HELP}\n`);
    return;
  }
  const [path, ...rest] = parsed.positionals;
  if (path === undefined || rest.length > 0) return usageError('give exactly one report file', USAGE);
  const live = readLiveFailureReport(path);
  switch (live.kind) {
    case 'error':
      process.stderr.write(`${live.message}\n`);
      return process.exit(2);
    case 'ok':
      return mainLive(path, live.report, parsed.values);
    case 'notLive':
      break;
    default:
      return assertNever(live);
  }
  for (const name of LIVE_ONLY) {
    if (parsed.values[name] !== undefined) {
      return usageError(`--${name} only applies to live reports (kind "live"); ${path} is an in-process report, replayed exactly: drop --${name}`, USAGE);
    }
  }
  const read = readFailureReport(path);
  if (read.kind === 'error') {
    process.stderr.write(`${read.message}\n`);
    process.exit(2);
  }
  const outcome = replayReport(read.report);
  if (outcome.divergence !== null) {
    process.stderr.write(`the recorded schedule no longer fits the program: ${outcome.divergence} (was the report made by another version?)\n`);
    process.exit(2);
  }
  process.stdout.write(
    outcome.sameHistory
      ? `history: identical to the recorded one (${outcome.result.run.history.operations.length} requests, ${outcome.result.run.stepsCount} steps)\n`
      : `history: differs from the recorded one from operation #${outcome.firstDifference ?? '?'}\n`,
  );
  for (const violation of outcome.result.violations) process.stdout.write(`violation: ${violation.invariant}: ${violation.summary}\n`);
  process.stdout.write(
    outcome.reproduced ? `reproduced: ${outcome.expectedInvariants.join(', ')}\n` : `not reproduced: expected ${outcome.expectedInvariants.join(', ')}\n`,
  );
  process.exitCode = outcome.reproduced ? 1 : 0;
}

function mainLive(path: string, report: LiveFailureReport, values: OptionValues<typeof SPEC>): void {
  const attempts = values.attempts ?? DEFAULT_ATTEMPTS;
  if (attempts < 1) return usageError(`--attempts must be at least 1, got ${attempts}`, USAGE);
  settleExitCode(replayLive(path, report, {
    target: values.target ?? null,
    allowReset: values['allow-reset'] === true,
    attempts,
    keepGoing: values['keep-going'] === true,
  }), 'live replay', USAGE);
}

function assertNever(value: never): never {
  throw new Error(`unexpected report kind ${JSON.stringify(value)}`);
}

main();
