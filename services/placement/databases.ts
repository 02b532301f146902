import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCommand, runRequired } from './commands.ts';
import { isRoot, type DatabaseKind } from './packages.ts';
import {
  findFreePort,
  isRunning,
  lastLinesOfFile,
  sleep,
  spawnDetached,
  type ProcessRecord,
  type SignalStep,
} from './processes.ts';
import { fail, succeed, type Result } from './result.ts';
import { statePaths } from './state.ts';

export interface PreparedDatabase {
  /** SQLAlchemy URL for placement.conf. */
  readonly connectionUrl: string;
}

export interface DatabaseContext {
  readonly stateDirectory: string;
  readonly log: (line: string) => void;
  /** Called as soon as a server process exists, so it can be stopped even if a later step fails. */
  readonly recordProcess: (record: ProcessRecord) => void;
}

/** How each server is asked to stop, gracefully first. */
export const stopSignals: Record<ProcessRecord['role'], readonly SignalStep[]> = {
  // uwsgi's master treats SIGTERM as "reload"; SIGINT shuts it down.
  uwsgi: [
    { signal: 'SIGINT', waitMs: 15_000 },
    { signal: 'SIGQUIT', waitMs: 5_000 },
    { signal: 'SIGKILL', waitMs: 5_000 },
  ],
  mariadb: [
    { signal: 'SIGTERM', waitMs: 60_000 },
    { signal: 'SIGKILL', waitMs: 5_000 },
  ],
  // SIGINT is PostgreSQL's "fast" shutdown, SIGQUIT its "immediate" one.
  postgresql: [
    { signal: 'SIGINT', waitMs: 30_000 },
    { signal: 'SIGQUIT', waitMs: 5_000 },
    { signal: 'SIGKILL', waitMs: 5_000 },
  ],
};

const databaseName = 'placement';
const serverStartTimeoutMs = 60_000;
/** Longest unix socket path the kernel accepts (sun_path minus the terminator). */
const maximumSocketPathBytes = 107;

export function prepareDatabase(kind: DatabaseKind, context: DatabaseContext): Promise<Result<PreparedDatabase>> {
  switch (kind) {
    case 'sqlite':
      return Promise.resolve(succeed({ connectionUrl: `sqlite:///${statePaths(context.stateDirectory).sqliteDatabase}` }));
    case 'mariadb':
      return prepareMariadb(context);
    case 'postgresql':
      return preparePostgresql(context);
  }
}

