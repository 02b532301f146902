/**
 * `npm run check -- history.json [--time-limit-ms N] [--memory-states-max N] [--json]`:
 * is a recorded concurrent history linearizable with respect to the model?
 *
 * Exit codes: 0 linearizable, 1 not linearizable (a witness is printed),
 * 2 unusable command line or history file, 3 no verdict within the budget.
 */
import { readFileSync, statSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import {
  checkLinearizability,
  DEFAULT_STATES_MAX,
  DEFAULT_TIME_LIMIT_MS,
  type LinearizabilityResult,
} from '../properties/linearizability/checkLinearizability.ts';
import { HISTORY_FILE_FORMAT, initialStateOf, parseHistoryFile } from '../properties/linearizability/historyFile.ts';
import { renderLinearizabilityResult } from '../properties/linearizability/renderLinearizabilityResult.ts';
import { canonicalStateText } from '../properties/linearizability/stateFingerprint.ts';
import { parseOptions } from './options.ts';

const USAGE = 'usage: npm run check -- <history.json> [--time-limit-ms N] [--memory-states-max N] [--json] [--help]';

const HELP = `${USAGE}

Checks that a concurrent history of Placement requests is linearizable: that some
order of its operations, consistent with real time, makes the reference model give
every observed response (same status; same error code for errors; same JSON body,
keys in any order, request ids ignored, for successes).

Options:
  --time-limit-ms N      give up with "unknown" after N ms (default ${DEFAULT_TIME_LIMIT_MS})
  --memory-states-max N  give up with "unknown" when one partition's search memoises
                         more than N states (default ${DEFAULT_STATES_MAX}); memory grows with N
  --json                 print the result as JSON instead of text

Exit codes:
  0  linearizable
  1  not linearizable: a witness is printed
  2  bad command line, or a history file that cannot be read or is invalid
  3  unknown: the time or memory budget ran out before a verdict

${HISTORY_FILE_FORMAT}
`;

/** Larger files would risk the process's memory before the check even starts. */
const FILE_BYTES_MAX = 512 * 1024 * 1024;

const EXIT_CODES: Readonly<Record<LinearizabilityResult['kind'], number>> = { ok: 0, illegal: 1, unknown: 3 };

function main(): number {
  const parsed = parseOptions(
    process.argv.slice(2),
    { 'time-limit-ms': 'integer', 'memory-states-max': 'integer', json: 'boolean', help: 'boolean' },
    USAGE,
    true,
  );
  if (parsed.kind === 'error') return refuse(parsed.message);
  if (parsed.values.help === true) {
    process.stdout.write(HELP);
    return 0;
  }
  const [path, ...extra] = parsed.positionals;
  if (path === undefined || extra.length > 0) return refuse(`expected exactly one history file, got ${parsed.positionals.length}`);
  const timeLimitMs = parsed.values['time-limit-ms'] ?? DEFAULT_TIME_LIMIT_MS;
  const statesMax = parsed.values['memory-states-max'] ?? DEFAULT_STATES_MAX;
  if (timeLimitMs <= 0) return refuse(`--time-limit-ms must be positive, got ${timeLimitMs}`);
  if (statesMax <= 0) return refuse(`--memory-states-max must be positive, got ${statesMax}`);

  const text = readHistoryText(path);
  if (text.kind === 'error') return refuse(text.message);
  const file = parseHistoryFile(text.text);
  if (file.kind === 'error') return refuse(`${path}: ${file.message}\nSee npm run check -- --help for the format.`);

  const result = checkLinearizability(file.file, initialStateOf(file.file), { now: () => performance.now(), timeLimitMs, statesMax });
  const rendered = parsed.values.json === true ? JSON.stringify(resultAsJson(result), null, 2) : renderLinearizabilityResult(result, file.file);
  process.stdout.write(`${rendered}\n`);
  process.stdout.write(`replay: npm run check -- ${path} --time-limit-ms ${timeLimitMs} --memory-states-max ${statesMax}\n`);
  return EXIT_CODES[result.kind];
}

function readHistoryText(path: string): { readonly kind: 'ok'; readonly text: string } | { readonly kind: 'error'; readonly message: string } {
  try {
    const size = statSync(path).size;
    if (size > FILE_BYTES_MAX) return { kind: 'error', message: `${path} is ${size} bytes; the checker reads at most ${FILE_BYTES_MAX}` };
    return { kind: 'ok', text: readFileSync(path, 'utf8') };
  } catch (failure) {
    return { kind: 'error', message: `cannot read ${path}: ${failure instanceof Error ? failure.message : String(failure)}` };
  }
}

/** The result with the model state spelled out, since JSON cannot show its maps. */
function resultAsJson(result: LinearizabilityResult): unknown {
  if (result.kind !== 'illegal') return result;
  const { stateAfterPrefix, ...witness } = result.witness;
  return { ...result, witness: { ...witness, stateAfterPrefix: JSON.parse(canonicalStateText(stateAfterPrefix)) as unknown } };
}

function refuse(message: string): number {
  process.stderr.write(`${message}\n${message.includes(USAGE) ? '' : `${USAGE}\n`}`);
  return 2;
}

process.exitCode = main();
