/**
 * `npm run replay -- <live report>`: re-sends a live report's recorded
 * program to a live Placement, up to N times, each time starting the client
 * requests in their recorded order, and says whether the violation
 * reproduced. A live interleaving is the service's, so one attempt proves
 * little either way: the summary says how many attempts reproduced.
 *
 * Exit 1 when an attempt reproduced (some violation of an invariant the
 * report's violations broke), 0 when none did, 2 when nothing could be
 * replayed (the target could not be started or reset, or Ctrl-C came first).
 */
import { basename, dirname, join } from 'node:path';
import { LIVE_CHECK_TIME_LIMIT_MS } from '../campaign/runLiveSeed.ts';
import type { LiveFailureReport } from '../reports/liveFailureReport.ts';
import { replayLiveAttempt, type LiveReplayAttempt, type ReplayFidelity } from '../reports/replayLiveReport.ts';
import { writeLiveFailureReport } from '../reports/writeLiveFailureReport.ts';
import { FORCE_RESET_FLAG } from '../sim/live/resetAuthority.ts';
import { DEFAULT_LIVE_LIMITS } from '../sim/live/runLive.ts';
import { SERVICE_PREFIX, withLiveTarget, type AcquiredTarget, type LiveSetupProblem } from './withLiveTarget.ts';

export interface LiveReplayOptions {
  /** `placement:DB` or a URL; null: the report's own target. */
  readonly target: string | null;
  readonly allowReset: boolean;
  readonly attempts: number;
  /** Run every attempt even after one reproduced, to measure how often it does. */
  readonly keepGoing: boolean;
}

export const DEFAULT_ATTEMPTS = 3;

export async function replayLive(path: string, report: LiveFailureReport, options: LiveReplayOptions): Promise<number | LiveSetupProblem> {
  const target = options.target ?? report.target.target;
  // A service started for the replay gets the recorded worker count: it decides how many requests the service runs at once.
  const workers = target.startsWith(SERVICE_PREFIX) ? (report.target.workers ?? undefined) : undefined;
  const expected = [...new Set(report.violations.map((violation) => violation.invariant))];
  const clientRequests = report.history.filter((operation) => operation.client >= 0).length;
  process.stdout.write(
    `placement-sim replay (live): ${path}\n` +
      `  recorded on ${describeRecordedTarget(report)}: seed ${report.seed}, scenario ${report.scenario}, ` +
      `${clientRequests} client requests from ${report.program.clients.length} clients; expecting ${expected.join(', ')}\n`,
  );
  return withLiveTarget({ target, workers, allowReset: options.allowReset }, (acquired, interrupted) => attempts(path, report, options, acquired, interrupted));
}

async function attempts(path: string, report: LiveFailureReport, options: LiveReplayOptions, acquired: AcquiredTarget, interrupted: () => boolean): Promise<number> {
  const { description, authority } = acquired;
  const workers = description.workers === null ? '' : `, ${description.workers} workers`;
  process.stdout.write(`  target: live ${description.target} (${description.url}${workers}); up to ${options.attempts} attempts, client requests started in their recorded order\n`);
  const settings = { authority, limits: DEFAULT_LIVE_LIMITS, checkTimeLimitMs: LIVE_CHECK_TIME_LIMIT_MS };
  let done = 0;
  let reproduced = 0;
  let stop: StopReason = 'allAttempts';
  for (let attempt = 1; attempt <= options.attempts; attempt += 1) {
    if (interrupted()) {
      stop = 'interrupted';
      break;
    }
    const outcome = await replayLiveAttempt(report, settings);
    if ('kind' in outcome) {
      process.stderr.write(`attempt ${attempt}: the service could not be reset: ${outcome.message}\n`);
      return 2;
    }
    done += 1;
    let written: string | null = null;
    if (outcome.reproduced) {
      reproduced += 1;
      const fileName = `${basename(path, '.json')}-replay-${attempt}.json`;
      const replay = [`npm run replay -- ${join(dirname(path), fileName)}`, ...(authority.kind === 'forced' ? [FORCE_RESET_FLAG] : [])].join(' ');
      written = writeLiveFailureReport(dirname(path), report.seed, outcome.result, description, report.scenario, report.overrides, replay, fileName);
    }
    process.stdout.write(`attempt ${attempt}/${options.attempts}: ${verdict(outcome)}; ${describeFidelity(outcome.fidelity)}${written === null ? '' : `; report: ${written}`}\n`);
    if (outcome.reproduced && !options.keepGoing && attempt < options.attempts) {
      stop = 'reproduced';
      break;
    }
  }
  if (done === 0) {
    process.stderr.write('interrupted before the first attempt: nothing was replayed\n');
    return 2;
  }
  process.stdout.write(`${summary(reproduced, done, stop, options.attempts, report)}\n`);
  return reproduced > 0 ? 1 : 0;
}

/** Why the attempts ended before `--attempts` ran out, or that they did not. */
type StopReason = 'allAttempts' | 'reproduced' | 'interrupted';

function summary(reproduced: number, done: number, stop: StopReason, attempts: number, report: LiveFailureReport): string {
  const expected = [...new Set(report.violations.map((violation) => violation.invariant))].join(', ');
  const counted = reproduced > 0 ? `reproduced: ${reproduced} of ${done} attempts` : `not reproduced: none of ${done} attempts broke ${expected}`;
  switch (stop) {
    case 'allAttempts':
      return counted;
    case 'reproduced':
      return `${counted} (stopped at the first reproduction; --keep-going runs all ${attempts})`;
    case 'interrupted':
      return `${counted} (interrupted after ${done} of ${attempts})`;
    default:
      return assertNever(stop);
  }
}

function assertNever(value: never): never {
  throw new Error(`unexpected stop reason ${JSON.stringify(value)}`);
}

function verdict(outcome: LiveReplayAttempt): string {
  const undecided = outcome.result.undecided.length > 0 ? ' (linearizability undecided: the search ran out of time)' : '';
  if (outcome.reproduced) {
    const first = outcome.result.violations.find((violation) => outcome.reproducedInvariants.includes(violation.invariant));
    return `reproduced (${outcome.reproducedInvariants.join(', ')}): ${first?.summary ?? ''}${undecided}`;
  }
  const other = [...new Set(outcome.result.violations.map((violation) => violation.invariant))];
  return `not reproduced (${other.length === 0 ? 'no violations' : `other violations: ${other.join(', ')}`})${undecided}`;
}

function describeFidelity(fidelity: ReplayFidelity): string {
  const order = fidelity.inRecordedOrder ? 'in the recorded start order' : 'NOT in the recorded start order';
  const extra = fidelity.extraRequests > 0 ? ` (+${fidelity.extraRequests} not in the recording)` : '';
  return `${fidelity.sentRecorded}/${fidelity.recordedRequests} recorded requests sent ${order}${extra}, ${fidelity.sameStatus} with the recorded status`;
}

function describeRecordedTarget(report: LiveFailureReport): string {
  const known = [report.target.database, report.target.workers === null ? null : `${report.target.workers} workers`].filter((part) => part !== null);
  return known.length === 0 ? report.target.target : `${report.target.target} (${known.join(', ')})`;
}
