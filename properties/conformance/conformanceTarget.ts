/**
 * The real side of a conformance run: a live Placement-compatible service
 * that can be put back to empty between sequences.
 */
import type { HttpRequest } from '../../model/index.ts';
import { createHttpTarget, type TimedCompletion } from '../../sim/http/createHttpTarget.ts';

export const databases = ['sqlite', 'mariadb', 'postgresql'] as const;
/** The database behind the service; some documented behaviours depend on it. */
export type Database = (typeof databases)[number];

export type ResetOutcome =
  /** `elapsedNs` is the round trip, measured by the HTTP target's monotonic clock. */
  | { readonly kind: 'reset'; readonly elapsedNs: number }
  | { readonly kind: 'failed'; readonly message: string };

export interface ConformanceTarget {
  readonly url: string;
  readonly database: Database;
  send(request: HttpRequest): Promise<TimedCompletion>;
  /** Empties the service, as if freshly started. */
  reset(): Promise<ResetOutcome>;
  close(): void;
}

/** Served by services/placement's WSGI entry point in front of the unmodified Placement. */
export const RESET_PATH = '/_placement_sim/reset';

export interface TargetOptions {
  readonly database: Database;
  readonly timeoutMs: number;
}

/**
 * A service started by services/placement (or any service with the same
 * reset endpoint) at `url`.
 */
export function placementConformanceTarget(url: string, options: TargetOptions): ConformanceTarget {
  const http = createHttpTarget(url, { timeoutMs: options.timeoutMs });
  // The reset waits for busy workers (up to 10 s) before it empties the tables.
  const resetHttp = createHttpTarget(url, { timeoutMs: Math.max(options.timeoutMs, 30_000) });
  return {
    url: http.baseUrl,
    database: options.database,
    send: (request) => http.send(request),
    async reset(): Promise<ResetOutcome> {
      const { completion, startedNs, endedNs } = await resetHttp.send({ method: 'POST', path: RESET_PATH, headers: {}, body: null });
      if (completion.kind === 'unknown') return { kind: 'failed', message: `reset of ${http.baseUrl} failed: ${completion.reason}` };
      if (completion.response.status !== 200) {
        return {
          kind: 'failed',
          message: `reset of ${http.baseUrl} answered HTTP ${completion.response.status} (is it a service started by services/placement?): ${completion.response.body.slice(0, 200)}`,
        };
      }
      return { kind: 'reset', elapsedNs: endedNs - startedNs };
    },
    close(): void {
      http.close();
      resetHttp.close();
    },
  };
}