async function prepareMariadb(context: DatabaseContext): Promise<Result<PreparedDatabase>> {
  const directory = statePaths(context.stateDirectory).mariadb;
  const dataDirectory = join(directory, 'data');
  const socket = join(directory, 'mariadb.sock');
  const errorLog = join(directory, 'error.log');
  if (Buffer.byteLength(socket) > maximumSocketPathBytes) {
    return fail('usage', `socket path ${socket} is too long for the kernel; use a shorter --state-dir`);
  }
  mkdirSync(directory, { recursive: true });
  // mariadbd refuses to run as root unless told to explicitly.
  const runAsCurrentUser = isRoot() ? ['--user=root'] : [];

  context.log('initialising MariaDB data directory');
  const install = await runRequired('mariadb-install-db', [
    '--no-defaults',
    `--datadir=${dataDirectory}`,
    ...runAsCurrentUser,
    '--auth-root-authentication-method=normal',
    '--skip-test-db',
  ]);
  if (!install.ok) return install;

  const port = await findFreePort();
  const started = spawnDetached(
    'mariadbd',
    [
      '--no-defaults',
      `--datadir=${dataDirectory}`,
      `--socket=${socket}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      '--skip-name-resolve',
      `--pid-file=${join(directory, 'mariadbd.pid')}`,
      `--log-error=${errorLog}`,
      ...runAsCurrentUser,
      // The character set and collation Debian's server configuration uses;
      // names then compare case-insensitively, as in typical deployments.
      '--character-set-server=utf8mb4',
      '--collation-server=utf8mb4_general_ci',
      // Durability is irrelevant for a throw-away test database; visibility
      // and locking semantics are unchanged.
      '--innodb-flush-log-at-trx-commit=2',
      '--max-connections=1000',
    ],
    join(directory, 'server.log'),
  );
  if (!started.ok) return started;
  context.recordProcess({ role: 'mariadb', pid: started.value, marker: `--datadir=${dataDirectory}` });

  const ready = await waitForMariadb(started.value, socket, errorLog);
  if (!ready.ok) return ready;

  // A password-less account limited to loopback: the server listens nowhere else.
  const create = await runRequired('mariadb', [
    '--no-defaults',
    `--socket=${socket}`,
    '--user=root',
    `--execute=CREATE DATABASE ${databaseName} CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci;` +
      ` CREATE USER 'placement'@'127.0.0.1';` +
      ` GRANT ALL PRIVILEGES ON ${databaseName}.* TO 'placement'@'127.0.0.1';`,
  ]);
  if (!create.ok) return create;
  context.log(`MariaDB listening on 127.0.0.1:${port}`);
  return succeed({ connectionUrl: `mysql+pymysql://placement@127.0.0.1:${port}/${databaseName}?charset=utf8mb4` });
}

async function waitForMariadb(pid: number, socket: string, errorLog: string): Promise<Result<void>> {
  const deadline = performance.now() + serverStartTimeoutMs;
  while (performance.now() < deadline) {
    if (!isRunning(pid)) {
      return fail('setup', `MariaDB exited during startup; end of ${errorLog}:\n${lastLinesOfFile(errorLog, 20)}`);
    }
    const ping = await runCommand('mariadb-admin', ['--no-defaults', `--socket=${socket}`, '--user=root', 'ping']);
    if (!ping.ok) return ping;
    if (ping.value.exitCode === 0) return succeed(undefined);
    await sleep(100);
  }
  return fail('setup', `MariaDB did not accept connections within ${serverStartTimeoutMs} ms; end of ${errorLog}:\n${lastLinesOfFile(errorLog, 20)}`);
}

/** Debian installs each PostgreSQL major version in its own directory; take the newest. */
function postgresqlBinaryDirectory(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  return readdirSync(root)
    .filter((version) => existsSync(join(root, version, 'bin', 'initdb')))
    .sort((left, right) => Number.parseFloat(right) - Number.parseFloat(left))
    .map((version) => join(root, version, 'bin'))[0];
}

/** PostgreSQL refuses to run as root, so as root its tools run as the postgres account. */
function asPostgresUser(command: string, commandArguments: readonly string[]): [string, string[]] {
  return isRoot() ? ['runuser', ['-u', 'postgres', '--', command, ...commandArguments]] : [command, [...commandArguments]];
}

async function postgresAccountIds(): Promise<Result<{ readonly user: number; readonly group: number }>> {
  const user = await runRequired('id', ['-u', 'postgres']);
  if (!user.ok) return fail('setup', 'the postgres system account is missing (is the postgresql package installed?)');
  const group = await runRequired('id', ['-g', 'postgres']);
  if (!group.ok) return group;
  return succeed({ user: Number.parseInt(user.value.stdout, 10), group: Number.parseInt(group.value.stdout, 10) });
}

/** As root, hands the PostgreSQL directory to the postgres account and checks it can reach it. */
async function handOverToPostgresAccount(directory: string): Promise<Result<void>> {
  if (!isRoot()) return succeed(undefined);
  const account = await postgresAccountIds();
  if (!account.ok) return account;
  chownSync(directory, account.value.user, account.value.group);
  const reachable = await runCommand('runuser', ['-u', 'postgres', '--', 'test', '-w', directory]);
  if (!reachable.ok) return reachable;
  if (reachable.value.exitCode !== 0) {
    return fail('setup', `the postgres account cannot write ${directory} (a parent directory is not searchable by others); choose another --state-dir`);
  }
  return succeed(undefined);
}

async function preparePostgresql(context: DatabaseContext): Promise<Result<PreparedDatabase>> {
  const binaries = postgresqlBinaryDirectory();
  if (binaries === undefined) return fail('setup', 'no PostgreSQL server binaries found (is the postgresql package installed?)');
  const directory = statePaths(context.stateDirectory).postgresql;
  const dataDirectory = join(directory, 'data');
  const serverLog = join(directory, 'server.log');
  if (/['\s]/.test(directory)) return fail('usage', `PostgreSQL needs a state directory without spaces or quotes: ${directory}`);
  if (Buffer.byteLength(join(directory, '.s.PGSQL.65535')) > maximumSocketPathBytes) {
    return fail('usage', `socket path under ${directory} is too long for the kernel; use a shorter --state-dir`);
  }
  mkdirSync(directory, { recursive: true });
  const handedOver = await handOverToPostgresAccount(directory);
  if (!handedOver.ok) return handedOver;

  context.log('initialising PostgreSQL data directory');
  const initdb = await runRequired(
    ...asPostgresUser(join(binaries, 'initdb'), [
      `--pgdata=${dataDirectory}`,
      '--auth=trust',
      '--username=postgres',
      '--encoding=UTF8',
      '--locale=C.UTF-8',
      '--no-sync',
    ]),
  );
  if (!initdb.ok) return initdb;

  const port = await findFreePort();
  // fsync and friends only buy durability, which a throw-away test database
  // does not need; isolation and locking are unaffected.
  const serverOptions = [
    `-p ${port}`,
    `-k '${directory}'`,
    "-c listen_addresses='127.0.0.1'",
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
    '-c max_connections=500',
  ].join(' ');
  const start = await runCommand(
    ...asPostgresUser(join(binaries, 'pg_ctl'), ['--pgdata', dataDirectory, '--log', serverLog, '--wait', '--timeout=60', '-o', serverOptions, 'start']),
  );
  // Record the postmaster even when pg_ctl gave up waiting, so it can still be stopped.
  const pid = postmasterPid(dataDirectory);
  if (pid !== undefined) context.recordProcess({ role: 'postgresql', pid, marker: dataDirectory });
  if (!start.ok) return start;
  if (start.value.exitCode !== 0 || pid === undefined) {
    return fail('setup', `PostgreSQL did not start; end of ${serverLog}:\n${lastLinesOfFile(serverLog, 20)}`);
  }

  const create = await runRequired(join(binaries, 'createdb'), ['--host=127.0.0.1', `--port=${port}`, '--username=postgres', databaseName]);
  if (!create.ok) return create;
  context.log(`PostgreSQL listening on 127.0.0.1:${port}`);
  return succeed({ connectionUrl: `postgresql+psycopg2://postgres@127.0.0.1:${port}/${databaseName}` });
}

/** The first line of postmaster.pid is the server's pid. */
function postmasterPid(dataDirectory: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(join(dataDirectory, 'postmaster.pid'), 'utf8').split('\n')[0] ?? '', 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}
