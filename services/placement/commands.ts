import { spawn } from 'node:child_process';
import { fail, succeed, type Result } from './result.ts';

export interface CommandOutcome {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CommandOptions {
  readonly environment?: NodeJS.ProcessEnv;
  readonly workingDirectory?: string;
  readonly timeoutMs?: number;
}

/** Debian's own tools; keeps a version manager's python3 (often first on PATH) out of the way. */
const systemSearchPath = '/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * Environment for every child process: the Debian search path, no inherited
 * Python overrides, and a fixed hash seed. Placement inserts the standard
 * traits at first start by iterating a Python set, so without a fixed seed
 * every fresh database numbers (and lists) its traits differently.
 */
export function systemEnvironment(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const environment: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['PYTHONPATH', 'PYTHONHOME', 'PYTHONSTARTUP', 'VIRTUAL_ENV', 'PYENV_VERSION']) {
    delete environment[name];
  }
  return {
    ...environment,
    PATH: systemSearchPath,
    PYTHONHASHSEED: '0',
    DEBIAN_FRONTEND: 'noninteractive',
    ...extra,
  };
}

/**
 * Runs a command to completion and captures its output. Only failing to
 * launch it (for example a missing binary) is a failure; a non-zero exit is
 * reported in the outcome for the caller to judge.
 */
export function runCommand(
  command: string,
  commandArguments: readonly string[],
  options: CommandOptions = {},
): Promise<Result<CommandOutcome>> {
  return new Promise((resolve) => {
    const child = spawn(command, commandArguments, {
      env: options.environment ?? systemEnvironment(),
      cwd: options.workingDirectory,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: options.timeoutMs ?? 600_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', (error: NodeJS.ErrnoException) => {
      const reason = error.code === 'ENOENT' ? 'command not found' : error.message;
      resolve(fail('setup', `cannot run ${command}: ${reason}`));
    });
    child.on('close', (exitCode, signal) => resolve(succeed({ exitCode, signal, stdout, stderr })));
  });
}

export function lastLines(text: string, count: number): string {
  return text.trimEnd().split('\n').slice(-count).join('\n');
}

/** One readable message for a command that ran but did not succeed. */
export function describeCommandFailure(
  command: string,
  commandArguments: readonly string[],
  outcome: CommandOutcome,
): string {
  const status = outcome.signal === null ? `exit code ${String(outcome.exitCode)}` : `signal ${outcome.signal}`;
  const output = lastLines(`${outcome.stdout}\n${outcome.stderr}`, 20);
  return `${command} ${commandArguments.join(' ')} failed (${status}):\n${output}`;
}

/** Runs a command that must exit 0; anything else becomes a failure of the given kind. */
export async function runRequired(
  command: string,
  commandArguments: readonly string[],
  options: CommandOptions = {},
  kind: 'setup' | 'runtime' = 'setup',
): Promise<Result<CommandOutcome>> {
  const outcome = await runCommand(command, commandArguments, options);
  if (!outcome.ok) return outcome;
  if (outcome.value.exitCode !== 0) {
    return fail(kind, describeCommandFailure(command, commandArguments, outcome.value));
  }
  return outcome;
}
