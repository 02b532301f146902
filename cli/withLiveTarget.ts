/**
 * The live target of a command (`npm run fuzz -- --target ...`, `npm run
 * replay` of a live report): `placement:sqlite` (or mariadb, postgresql)
 * starts the real service through services/placement on a free port for the
 * duration of the command and stops it afterwards, Ctrl-C included; a URL
 * must be a service this project started (every run resets it to empty)
 * unless --allow-reset says its data may go.
 */
import type { LiveTargetDescription } from '../reports/liveFailureReport.ts';
import { findFreePort } from '../services/placement/processes.ts';
import { databaseKinds, startPlacement, stopPlacement, type DatabaseKind, type PlacementService } from '../services/placement/service.ts';
import { parseBaseUrl } from '../sim/http/createHttpTarget.ts';
import { authorityFor, resolveResetAuthority, type ResetAuthority } from '../sim/live/resetAuthority.ts';

export interface LiveTargetRequest {
  /** `placement:DB` or a URL. */
  readonly target: string;
  /** Workers of a service started for `placement:DB`; refused for a URL. */
  readonly workers: number | undefined;
  readonly allowReset: boolean;
}

export interface AcquiredTarget {
  readonly authority: ResetAuthority;
  readonly description: LiveTargetDescription;
  /** Set when this command started the service and must stop it. */
  readonly service: PlacementService | null;
}

/** What went wrong before any run: printed with the usage, exit code 2. */
export type LiveSetupProblem = { readonly kind: 'usage'; readonly message: string };

export const SERVICE_PREFIX = 'placement:';
const DEFAULT_WORKERS = 4;

/**
 * Acquires the target, runs `body` with it and releases it. Ctrl-C does not
 * kill the process: `interrupted()` turns true and `body` is expected to
 * stop at its next boundary, so that a service started here is always
 * stopped. The handler is installed before the service starts, so a Ctrl-C
 * during a slow start still leads to the stop.
 */
export async function withLiveTarget(
  request: LiveTargetRequest,
  body: (target: AcquiredTarget, interrupted: () => boolean) => Promise<number>,
): Promise<number | LiveSetupProblem> {
  let interrupted = false;
  const onInterrupt = (): void => {
    interrupted = true;
  };
  process.on('SIGINT', onInterrupt);
  try {
    const acquired = await acquireTarget(request);
    if ('kind' in acquired) return acquired;
    try {
      return await body(acquired, () => interrupted);
    } finally {
      if (acquired.service !== null) {
        const stopped = await stopPlacement(acquired.service);
        if (!stopped.ok) process.stderr.write(`stopping the service failed: ${stopped.failure.message}\n`);
      }
    }
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}

async function acquireTarget(request: LiveTargetRequest): Promise<AcquiredTarget | LiveSetupProblem> {
  if (request.target.startsWith(SERVICE_PREFIX)) {
    const database = request.target.slice(SERVICE_PREFIX.length);
    if (!isDatabaseKind(database)) return { kind: 'usage', message: `--target ${request.target}: expected ${databaseKinds.map((kind) => SERVICE_PREFIX + kind).join(', ')} or a URL` };
    const port = await findFreePort();
    const workers = request.workers ?? DEFAULT_WORKERS;
    process.stderr.write(`starting Placement 8.0.0 with ${database}, ${workers} workers, on port ${port}\n`);
    const service = await startPlacement({ port, database, workers, log: (line) => process.stderr.write(`  ${line}\n`) });
    if (!service.ok) return { kind: 'usage', message: `could not start Placement (${request.target}): ${service.failure.message}` };
    return {
      authority: authorityFor(service.value),
      description: { target: request.target, url: service.value.url, database, workers },
      service: service.value,
    };
  }
  if (request.workers !== undefined) return { kind: 'usage', message: `--workers only applies to --target ${SERVICE_PREFIX}DB (the service at a URL is already running)` };
  const parsed = parseBaseUrl(request.target);
  if ('kind' in parsed) return { kind: 'usage', message: `--target ${request.target}: ${parsed.message}` };
  const authority = resolveResetAuthority(request.target, request.allowReset);
  if (authority.kind === 'refused') return { kind: 'usage', message: authority.message };
  const known = authority.kind === 'recorded' ? authority.service : null;
  return {
    authority,
    description: { target: request.target, url: authority.url, database: known?.database ?? null, workers: known?.workers ?? null },
    service: null,
  };
}

function isDatabaseKind(name: string): name is DatabaseKind {
  return (databaseKinds as readonly string[]).includes(name);
}
