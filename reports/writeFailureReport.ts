/**
 * Writes a failing run's report (JSON, text and HTML side by side) to disk
 * as soon as it is found, so a violation found is never lost.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SeedResult } from '../campaign/runSeed.ts';
import type { TargetSettings } from '../campaign/targetSettings.ts';
import { replayCommand } from '../cli/replayCommand.ts';
import type { RunOptionOverrides } from '../sim/runOptions.ts';
import { buildFailureReport, type FailureReport } from './failureReport.ts';
import { renderHtml } from './renderHtml.ts';
import { renderText } from './renderText.ts';
import { stableJson } from './stableJson.ts';
import { gitCommit, toolVersion } from './toolVersion.ts';

export function reportBaseName(seed: string, target: TargetSettings): string {
  const defects = target.defects.length === 0 ? '' : `-${target.defects.join('+')}`;
  return `${target.profile}-${target.isolation}${defects}-seed-${seed}`;
}

export function writeFailureReport(
  directory: string,
  seed: string,
  result: SeedResult,
  target: TargetSettings,
  overrides: RunOptionOverrides,
  shrunk: FailureReport['shrunk'] = null,
): string {
  mkdirSync(directory, { recursive: true });
  const base = join(directory, reportBaseName(seed, target));
  const report = buildFailureReport(seed, result, target, overrides, { version: toolVersion(), commit: gitCommit() }, replayCommand(seed, { target, overrides }), shrunk);
  const jsonPath = `${base}.json`;
  writeFileSync(jsonPath, `${stableJson(report)}\n`);
  const text = renderText(report, jsonPath);
  writeFileSync(`${base}.txt`, `${text}\n`);
  writeFileSync(`${base}.html`, renderHtml(report, text));
  return jsonPath;
}
