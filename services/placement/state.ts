import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DatabaseKind } from './packages.ts';
import { databaseKinds } from './packages.ts';
import type { ProcessRecord } from './processes.ts';
import { errorMessage, fail, succeed, type Result } from './result.ts';

export const projectRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Per-port state lives in a gitignored folder of the project. */
export function defaultStateDirectory(port: number): string {
  return join(projectRoot, '.placement', String(port));
}

/** Present in every directory `up` created, so it only ever wipes its own directories. */
const ownershipMarkerName = '.placement-sim-state';
const stateRecordName = 'service.json';

export interface StateRecord {
  readonly port: number;
  readonly url: string;
  readonly database: DatabaseKind;
  readonly workers: number;
  readonly stateDirectory: string;
  readonly processes: readonly ProcessRecord[];
}

export function statePaths(stateDirectory: string) {
  return {
    stateRecord: join(stateDirectory, stateRecordName),
    configuration: join(stateDirectory, 'placement.conf'),
    sqliteDatabase: join(stateDirectory, 'placement.sqlite'),
    uwsgiLog: join(stateDirectory, 'uwsgi.log'),
    uwsgiPid: join(stateDirectory, 'uwsgi.pid'),
    databaseSyncLog: join(stateDirectory, 'db-sync.log'),
    mariadb: join(stateDirectory, 'mariadb'),
    postgresql: join(stateDirectory, 'postgresql'),
  };
}

function isProcessRecord(value: unknown): value is ProcessRecord {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return (
    (record['role'] === 'uwsgi' || record['role'] === 'mariadb' || record['role'] === 'postgresql') &&
    Number.isInteger(record['pid']) &&
    typeof record['marker'] === 'string'
  );
}

function isStateRecord(value: unknown): value is StateRecord {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return (
    Number.isInteger(record['port']) &&
    typeof record['url'] === 'string' &&
    databaseKinds.some((kind) => kind === record['database']) &&
    Number.isInteger(record['workers']) &&
    typeof record['stateDirectory'] === 'string' &&
    Array.isArray(record['processes']) &&
    record['processes'].every(isProcessRecord)
  );
}

/** The record `up` left, or undefined when there is none (never started, or already stopped). */
export function readStateRecord(stateDirectory: string): Result<StateRecord | undefined> {
  const path = statePaths(stateDirectory).stateRecord;
  if (!existsSync(path)) return succeed(undefined);
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    return isStateRecord(parsed) ? succeed(parsed) : fail('setup', `${path} is not a service record written by placement:up`);
  } catch (error) {
    return fail('setup', `cannot read ${path}: ${errorMessage(error)}`);
  }
}

/** Written through a rename so a concurrent reader never sees half a record. */
export function writeStateRecord(record: StateRecord): void {
  const path = statePaths(record.stateDirectory).stateRecord;
  writeFileSync(`${path}.tmp`, `${JSON.stringify(record, null, 2)}\n`);
  renameSync(`${path}.tmp`, path);
}

export function removeStateRecord(stateDirectory: string): void {
  rmSync(statePaths(stateDirectory).stateRecord, { force: true });
}

/**
 * Empties the state directory for a new start. A non-empty directory that
 * `up` did not create is refused rather than wiped, since --state-dir may
 * point anywhere.
 */
export function recreateStateDirectory(stateDirectory: string): Result<string> {
  const directory = resolve(stateDirectory);
  try {
    if (existsSync(directory) && readdirSync(directory).length > 0) {
      if (!existsSync(join(directory, ownershipMarkerName))) {
        return fail('usage', `refusing to wipe ${directory}: it is not empty and was not created by placement:up`);
      }
      rmSync(directory, { recursive: true, force: true });
    }
    mkdirSync(directory, { recursive: true });
    writeFileSync(join(directory, ownershipMarkerName), 'created by services/placement/up.ts; deleted and recreated on every start\n');
    return succeed(directory);
  } catch (error) {
    return fail('setup', `cannot prepare state directory ${directory}: ${errorMessage(error)}`);
  }
}
