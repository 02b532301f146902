import { describeCommandFailure, runCommand, systemEnvironment } from './commands.ts';
import { fail, succeed, type Result } from './result.ts';

export type DatabaseKind = 'sqlite' | 'mariadb' | 'postgresql';

export const databaseKinds: readonly DatabaseKind[] = ['sqlite', 'mariadb', 'postgresql'];

const servicePackages = ['python3-placement', 'uwsgi-core', 'uwsgi-plugin-python3'] as const;

const databasePackages: Record<DatabaseKind, readonly string[]> = {
  sqlite: [],
  mariadb: ['mariadb-server', 'python3-pymysql'],
  postgresql: ['postgresql', 'python3-psycopg2'],
};

export function requiredPackages(database: DatabaseKind): readonly string[] {
  return [...servicePackages, ...databasePackages[database]];
}

/** Messages apt-get prints when its package index is missing or stale. */
const missingIndexPattern = /Unable to locate package|has no installation candidate|is not available, but is referred to|Failed to fetch|404\s+Not Found/;

export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

async function missingPackages(names: readonly string[]): Promise<Result<string[]>> {
  // dpkg-query exits 1 when some names are unknown; the listing of the
  // known ones is still complete, so only its output matters.
  const query = await runCommand('dpkg-query', ['-W', '-f=${Package}\t${db:Status-Status}\n', ...names]);
  if (!query.ok) {
    return fail('setup', `${query.failure.message} (the Placement service scripts need a Debian-based system)`);
  }
  const installed = new Set(
    query.value.stdout
      .split('\n')
      .map((line) => line.split('\t'))
      .filter(([, status]) => status === 'installed')
      .map(([name]) => name),
  );
  return succeed(names.filter((name) => !installed.has(name)));
}

interface AptOutcome {
  readonly succeeded: boolean;
  readonly lacksIndex: boolean;
  readonly message: string;
}

async function aptGet(commandArguments: readonly string[]): Promise<Result<AptOutcome>> {
  const outcome = await runCommand('apt-get', commandArguments, {
    environment: systemEnvironment(),
    timeoutMs: 30 * 60_000,
  });
  if (!outcome.ok) return outcome;
  return succeed({
    succeeded: outcome.value.exitCode === 0,
    lacksIndex: missingIndexPattern.test(`${outcome.value.stdout}\n${outcome.value.stderr}`),
    message: describeCommandFailure('apt-get', commandArguments, outcome.value),
  });
}

/**
 * Installs whichever of the given Debian packages are missing. The package
 * index is refreshed only when an install fails for lack of one, because an
 * update is slow and needs the network.
 */
export async function ensurePackages(
  names: readonly string[],
  log: (line: string) => void,
): Promise<Result<readonly string[]>> {
  const missing = await missingPackages(names);
  if (!missing.ok) return missing;
  if (missing.value.length === 0) return succeed([]);
  const installArguments = ['install', '-y', '--no-install-recommends', ...missing.value];
  if (!isRoot()) {
    return fail(
      'setup',
      `missing packages: ${missing.value.join(' ')}; run as root or install them first: apt-get ${installArguments.join(' ')}`,
    );
  }
  log(`installing ${missing.value.join(' ')}`);
  const firstAttempt = await aptGet(installArguments);
  if (!firstAttempt.ok) return firstAttempt;
  if (firstAttempt.value.succeeded) return succeed(missing.value);
  if (!firstAttempt.value.lacksIndex) return fail('setup', firstAttempt.value.message);
  log('package index missing or stale; running apt-get update');
  const update = await aptGet(['update']);
  if (!update.ok) return update;
  if (!update.value.succeeded) {
    return fail('setup', `no usable package index and apt-get update failed:\n${update.value.message}`);
  }
  const secondAttempt = await aptGet(installArguments);
  if (!secondAttempt.ok) return secondAttempt;
  return secondAttempt.value.succeeded ? succeed(missing.value) : fail('setup', secondAttempt.value.message);
}
