/**
 * Reads a live failure report (`kind: 'live'`) back for a replay, checking
 * what the replay relies on: the schema version, the target, the program it
 * re-sends, the history whose start order it follows (consistent with that
 * program) and the violations it tries to reproduce. A problem is a message
 * naming the fix, not an exception.
 */
import { readFileSync } from 'node:fs';
import { HISTORY_FILE_SCHEMA_VERSION, validateHistoryFile } from '../properties/linearizability/historyFile.ts';
import { INVARIANT_NAMES, type Violation } from '../properties/violation.ts';
import type { Operation } from '../sim/history.ts';
import { isScenario } from '../sim/program/generateScenarioProgram.ts';
import { Knowledge } from '../sim/program/knowledge.ts';
import type { Program } from '../sim/program/program.ts';
import { setupRequests } from '../sim/setupRequests.ts';
import { LIVE_REPORT_SCHEMA_VERSION, type LiveFailureReport, type LiveTargetDescription } from './liveFailureReport.ts';
import { fail, good, readArray, readChoice, readProgram, readRecord, readString, type Read } from './readProgram.ts';

export type ReadLiveReport =
  | { readonly kind: 'ok'; readonly report: LiveFailureReport }
  | { readonly kind: 'error'; readonly message: string }
  /** Not a live report, or not readable at all: the in-process reader decides and words the problem. */
  | { readonly kind: 'notLive' };

export function readLiveFailureReport(path: string): ReadLiveReport {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch {
    return { kind: 'notLive' };
  }
  const record = readRecord(value, '$');
  if (!record.ok || record.value['kind'] !== 'live') return { kind: 'notLive' };
  const read = validateLiveFailureReport(record.value);
  return read.ok ? { kind: 'ok', report: read.value } : { kind: 'error', message: `${path}: ${read.message}` };
}

/** Checks a parsed live report; messages start with the JSON path of the problem. */
export function validateLiveFailureReport(value: Readonly<Record<string, unknown>>): Read<LiveFailureReport> {
  if (value['schemaVersion'] !== LIVE_REPORT_SCHEMA_VERSION) {
    const tool = readRecord(value['tool'], '$.tool');
    const commit = tool.ok && typeof tool.value['commit'] === 'string' ? ` (it names commit ${tool.value['commit']})` : '';
    return fail(
      `$.schemaVersion is ${JSON.stringify(value['schemaVersion']) ?? 'missing'}; this version replays live reports of schemaVersion ${LIVE_REPORT_SCHEMA_VERSION}. ` +
        `Replay it with the version of placement-sim that wrote it${commit}.`,
    );
  }
  const target = readTarget(value['target']);
  if (!target.ok) return target;
  if (!isScenario(String(value['scenario']))) return fail(`$.scenario ${JSON.stringify(value['scenario'])} is not a scenario this version knows`);
  const seed = readString(value['seed'], '$.seed');
  if (!seed.ok) return seed;
  for (const field of ['options', 'overrides'] as const) {
    const record = readRecord(value[field], `$.${field}`);
    if (!record.ok) return record;
  }
  const program = readProgram(value['program'], '$.program');
  if (!program.ok) return program;
  const history = readHistory(value['history']);
  if (!history.ok) return history;
  const consistent = checkHistoryFitsProgram(history.value, program.value);
  if (!consistent.ok) return consistent;
  const violations = readArray(value['violations'], '$.violations', readViolation);
  if (!violations.ok) return violations;
  if (violations.value.length === 0) return fail('$.violations is empty: there is nothing to reproduce');
  // The fields checked above are the ones a replay relies on; the rest is the tool's own output, passed through.
  return good({ ...(value as unknown as LiveFailureReport), target: target.value, program: program.value, history: history.value, violations: violations.value });
}

function readTarget(value: unknown): Read<LiveTargetDescription> {
  const record = readRecord(value, '$.target');
  if (!record.ok) return record;
  const target = readString(record.value['target'], '$.target.target');
  if (!target.ok) return target;
  const url = readString(record.value['url'], '$.target.url');
  if (!url.ok) return url;
  const database = record.value['database'];
  if (database !== null && typeof database !== 'string') return fail('$.target.database must be a string or null');
  const workers = record.value['workers'];
  if (workers !== null && !(typeof workers === 'number' && Number.isSafeInteger(workers) && workers >= 1)) return fail('$.target.workers must be a positive integer or null');
  return good({ target: target.value, url: url.value, database, workers });
}

