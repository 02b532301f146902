import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { systemEnvironment } from './commands.ts';
import { errorMessage, fail, succeed, type Result } from './result.ts';

export { sleep };

/** A background process started by `up`, and a string its command line must contain to be ours. */
export interface ProcessRecord {
  readonly role: 'uwsgi' | 'mariadb' | 'postgresql';
  readonly pid: number;
  readonly marker: string;
}

function readOptionalFile(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function readProcFile(pid: number, name: string): string | undefined {
  return readOptionalFile(`/proc/${pid}/${name}`);
}

/** False for missing processes and for zombies, which only wait to be reaped. */
export function isRunning(pid: number): boolean {
  const stat = readProcFile(pid, 'stat');
  if (stat === undefined) return false;
  // The state letter follows the parenthesised command name, which may itself contain spaces.
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state !== 'Z' && state !== 'X';
}

/**
 * True when the pid is alive and still the process we recorded; guards
 * against signalling an unrelated process that reused the pid.
 */
export function isRecordedProcess(record: ProcessRecord): boolean {
  if (!isRunning(record.pid)) return false;
  const commandLine = readProcFile(record.pid, 'cmdline');
  return commandLine !== undefined && commandLine.split('\0').join(' ').includes(record.marker);
}

export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (isRunning(pid)) {
    if (performance.now() > deadline) return false;
    await sleep(20);
  }
  return true;
}

function sendSignal(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone between the liveness check and the signal.
  }
}

export interface SignalStep {
  readonly signal: NodeJS.Signals;
  readonly waitMs: number;
}

/**
 * Sends each signal in turn until the process exits. Returns the signal that
 * stopped it, or undefined if it survived all of them.
 */
export async function stopProcess(record: ProcessRecord, steps: readonly SignalStep[]): Promise<NodeJS.Signals | 'not running' | undefined> {
  if (!isRecordedProcess(record)) return 'not running';
  for (const step of steps) {
    sendSignal(record.pid, step.signal);
    if (await waitForExit(record.pid, step.waitMs)) return step.signal;
  }
  return undefined;
}

/** Whether nothing listens on the loopback port (binding it is the only reliable test). */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** A loopback port the kernel considers free right now. */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ port: 0, host: '127.0.0.1', exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** The kernel's cap on listen backlogs; uwsgi refuses to start with a larger --listen. */
export function listenBacklogLimit(): number | undefined {
  const text = readOptionalFile('/proc/sys/net/core/somaxconn');
  const value = text === undefined ? Number.NaN : Number.parseInt(text, 10);
  return Number.isFinite(value) ? value : undefined;
}

export function lastLinesOfFile(path: string, count: number): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-count).join('\n');
  } catch {
    return `(no log at ${path})`;
  }
}

/**
 * Starts a long-running server in its own session with output appended to a
 * log file, so it outlives the calling script and ignores the terminal's
 * Ctrl-C. Returns its pid.
 */
export function spawnDetached(
  command: string,
  commandArguments: readonly string[],
  logPath: string,
  environment: NodeJS.ProcessEnv = systemEnvironment(),
  workingDirectory?: string,
): Result<number> {
  let logDescriptor: number | undefined;
  try {
    logDescriptor = openSync(logPath, 'a');
    const child = spawn(command, commandArguments, {
      detached: true,
      stdio: ['ignore', logDescriptor, logDescriptor],
      env: environment,
      cwd: workingDirectory,
    });
    // Launch errors are reported through the missing pid below; without a
    // listener the 'error' event would crash the caller.
    child.on('error', () => undefined);
    child.unref();
    return child.pid === undefined ? fail('setup', `cannot start ${command} (is it installed?)`) : succeed(child.pid);
  } catch (error) {
    return fail('setup', `cannot start ${command}: ${errorMessage(error)}`);
  } finally {
    if (logDescriptor !== undefined) closeSync(logDescriptor);
  }
}
