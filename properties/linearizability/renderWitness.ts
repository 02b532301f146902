/**
 * Renders a witness as prose a reader can verify by hand, in Elle's
 * "Let ... Then ... But ..." form: let the explained prefix run; then one of
 * a few operations must come next; but none of them can.
 */
import { renderedErrorCode } from '../../model/errors.ts';
import type { HttpResponse } from '../../model/index.ts';
import type { Operation } from '../../sim/history.ts';
import type { ResponseDifference } from './responseMatch.ts';
import { describeOperation, renderTimeline } from './renderTimeline.ts';
import { modelAnswerOf, type Candidate, type CandidateOutcome, type Witness } from './witness.ts';

/** Longest prefix shown step by step; earlier steps are listed by id only. */
const PREFIX_SHOWN_MAX = 12;
/** Partitions up to this size get a timeline. */
const TIMELINE_OPERATIONS_MAX = 30;

export function renderWitness(witness: Witness, operationsById: ReadonlyMap<number, Operation>): string {
  return renderWitnessLines(witness, (id) => operationsById.get(id)).join('\n');
}

/**
 * `renderWitness(...).split('\n')`, without the text: the linearizable
 * invariant keeps the lines, and a witness is rendered for most runs.
 * `operationOf` finds an operation by id, as the map does.
 */
export function renderWitnessLines(witness: Witness, operationOf: (id: number) => Operation | undefined): string[] {
  const lines: string[] = [];
  const count = witness.partitionOperationIds.length;
  lines.push(`No order of these ${count} operation${count === 1 ? '' : 's'}, consistent with real time, explains every response.`);
  if (count <= TIMELINE_OPERATIONS_MAX) {
    const partition = witness.partitionOperationIds.flatMap((id) => operationOf(id) ?? []);
    lines.push('');
    pushLines(lines, indent(renderTimeline(partition)));
  }
  lines.push('');
  if (witness.prefix.length === 0) {
    lines.push('Let nothing have happened yet (no operation can even be placed first).');
  } else {
    const noun = witness.prefix.length === 1 ? 'this operation take' : `these ${witness.prefix.length} operations take`;
    lines.push(`Let ${noun} effect in this order, each answered as observed (the furthest the search got):`);
    const hidden = witness.prefix.length - PREFIX_SHOWN_MAX;
    if (hidden > 0) lines.push(`  (first ${hidden}: ${abbreviatedIds(witness.prefix.slice(0, hidden))})`);
    for (let offset = Math.max(0, hidden); offset < witness.prefix.length; offset += 1) {
      const id = witness.prefix[offset] ?? Number.NaN;
      const operation = operationOf(id);
      pushOperationLine(lines, `  ${offset + 1}. ${operation === undefined ? `#${id}` : `#${id} client ${operation.client}: ${describeOperation(operation)}`}`, operation);
    }
  }
  const earliest = witness.earliestReturn;
  if (earliest !== null) {
    lines.push(
      `Then the next operation to take effect must have been called by the time #${earliest.id} returned (${earliest.completedAt ?? '?'}), ` +
        `since #${earliest.id} itself must take effect by then. The candidates:`,
    );
  } else {
    lines.push('Then some operation must take effect next:');
  }
  for (const candidate of witness.candidates) pushCandidateLines(lines, candidate);
  lines.push('But none of them can, so no order explains the history.');
  return lines;
}

/**
 * Adds `text` as the lines it holds: an operation's path or reason could
 * hold a line break, which the text's lines would split at.
 */
function pushLines(lines: string[], text: string): void {
  if (!text.includes('\n')) lines.push(text);
  else for (const line of text.split('\n')) lines.push(line);
}

/**
 * `pushLines` of a line about `operation` (or about a missing one), whose
 * other parts are numbers and fixed words: only the operation's own texts
 * could hold a line break, and searching them is cheaper than searching the
 * new line, which the search would first copy whole.
 */
function pushOperationLine(lines: string[], text: string, operation: Operation | undefined): void {
  if (operation === undefined || describedOnOneLine(operation)) lines.push(text);
  else pushLines(lines, text);
}

/** Whether `describeOperation(operation)` holds no line break: its method, path and an unknown outcome's reason hold none. */
function describedOnOneLine(operation: Operation): boolean {
  const completion = operation.completion;
  if (completion.kind === 'unknown' && completion.reason.includes('\n')) return false;
  return !operation.request.method.includes('\n') && !operation.request.path.includes('\n');
}

function pushCandidateLines(lines: string[], candidate: Candidate): void {
  const operation = candidate.operation;
  pushOperationLine(
    lines,
    `  #${operation.id} client ${operation.client} [${operation.invokedAt}, ${operation.completedAt ?? '...'}] ${describeOperation(operation)}`,
    operation,
  );
  const outcome = candidate.outcome;
  switch (outcome.kind) {
    case 'mismatch':
      pushLines(lines, `    the model answers ${summarizeExpected(outcome)}, but the service answered ${summarize(outcome.observed)}`);
      pushLines(lines, `    (${describeDifference(outcome.difference)})`);
      return;
    case 'explainedThenStuck':
      pushLines(lines, `    the model explains its ${summarizeExpected(outcome)} here, but every order continuing from there fails later`);
      return;
    case 'unknownThenStuck':
      lines.push('    its outcome is unknown, so it may take effect here, but every order continuing from there fails later');
      return;
    default:
      assertNever(outcome);
  }
}

export function describeDifference(difference: ResponseDifference): string {
  switch (difference.kind) {
    case 'status':
      return `status ${difference.expected} expected, ${difference.observed} observed`;
    case 'errorCode':
      return `error code ${difference.expected} expected, ${difference.observed} observed`;
    case 'body':
      return `${difference.path === '' ? 'body' : `at ${difference.path}`}: ${difference.expected} expected, ${difference.observed} observed`;
    default:
      return assertNever(difference);
  }
}

/**
 * `summarize(outcome.expected)`, read off the model's answer when the
 * witness kept it (`modelAnswerOf`), so that the response is not rendered
 * for it: a success shows its status, and a refusal rendered as a JSON
 * error document shows its status and the code `renderedErrorCode` reads,
 * the document's only `"code"` member (its other strings are escaped, so
 * they hold no bare quote), when the code is text that JSON writes as it is.
 * Other responses are rendered and read.
 */
function summarizeExpected(outcome: CandidateOutcome & { readonly expected: HttpResponse }): string {
  const given = modelAnswerOf(outcome);
  if (given !== undefined) {
    const status = given.kind === 'refusal' ? given.failure.status : given.kind === 'json' ? given.json.status : given.response.status;
    if (status < 400) return String(status);
    if (given.kind === 'refusal') {
      const code = renderedErrorCode(given.failure, given.context);
      if (code !== undefined && isPlainText(code)) return `${status} ${code}`;
    }
  }
  return summarize(outcome.expected);
}

/** Non-empty printable ASCII without a quote or backslash: JSON writes it as it is, and `summarize`'s expression reads all of it. */
function isPlainText(text: string): boolean {
  if (text.length === 0) return false;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code < 0x20 || code > 0x7e || code === 0x22 || code === 0x5c) return false;
  }
  return true;
}

