/**
 * Programmatic control of a real OpenStack Placement service (Debian's
 * python3-placement under uwsgi) for tests and the simulator:
 * startPlacement, stopPlacement and resetPlacement. The command-line
 * scripts up.ts, down.ts and reset.ts are thin wrappers around these.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCommand, describeCommandFailure, systemEnvironment } from './commands.ts';
import { prepareDatabase, stopSignals } from './databases.ts';
import { ensurePackages, requiredPackages, type DatabaseKind } from './packages.ts';
import {
  isPortFree,
  isRecordedProcess,
  isRunning,
  lastLinesOfFile,
  listenBacklogLimit,
  sleep,
  spawnDetached,
  stopProcess,
  type ProcessRecord,
} from './processes.ts';
import { errorMessage, fail, succeed, type Result } from './result.ts';
import {
  defaultStateDirectory,
  readStateRecord,
  recreateStateDirectory,
  removeStateRecord,
  statePaths,
  writeStateRecord,
  type StateRecord,
} from './state.ts';

export type { DatabaseKind } from './packages.ts';
export { databaseKinds } from './packages.ts';
export type { Failure, Result } from './result.ts';

/** Handled by wsgi_app.py in front of Placement. */
export const resetPath = '/_placement_sim/reset';
/** Response header naming the uwsgi worker process that served the request. */
export const workerHeader = 'x-placement-sim-worker';

export const defaultPort = 8778;
export const defaultWorkers = 4;
export const defaultDatabase: DatabaseKind = 'sqlite';
/** uwsgi's own default of 100 drops connections under the simulator's bursts. */
const defaultListenBacklog = 1024;
const minimumListenBacklog = 128;

export interface StartOptions {
  readonly port?: number;
  readonly database?: DatabaseKind;
  readonly workers?: number;
  /** Defaults to .placement/<port>/ in the project. */
  readonly stateDirectory?: string;
  /** Accept queue length; defaults to 1024, capped by net.core.somaxconn. */
  readonly listenBacklog?: number;
  readonly readyTimeoutMs?: number;
  /** Keep Placement's one-line-per-request INFO log (off: it grows by megabytes per test run). */
  readonly requestLog?: boolean;
  /** Progress messages; silent by default. */
  readonly log?: (line: string) => void;
}

/** A running service as recorded in its state directory. */
export type PlacementService = StateRecord;

/** Where a service's record lives: its port (default directory), its state directory, or the service itself. */
export type ServiceTarget = number | string | Pick<PlacementService, 'stateDirectory'>;

export interface VersionDocument {
  readonly versions: readonly { readonly id: string; readonly min_version: string; readonly max_version: string; readonly status: string }[];
}

function resolveStateDirectory(target: ServiceTarget): string {
  if (typeof target === 'number') return defaultStateDirectory(target);
  if (typeof target === 'string') return resolve(target);
  return target.stateDirectory;
}

function validateOptions(options: StartOptions): Result<{ port: number; workers: number; database: DatabaseKind }> {
  const port = options.port ?? defaultPort;
  const workers = options.workers ?? defaultWorkers;
  if (!Number.isInteger(port) || port < 1 || port > 65_535) return fail('usage', `invalid port ${port}`);
  if (!Number.isInteger(workers) || workers < 1 || workers > 256) return fail('usage', `invalid worker count ${workers} (1 to 256)`);
  return succeed({ port, workers, database: options.database ?? defaultDatabase });
}

/** uwsgi refuses a --listen above net.core.somaxconn; below 128 it drops connections under load. */
function chooseListenBacklog(requested: number | undefined): Result<number> {
  const limit = listenBacklogLimit();
  if (requested !== undefined && (!Number.isInteger(requested) || requested < minimumListenBacklog)) {
    return fail('usage', `listen backlog must be an integer of at least ${minimumListenBacklog}, got ${requested}`);
  }
  const wanted = requested ?? defaultListenBacklog;
  if (limit === undefined) return succeed(wanted);
  if (requested !== undefined && requested > limit) {
    return fail('setup', `listen backlog ${requested} exceeds net.core.somaxconn=${limit}; raise it (sysctl -w net.core.somaxconn=${requested}) or ask for less`);
  }
  const backlog = Math.min(wanted, limit);
  if (backlog < minimumListenBacklog) {
    return fail('setup', `net.core.somaxconn=${limit} is below ${minimumListenBacklog}; raise it with sysctl -w net.core.somaxconn=1024`);
  }
  return succeed(backlog);
}

