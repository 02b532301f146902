/**
 * The databases the tests that start the real service run on: sqlite unless
 * PLACEMENT_TEST_DATABASES names others (CI names all three). A wrong name
 * is an error, not a silent fallback.
 */
import { databaseKinds, type DatabaseKind } from './service.ts';

export function databasesUnderTest(): DatabaseKind[] {
  const names = (process.env['PLACEMENT_TEST_DATABASES'] ?? 'sqlite').split(',').map((name) => name.trim());
  return names.map((name) => {
    const kind = databaseKinds.find((candidate) => candidate === name);
    if (kind === undefined) throw new Error(`PLACEMENT_TEST_DATABASES: unknown database "${name}" (use ${databaseKinds.join(', ')})`);
    return kind;
  });
}
