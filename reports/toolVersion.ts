/**
 * The tool's version and the git commit it runs from, recorded in reports.
 * Each is read once per process: the code running is the code loaded at the
 * start, and a campaign writes hundreds of reports (a git process per report
 * cost more than making the run).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

let version: string | null = null;
let commit: string | null = null;

export function toolVersion(): string {
  version ??= readToolVersion();
  return version;
}

export function gitCommit(): string {
  commit ??= readGitCommit();
  return commit;
}

function readToolVersion(): string {
  const manifest = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version?: unknown };
  return typeof manifest.version === 'string' ? manifest.version : 'unknown';
}

function readGitCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: projectRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}