function placementConfiguration(connectionUrl: string, database: DatabaseKind): string {
  return [
    '[DEFAULT]',
    'debug = False',
    '[api]',
    // noauth2: the token "admin" makes a request an admin one; nothing else is checked.
    'auth_strategy = noauth2',
    '[placement_database]',
    `connection = ${connectionUrl}`,
    // Skipping fsync on a throw-away database changes durability only, not what requests see.
    ...(database === 'sqlite' ? ['sqlite_synchronous = False'] : []),
    '',
  ].join('\n');
}

async function synchroniseSchema(stateDirectory: string): Promise<Result<void>> {
  const paths = statePaths(stateDirectory);
  const commandArguments = ['--config-file', paths.configuration, 'db', 'sync'];
  const outcome = await runCommand('placement-manage', commandArguments);
  if (!outcome.ok) return outcome;
  writeFileSync(paths.databaseSyncLog, `${outcome.value.stdout}${outcome.value.stderr}`);
  if (outcome.value.exitCode !== 0) {
    return fail('setup', describeCommandFailure('placement-manage', commandArguments, outcome.value));
  }
  return succeed(undefined);
}

function uwsgiArguments(port: number, workers: number, listenBacklog: number, stateDirectory: string): string[] {
  return [
    // The plugin must load before its options (--wsgi-file) are parsed.
    '--plugin', 'python3',
    '--strict',
    '--master',
    // Exit when the application fails to load instead of serving errors.
    '--need-app',
    '--no-orphans',
    // Make a stray SIGTERM stop the server rather than reload it.
    '--die-on-term',
    '--vacuum',
    '--http-socket', `127.0.0.1:${port}`,
    '--wsgi-file', fileURLToPath(new URL('./wsgi_app.py', import.meta.url)),
    '--processes', String(workers),
    '--listen', String(listenBacklog),
    // Long allocation-candidate query strings overflow the 4 KiB default.
    '--buffer-size', '65535',
    // uwsgi's http-socket closes every connection after one response but
    // does not say so; keep-alive clients such as Node's fetch then reuse a
    // closed socket and fail with "other side closed".
    '--add-header', 'Connection: close',
    '--enable-threads',
    '--disable-logging',
    '--pidfile', statePaths(stateDirectory).uwsgiPid,
  ];
}

function parseVersionDocument(body: unknown): VersionDocument | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const versions = (body as Record<string, unknown>)['versions'];
  if (!Array.isArray(versions) || versions.length === 0) return undefined;
  const valid = versions.every(
    (version: unknown) =>
      typeof version === 'object' &&
      version !== null &&
      typeof (version as Record<string, unknown>)['max_version'] === 'string',
  );
  return valid ? (body as VersionDocument) : undefined;
}

/** GET / answered with Placement's version document, or undefined if the service is not answering (yet). */
export async function fetchVersionDocument(url: string, timeoutMs = 2_000): Promise<VersionDocument | undefined> {
  try {
    const response = await fetch(`${url}/`, { signal: AbortSignal.timeout(timeoutMs) });
    if (response.status !== 200) return undefined;
    return parseVersionDocument(await response.json());
  } catch {
    return undefined;
  }
}

async function waitUntilAnswering(url: string, uwsgi: ProcessRecord, logPath: string, timeoutMs: number): Promise<Result<VersionDocument>> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (!isRunning(uwsgi.pid)) {
      return fail('setup', `uwsgi exited during startup; end of ${logPath}:\n${lastLinesOfFile(logPath, 30)}`);
    }
    // uwsgi accepts connections before the application has loaded, so one
    // attempt may wait; never past the deadline though.
    const document = await fetchVersionDocument(url, Math.max(1, Math.min(2_000, deadline - performance.now())));
    if (document !== undefined) return succeed(document);
    await sleep(50);
  }
  return fail('setup', `Placement did not answer GET ${url}/ within ${timeoutMs} ms; end of ${logPath}:\n${lastLinesOfFile(logPath, 30)}`);
}

