/**
 * Conformance mismatch reports: the shrunk request sequence with the
 * model's and the real service's responses side by side, as JSON.
 *
 * Responses are stored normalised (see properties/conformance/
 * normaliseResponse.ts): request ids and Last-Modified values are random or
 * wall-clock, and leaving them out makes the same mismatch give the same
 * bytes. Keys are sorted. The requests are stored exactly as sent, so a
 * report replays without the generator.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HttpRequest } from '../model/index.ts';
import type { ShrunkMismatch } from '../properties/conformance/checkConformance.ts';
import type { Database } from '../properties/conformance/conformanceTarget.ts';
import { normaliseResponse, type NormalisedResponse } from '../properties/conformance/normaliseResponse.ts';
import type { ComparedStep } from '../properties/conformance/runSequence.ts';
import { stableJson } from './stableJson.ts';

export const DEFAULT_REPORT_DIRECTORY = 'reports/conformance';
export const REPORT_KIND = 'placement-sim conformance mismatch';

export interface ReportedStep {
  readonly index: number;
  readonly request: ReportedRequest;
  readonly model: NormalisedResponse;
  readonly real: NormalisedResponse | { readonly unknown: string };
  readonly differences: readonly { readonly where: string; readonly model: string; readonly real: string }[];
}

/** A request with its body shown as JSON when it parses, so the report reads well; `bodyText` keeps the exact bytes. */
export interface ReportedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly bodyText: string | null;
  readonly body?: unknown;
}

export interface ConformanceReport {
  readonly kind: typeof REPORT_KIND;
  readonly signature: string;
  readonly database: Database;
  readonly seed: number;
  readonly requestsOption: number;
  readonly shrinking: { readonly originalLength: number; readonly shrunkLength: number; readonly runs: number; readonly runsMax: number };
  readonly steps: readonly ReportedStep[];
  readonly replay: string;
}

function reportedRequest(request: HttpRequest): ReportedRequest {
  const base = { method: request.method, path: request.path, headers: request.headers, bodyText: request.body };
  if (request.body === null) return base;
  try {
    return { ...base, body: JSON.parse(request.body) as unknown };
  } catch {
    return base;
  }
}

export function reportedStep(step: ComparedStep): ReportedStep {
  return {
    index: step.index,
    request: reportedRequest(step.request),
    model: normaliseResponse(step.model),
    real: step.real.kind === 'response' ? normaliseResponse(step.real.response) : { unknown: step.real.reason },
    differences: step.differences,
  };
}

/** Where a report for these requests goes; the name depends only on the content. */
export function reportPath(directory: string, database: Database, seed: number, requests: readonly HttpRequest[]): string {
  const digest = createHash('sha256').update(stableJson(requests, 0)).digest('hex').slice(0, 10);
  return join(directory, `conformance-${database}-seed${seed}-${digest}.json`);
}

export function replayLine(path: string): string {
  return `npm run conformance -- --replay ${path}`;
}

export function buildConformanceReport(mismatch: ShrunkMismatch, database: Database, requestsOption: number, path: string): ConformanceReport {
  return {
    kind: REPORT_KIND,
    signature: mismatch.signature,
    database,
    seed: mismatch.seed,
    requestsOption,
    shrinking: {
      originalLength: mismatch.original.plans.length,
      shrunkLength: mismatch.shrunk.plans.length,
      runs: mismatch.shrinkRuns,
      runsMax: mismatch.shrinkRunsMax,
    },
    steps: mismatch.shrunk.run.steps.map(reportedStep),
    replay: replayLine(path),
  };
}

/** Writes the report (creating the directory) and returns its path. */
export function writeConformanceReport(directory: string, mismatch: ShrunkMismatch, database: Database, requestsOption: number): string {
  const requests = mismatch.shrunk.run.steps.map((step) => step.request);
  const path = reportPath(directory, database, mismatch.seed, requests);
  mkdirSync(directory, { recursive: true });
  writeFileSync(path, `${stableJson(buildConformanceReport(mismatch, database, requestsOption, path))}\n`);
  return path;
}

export type ReadReport = { readonly kind: 'report'; readonly database: Database; readonly requests: readonly HttpRequest[] } | { readonly kind: 'invalid'; readonly message: string };

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function requestFrom(value: unknown): HttpRequest | null {
  if (!isRecord(value)) return null;
  const { method, path, headers, bodyText } = value;
  if (typeof method !== 'string' || typeof path !== 'string' || !isRecord(headers)) return null;
  if (bodyText !== null && typeof bodyText !== 'string') return null;
  const headerEntries = Object.entries(headers);
  if (!headerEntries.every(([, headerValue]) => typeof headerValue === 'string')) return null;
  return { method, path, headers: Object.fromEntries(headerEntries) as Record<string, string>, body: bodyText };
}

/** Reads the requests of a report for replay; a malformed file is a usage error, returned as a value. */
export function readConformanceReport(path: string): ReadReport {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (failure) {
    return { kind: 'invalid', message: `cannot read ${path}: ${failure instanceof Error ? failure.message : String(failure)}` };
  }
  if (!isRecord(parsed) || parsed['kind'] !== REPORT_KIND || !Array.isArray(parsed['steps'])) {
    return { kind: 'invalid', message: `${path} is not a conformance report (expected "kind": "${REPORT_KIND}")` };
  }
  const database = parsed['database'];
  if (database !== 'sqlite' && database !== 'mariadb' && database !== 'postgresql') {
    return { kind: 'invalid', message: `${path}: unknown database ${JSON.stringify(database)}` };
  }
  const requests: HttpRequest[] = [];
  for (const step of parsed['steps'] as readonly unknown[]) {
    const request = requestFrom(isRecord(step) ? step['request'] : null);
    if (request === null) return { kind: 'invalid', message: `${path}: step ${requests.length} has no valid request` };
    requests.push(request);
  }
  return { kind: 'report', database, requests };
}
