/**
 * Writes a failing live run's report to disk as soon as the run is checked,
 * so a violation found on a real service is never lost.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LiveSeedResult } from '../campaign/runLiveSeed.ts';
import type { Scenario } from '../sim/program/generateScenarioProgram.ts';
import type { RunOptionOverrides } from '../sim/runOptions.ts';
import { buildLiveFailureReport, type LiveTargetDescription } from './liveFailureReport.ts';
import { stableJson } from './stableJson.ts';
import { gitCommit, toolVersion } from './toolVersion.ts';

export function writeLiveFailureReport(
  directory: string,
  seed: string,
  result: LiveSeedResult,
  target: LiveTargetDescription,
  scenario: Scenario,
  overrides: RunOptionOverrides,
  replay: string,
  /** A replay names its report after the one it replayed; a campaign leaves it to the default. */
  fileName: string | null = null,
): string {
  mkdirSync(directory, { recursive: true });
  const where = target.database ?? new URL(target.url).host.replace(/[^A-Za-z0-9.-]/g, '_');
  const path = join(directory, fileName ?? `live-${where}-${scenario}-seed-${seed}.json`);
  const report = buildLiveFailureReport(seed, result, target, scenario, overrides, { version: toolVersion(), commit: gitCommit() }, replay);
  writeFileSync(path, `${stableJson(report)}\n`);
  return path;
}
