/**
 * Reads a failure report back, checking that it is one this version can
 * replay; a problem is a message, not an exception.
 */
import { readFileSync } from 'node:fs';
import { PROFILES } from '../sim/inProcess/target.ts';
import { ISOLATIONS } from '../sim/store/store.ts';
import { isDefectName } from '../sim/defects.ts';
import { REPORT_SCHEMA_VERSION, type FailureReport } from './failureReport.ts';

export type ReadReport = { readonly kind: 'ok'; readonly report: FailureReport } | { readonly kind: 'error'; readonly message: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function readFailureReport(path: string): ReadReport {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (failure) {
    return { kind: 'error', message: `cannot read ${path}: ${failure instanceof Error ? failure.message : String(failure)}` };
  }
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (failure) {
    return { kind: 'error', message: `${path} is not JSON: ${failure instanceof Error ? failure.message : String(failure)}` };
  }
  if (!isRecord(value)) return { kind: 'error', message: `${path} is not a report object` };
  if (value['schemaVersion'] !== REPORT_SCHEMA_VERSION) {
    return { kind: 'error', message: `${path} has schemaVersion ${JSON.stringify(value['schemaVersion'])}; this version replays schemaVersion ${REPORT_SCHEMA_VERSION}` };
  }
  const target = value['target'];
  if (!isRecord(target)) return { kind: 'error', message: `${path} has no target` };
  if (!(PROFILES as readonly unknown[]).includes(target['profile'])) return { kind: 'error', message: `${path}: unknown profile ${JSON.stringify(target['profile'])}` };
  if (!(ISOLATIONS as readonly unknown[]).includes(target['isolation'])) return { kind: 'error', message: `${path}: unknown isolation ${JSON.stringify(target['isolation'])}` };
  const defects = target['defects'];
  if (!Array.isArray(defects) || !defects.every((defect: unknown) => typeof defect === 'string' && isDefectName(defect))) {
    return { kind: 'error', message: `${path}: defects must be a list of known defect names` };
  }
  for (const field of ['options', 'program', 'overrides'] as const) {
    if (!isRecord(value[field])) return { kind: 'error', message: `${path} has no ${field}` };
  }
  for (const field of ['schedule', 'history', 'violations'] as const) {
    if (!Array.isArray(value[field])) return { kind: 'error', message: `${path} has no ${field} list` };
  }
  // The fields checked above are the ones replay relies on; the rest is the tool's own output.
  return { kind: 'ok', report: value as unknown as FailureReport };
}