function summarize(response: HttpResponse): string {
  // The status first: a success shows only its status, and its body (often built piece by piece) need not be searched.
  if (response.status < 400) return String(response.status);
  const code = /"code": ?"([^"]+)"/.exec(response.body)?.[1];
  return code === undefined ? String(response.status) : `${response.status} ${code}`;
}

function abbreviatedIds(ids: readonly number[]): string {
  const shownMax = 40;
  // `ids.slice(0, shownMax).map((id) => `#${id}`).join(', ')`, with each `#id` made once: most witnesses list
  // the first ids of their run here, the same few dozen numbers each time.
  const labels = new Array<string>(Math.min(ids.length, shownMax));
  for (let index = 0; index < labels.length; index += 1) labels[index] = idLabel(ids[index] ?? Number.NaN);
  const shown = labels.join(', ');
  return ids.length > shownMax ? `${shown}, ... ${ids.length - shownMax} more` : shown;
}

/** `#${id}`, kept for the first ids (a fixed bound: a run's ids start at 0). */
function idLabel(id: number): string {
  const known = Number.isInteger(id) && id >= 0 && id < ID_LABELS_KEPT ? idLabels[id] : undefined;
  if (known !== undefined) return known;
  const label = `#${id}`;
  if (Number.isInteger(id) && id >= 0 && id < ID_LABELS_KEPT) idLabels[id] = label;
  return label;
}

const ID_LABELS_KEPT = 1_024;
const idLabels: string[] = [];

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}

function assertNever(value: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
}