async function refuseIfRunning(stateDirectory: string, port: number): Promise<Result<void>> {
  const existing = readStateRecord(stateDirectory);
  if (!existing.ok) return existing;
  const running = existing.value?.processes.filter(isRecordedProcess) ?? [];
  if (existing.value !== undefined && running.length > 0) {
    return fail('setup', `Placement is already running at ${existing.value.url} (pids ${running.map((record) => record.pid).join(', ')}); stop it first: npm run placement:down -- --port ${existing.value.port}`);
  }
  if (!(await isPortFree(port))) {
    return fail('setup', `port ${port} on 127.0.0.1 is already in use; choose another with --port`);
  }
  return succeed(undefined);
}

/**
 * Installs missing packages, creates a fresh state directory and database,
 * starts uwsgi in the background and waits until Placement answers. On
 * failure everything started so far is stopped again; logs stay in the
 * state directory.
 */
export async function startPlacement(options: StartOptions = {}): Promise<Result<PlacementService>> {
  const log = options.log ?? (() => undefined);
  const validated = validateOptions(options);
  if (!validated.ok) return validated;
  const { port, workers, database } = validated.value;
  const listenBacklog = chooseListenBacklog(options.listenBacklog);
  if (!listenBacklog.ok) return listenBacklog;
  const requestedDirectory = resolve(options.stateDirectory ?? defaultStateDirectory(port));

  const free = await refuseIfRunning(requestedDirectory, port);
  if (!free.ok) return free;
  const installed = await ensurePackages(requiredPackages(database), log);
  if (!installed.ok) return installed;
  const stateDirectory = recreateStateDirectory(requestedDirectory);
  if (!stateDirectory.ok) return stateDirectory;

  let record: StateRecord = { port, url: `http://127.0.0.1:${port}`, database, workers, stateDirectory: stateDirectory.value, processes: [] };
  const recordProcess = (processRecord: ProcessRecord): void => {
    record = { ...record, processes: [...record.processes, processRecord] };
    writeStateRecord(record);
  };
  writeStateRecord(record);

  const started = await startProcesses(record, listenBacklog.value, options, recordProcess);
  if (!started.ok) {
    await stopRecordedProcesses(record.processes);
    removeStateRecord(record.stateDirectory);
    return started;
  }
  return succeed(record);
}

async function startProcesses(
  record: StateRecord,
  listenBacklog: number,
  options: StartOptions,
  recordProcess: (processRecord: ProcessRecord) => void,
): Promise<Result<VersionDocument>> {
  const log = options.log ?? (() => undefined);
  const paths = statePaths(record.stateDirectory);
  try {
    const prepared = await prepareDatabase(record.database, { stateDirectory: record.stateDirectory, log, recordProcess });
    if (!prepared.ok) return prepared;
    writeFileSync(paths.configuration, placementConfiguration(prepared.value.connectionUrl, record.database));
    log('creating the Placement schema (placement-manage db sync)');
    const synchronised = await synchroniseSchema(record.stateDirectory);
    if (!synchronised.ok) return synchronised;

    log(`starting uwsgi with ${record.workers} workers on ${record.url}`);
    const environment = systemEnvironment({
      OS_PLACEMENT_CONFIG_DIR: record.stateDirectory,
      PLACEMENT_SIM_REQUEST_LOG: options.requestLog === true ? '1' : '0',
    });
    const pid = spawnDetached('uwsgi', uwsgiArguments(record.port, record.workers, listenBacklog, record.stateDirectory), paths.uwsgiLog, environment, record.stateDirectory);
    if (!pid.ok) return pid;
    const uwsgi: ProcessRecord = { role: 'uwsgi', pid: pid.value, marker: paths.uwsgiPid };
    recordProcess(uwsgi);
    return await waitUntilAnswering(record.url, uwsgi, paths.uwsgiLog, options.readyTimeoutMs ?? 60_000);
  } catch (error) {
    return fail('setup', `starting Placement failed: ${errorMessage(error)}`);
  }
}

