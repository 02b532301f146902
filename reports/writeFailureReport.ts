/**
 * Writes a failing run's report to disk before anything else happens, so a
 * violation found is never lost.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SeedResult } from '../campaign/runSeed.ts';
import type { TargetSettings } from '../campaign/targetSettings.ts';
import { replayCommand } from '../cli/replayCommand.ts';
import type { RunOptionOverrides } from '../sim/runOptions.ts';
import { buildFailureReport } from './failureReport.ts';
import { stableJson } from './stableJson.ts';
import { gitCommit, toolVersion } from './toolVersion.ts';

export function writeFailureReport(directory: string, seed: string, result: SeedResult, target: TargetSettings, overrides: RunOptionOverrides): string {
  mkdirSync(directory, { recursive: true });
  const defects = target.defects.length === 0 ? '' : `-${target.defects.join('+')}`;
  const name = `${target.profile}-${target.isolation}${defects}-seed-${seed}.json`;
  const path = join(directory, name);
  const report = buildFailureReport(seed, result, target, overrides, { version: toolVersion(), commit: gitCommit() }, replayCommand(seed, { target, overrides }));
  writeFileSync(path, `${stableJson(report)}\n`);
  return path;
}
