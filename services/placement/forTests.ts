/**
 * What the tests that need the real service share: which databases they run
 * on, and starting the service so that a failure to install or start it
 * fails the test with what is missing (never a skip).
 */
import { findFreePort } from './processes.ts';
import { databaseKinds, startPlacement, type DatabaseKind, type PlacementService } from './service.ts';

/**
 * sqlite unless PLACEMENT_TEST_DATABASES names others (CI names all three).
 * A wrong name is an error, not a silent fallback.
 */
export function databasesUnderTest(): DatabaseKind[] {
  const names = (process.env['PLACEMENT_TEST_DATABASES'] ?? 'sqlite').split(',').map((name) => name.trim());
  return names.map((name) => {
    const kind = databaseKinds.find((candidate) => candidate === name);
    if (kind === undefined) throw new Error(`PLACEMENT_TEST_DATABASES: unknown database "${name}" (use ${databaseKinds.join(', ')})`);
    return kind;
  });
}

/** Starts the real Placement 8.0.0 on a free port, or throws saying why `purpose` cannot be checked. */
export async function startPlacementForTest(database: DatabaseKind, workers: number, purpose: string): Promise<PlacementService> {
  const started = await startPlacement({ port: await findFreePort(), database, workers });
  if (started.ok) return started.value;
  throw new Error(
    `the real Placement 8.0.0 (${database}) could not be installed or started (${started.failure.kind} error), so ${purpose} cannot be checked. ` +
      `It needs Debian's python3-placement, uwsgi-core and uwsgi-plugin-python3, and the database's server and driver (installed automatically when running as root): ${started.failure.message}`,
  );
}