export interface StoppedProcess {
  readonly role: ProcessRecord['role'];
  readonly pid: number;
  /** The signal that ended it, or 'not running' if it was already gone. */
  readonly outcome: NodeJS.Signals | 'not running';
}

/** Stops the web server before its database, the reverse of starting. */
async function stopRecordedProcesses(processes: readonly ProcessRecord[]): Promise<Result<readonly StoppedProcess[]>> {
  const stopped: StoppedProcess[] = [];
  for (const processRecord of [...processes].reverse()) {
    const outcome = await stopProcess(processRecord, stopSignals[processRecord.role]);
    if (outcome === undefined) {
      return fail('runtime', `${processRecord.role} (pid ${processRecord.pid}) survived SIGKILL`);
    }
    stopped.push({ role: processRecord.role, pid: processRecord.pid, outcome });
  }
  return succeed(stopped);
}

/**
 * Stops exactly the processes `up` recorded (checking each pid still belongs
 * to them), then removes the record. Stopping a stopped service succeeds.
 */
export async function stopPlacement(target: ServiceTarget): Promise<Result<readonly StoppedProcess[]>> {
  const stateDirectory = resolveStateDirectory(target);
  const record = readStateRecord(stateDirectory);
  if (!record.ok) return record;
  if (record.value === undefined) return succeed([]);
  const stopped = await stopRecordedProcesses(record.value.processes);
  if (stopped.ok) removeStateRecord(stateDirectory);
  return stopped;
}

/** The record of a running service, for callers that only know its port or directory. */
export function findPlacement(target: ServiceTarget): Result<PlacementService> {
  const stateDirectory = resolveStateDirectory(target);
  const record = readStateRecord(stateDirectory);
  if (!record.ok) return record;
  if (record.value === undefined) {
    return fail('setup', `no Placement service recorded in ${stateDirectory}; start one with npm run placement:up`);
  }
  return succeed(record.value);
}

export interface ResetReport {
  /** Time the worker spent waiting for idleness and emptying the tables. */
  readonly serverMs: number;
  /** Time of the whole HTTP exchange as seen by the caller. */
  readonly roundTripMs: number;
}

function parseResetBody(body: unknown): number | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const elapsed = (body as Record<string, unknown>)['elapsed_ms'];
  return typeof elapsed === 'number' ? elapsed : undefined;
}

/**
 * Empties the database of the service at `url` back to the state of a
 * freshly started service: no providers, consumers, aggregates, projects,
 * users, consumer types, custom resource classes or custom traits; ids
 * restart as on a new database. Call it only between test cases, when no
 * request is in flight: it waits (up to 10 s) for busy workers, but a
 * request that arrives during the reset races with it.
 */
export async function resetPlacementAt(url: string): Promise<Result<ResetReport>> {
  const started = performance.now();
  try {
    const response = await fetch(`${url}${resetPath}`, { method: 'POST', signal: AbortSignal.timeout(30_000) });
    const text = await response.text();
    if (response.status !== 200) {
      return fail('runtime', `reset of ${url} failed with HTTP ${response.status}: ${text}`);
    }
    const serverMs = parseResetBody(JSON.parse(text));
    if (serverMs === undefined) return fail('runtime', `unexpected reset answer from ${url}: ${text}`);
    return succeed({ serverMs, roundTripMs: performance.now() - started });
  } catch (error) {
    return fail('runtime', `reset of ${url} failed: ${errorMessage(error)}`);
  }
}

/** resetPlacementAt for a service known by its port, state directory, URL or record. */
export async function resetPlacement(target: ServiceTarget | Pick<PlacementService, 'url'>): Promise<Result<ResetReport>> {
  if (typeof target === 'object' && 'url' in target) return resetPlacementAt(target.url);
  if (typeof target === 'string' && /^https?:\/\//.test(target)) return resetPlacementAt(target.replace(/\/+$/, ''));
  const service = findPlacement(target);
  return service.ok ? resetPlacementAt(service.value.url) : service;
}
