/**
 * `npm run replay -- reports/<file>.json`: re-executes a recorded failure.
 * Exit 1 when the violation reproduced, 0 when it did not, 2 when the
 * report cannot be read or replayed.
 */
import { readFailureReport } from '../reports/readFailureReport.ts';
import { replayReport } from '../reports/replayReport.ts';
import { parseOptions, usageError } from './options.ts';

const USAGE = 'usage: npm run replay -- <report.json>';

function main(): void {
  const parsed = parseOptions(process.argv.slice(2), { help: 'boolean' }, USAGE, true);
  if (parsed.kind === 'error') return usageError(parsed.message, USAGE);
  if (parsed.values.help === true) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const [path, ...rest] = parsed.positionals;
  if (path === undefined || rest.length > 0) return usageError('give exactly one report file', USAGE);
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

main();
