/**
 * Differential conformance against the real Placement 8.0.0, started through
 * services/placement on sqlite (PLACEMENT_TEST_DATABASES names others; CI
 * runs all three). Fails, never skips, when the service
 * cannot be installed or started.
 *
 * 1. A fixed-seed run of at least 2,000 requests has no unexplained
 *    difference.
 * 2. The harness catches a deliberately wrong model, shrinks the sequence
 *    that shows it and writes a report that replays.
 * 3. Every named finding still reproduces on the service and its predicate
 *    recognises it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpRequest, HttpResponse } from '../../model/index.ts';
import { readConformanceReport, writeConformanceReport } from '../../reports/conformanceReport.ts';
import { databasesUnderTest, startPlacementForTest } from '../../services/placement/forTests.ts';
import { stopPlacement, type PlacementService } from '../../services/placement/service.ts';
import { FINDINGS } from '../findings.ts';
import { checkConformance, type ConformanceResult } from './checkConformance.ts';
import { placementConformanceTarget, type ConformanceTarget, type Database } from './conformanceTarget.ts';
import { runRecordedSequence } from './runSequence.ts';

const SEED = 20_261_122;
const REQUESTS = 2_000;

function describeFailure(result: ConformanceResult, database: Database): string {
  const outcome = result.outcome;
  switch (outcome.kind) {
    case 'passed':
      return 'passed';
    case 'mismatch': {
      const steps = outcome.mismatch.shrunk.run.steps;
      const lines = steps.map((step) => `${step.index}. ${step.request.method} ${step.request.path} ${step.request.body ?? ''}`);
      const last = steps[steps.length - 1];
      const differences = last?.differences.map((difference) => `${difference.where}: model ${difference.model} / real ${difference.real}`) ?? [];
      return [`unexplained mismatch ${outcome.mismatch.signature}`, ...lines, ...differences, `replay: npm run conformance -- --requests ${REQUESTS} --seed ${SEED} --db ${database}`].join('\n');
    }
    case 'inconclusive':
      return `no response: ${outcome.reason}`;
    case 'resetFailed':
      return outcome.message;
    default:
      return 'unknown outcome';
  }
}

/** The wrong model: every usage it reports is one more than it should be. */
function inflateUsages(request: HttpRequest, response: HttpResponse): HttpResponse {
  if (response.status !== 200 || !/\/usages$/.test(request.path.split('?')[0] ?? '')) return response;
  const document = JSON.parse(response.body) as { usages?: Record<string, unknown> };
  const usages: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(document.usages ?? {})) usages[name] = typeof value === 'number' ? value + 1 : value;
  return { ...response, body: JSON.stringify({ ...document, usages }) };
}

describe.each(databasesUnderTest())('conformance of the model with the real Placement 8.0.0 (%s)', (database) => {
  let service: PlacementService | undefined;
  let target: ConformanceTarget | undefined;
  const reportDirectory = mkdtempSync(join(tmpdir(), 'placement-conformance-'));

  function running(): ConformanceTarget {
    if (target === undefined) throw new Error('the real Placement service was not started (see the failure of the setup hook)');
    return target;
  }

  beforeAll(async () => {
    service = await startPlacementForTest(database, 2, 'conformance');
    target = placementConformanceTarget(service.url, { database, timeoutMs: 10_000 });
  }, 600_000);

  afterAll(async () => {
    target?.close();
    if (service !== undefined) await stopPlacement(service);
    rmSync(reportDirectory, { recursive: true, force: true });
  }, 60_000);

  it(`agrees on ${REQUESTS} requests of seed ${SEED}, apart from named findings`, async () => {
    const result = await checkConformance({ seed: SEED, requestsTarget: REQUESTS, shrinkRunsMax: 60, target: running(), findings: FINDINGS });
    expect(result.outcome.kind, describeFailure(result, database)).toBe('passed');
    expect(result.statistics.requestsSent).toBeGreaterThanOrEqual(REQUESTS);
    expect(result.statistics.requestsMatched).toBeGreaterThan(REQUESTS * 0.8);
  }, 150_000);

  it('catches a model that misreports usages, shrinks the sequence and writes a report that replays', async () => {
    const result = await checkConformance({
      seed: SEED,
      requestsTarget: 400,
      shrinkRunsMax: 40,
      target: running(),
      findings: FINDINGS,
      mutateModelResponse: inflateUsages,
    });
    expect(result.outcome.kind).toBe('mismatch');
    if (result.outcome.kind !== 'mismatch') return;
    const mismatch = result.outcome.mismatch;
    expect(mismatch.signature).toContain('/usages');
    expect(mismatch.shrunk.plans.length).toBeLessThanOrEqual(mismatch.original.plans.length);
    // A provider, its inventory, an allocation and the read: a handful of requests at most.
    expect(mismatch.shrunk.run.steps.length).toBeLessThanOrEqual(8);

    const path = writeConformanceReport(reportDirectory, mismatch, database, 400);
    const report = readConformanceReport(path);
    expect(report.kind).toBe('report');
    if (report.kind !== 'report') return;
    expect(report.requests).toEqual(mismatch.shrunk.run.steps.map((step) => step.request));
    const replayed = await runRecordedSequence(report.requests, { target: running(), findings: FINDINGS, mutateModelResponse: inflateUsages });
    expect(replayed.verdict.kind).toBe('mismatch');
    const honest = await runRecordedSequence(report.requests, { target: running(), findings: FINDINGS });
    expect(honest.verdict.kind).toBe('matched');
  }, 120_000);

  const databaseFindings = FINDINGS.filter((finding) => finding.databases.includes(database));
  it.each(databaseFindings.map((finding) => [finding.name, finding] as const))('finding %s still reproduces and is recognised', async (_name, finding) => {
    const run = await runRecordedSequence(finding.demonstration, { target: running(), findings: FINDINGS });
    expect(run.verdict).toEqual({ kind: 'explained', finding: finding.name, index: finding.demonstration.length - 1 });
  }, 30_000);
});