const SNAPSHOT_CLIENT = -2;
const SETUP_CLIENT = -1;

/**
 * The history file reader of `npm run check` reads operations; its paths are
 * renamed to this report's. Its format has no snapshot client, so the live
 * snapshot reads (client -2) are read as setup ones and get their client back.
 */
function readHistory(value: unknown): Read<readonly Operation[]> {
  if (!Array.isArray(value)) return fail('$.history must be an array');
  const snapshot = new Set<number>();
  const operations = (value as readonly unknown[]).map((item, index) => {
    const record = readRecord(item, '$');
    if (!record.ok || record.value['client'] !== SNAPSHOT_CLIENT) return item;
    snapshot.add(index);
    return { ...record.value, client: SETUP_CLIENT };
  });
  const read = validateHistoryFile({ schemaVersion: HISTORY_FILE_SCHEMA_VERSION, initialRequests: [], operations });
  if (read.kind === 'error') return fail(read.message.replaceAll('$.operations', '$.history'));
  return good(read.file.operations.map((operation, index) => (snapshot.has(index) ? { ...operation, client: SNAPSHOT_CLIENT } : operation)));
}

function readViolation(value: unknown, path: string): Read<Violation> {
  const record = readRecord(value, path);
  if (!record.ok) return record;
  const invariant = readChoice(record.value['invariant'], `${path}.invariant`, INVARIANT_NAMES);
  if (!invariant.ok) return invariant;
  const summary = readString(record.value['summary'], `${path}.summary`);
  if (!summary.ok) return summary;
  const explanation = readArray(record.value['explanation'], `${path}.explanation`, readString);
  if (!explanation.ok) return explanation;
  const operations = readArray(record.value['operations'], `${path}.operations`, (item, itemPath) =>
    typeof item === 'number' ? good(item) : fail(`${itemPath} must be an operation id`),
  );
  if (!operations.ok) return operations;
  const data = readRecord(record.value['data'], `${path}.data`);
  if (!data.ok) return data;
  return good({ invariant: invariant.value, summary: summary.value, explanation: explanation.value, operations: operations.value, data: data.value });
}

/**
 * The replay re-sends the program and orders its starts by the history, so
 * the two must belong together: the setup is the program's setup, each
 * client's recorded requests are its first actions in order, and each one
 * has the method and path its action renders (which no generation changes).
 */
function checkHistoryFitsProgram(history: readonly Operation[], program: Program): Read<null> {
  const mismatch = (message: string): Read<null> => fail(`${message}: the program and the history do not belong together (was the report edited, or written by another version?)`);
  const setup = setupRequests(program);
  const recordedSetup = history.filter((operation) => operation.client === SETUP_CLIENT);
  if (recordedSetup.length !== setup.length) return mismatch(`$.history has ${recordedSetup.length} setup requests (client -1), the program's setup has ${setup.length}`);
  for (const [index, operation] of recordedSetup.entries()) {
    const expected = setup[index]?.request;
    if (expected === undefined || expected.method !== operation.request.method || expected.path !== operation.request.path) {
      return mismatch(`setup request ${index} is ${operation.request.method} ${operation.request.path}, the program's is ${expected?.method ?? '-'} ${expected?.path ?? '-'}`);
    }
  }
  const byInvocation = [...history].sort((left, right) => left.invokedAt - right.invokedAt || left.id - right.id);
  const nextStep = new Map<number, number>();
  const render = new Knowledge();
  for (const operation of byInvocation) {
    if (operation.client === SETUP_CLIENT || operation.client === SNAPSHOT_CLIENT) continue;
    const actions = program.clients[operation.client];
    if (actions === undefined) return mismatch(`operation #${operation.id} is by client ${operation.client}, the program has ${program.clients.length} clients`);
    const expectedStep = nextStep.get(operation.client) ?? 0;
    if (operation.step !== expectedStep) return mismatch(`operation #${operation.id} is client ${operation.client}'s step ${operation.step}, but its next step in invocation order is ${expectedStep}`);
    nextStep.set(operation.client, expectedStep + 1);
    const action = actions[operation.step];
    if (action === undefined) return mismatch(`operation #${operation.id} is client ${operation.client}'s step ${operation.step}, the program gives it ${actions.length} actions`);
    const expected = render.render(action);
    if (expected.method !== operation.request.method || expected.path !== operation.request.path) {
      return mismatch(`operation #${operation.id} is ${operation.request.method} ${operation.request.path}, its action renders ${expected.method} ${expected.path}`);
    }
  }
  return good(null);
}
