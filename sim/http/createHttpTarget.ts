/**
 * A live Placement-compatible endpoint as a target: send a model
 * `HttpRequest`, get back what happened and when.
 *
 * The completion (request in, response or unknown out) is the replayable
 * part. The timings are monotonic nanoseconds since the target was created,
 * kept beside the completion, never inside it, so that histories compare
 * equal across runs wherever the service answered the same.
 */
import { Agent } from 'node:http';
import type { HttpRequest } from '../../model/index.ts';
import type { Completion } from '../history.ts';
import { sendRequest } from './sendRequest.ts';

export interface HttpTargetOptions {
  /** Time allowed for a whole exchange, connection included. */
  readonly timeoutMs: number;
  /** Connections kept open at most; concurrent clients beyond it queue. */
  readonly socketsMax?: number;
}

export interface TimedCompletion {
  readonly completion: Completion;
  /** Monotonic nanoseconds since the target was created, just before the request left. */
  readonly startedNs: number;
  /** Monotonic nanoseconds since the target was created, once the completion was known. */
  readonly endedNs: number;
}

export interface HttpTarget {
  readonly baseUrl: string;
  send(request: HttpRequest): Promise<TimedCompletion>;
  /** Closes idle connections; sends after close open new ones. */
  close(): void;
}

/**
 * Idle keep-alive sockets are dropped after this long. Common servers close
 * idle connections after 5 s or more; dropping ours first avoids most reuses
 * of a socket the server is about to close.
 */
const IDLE_SOCKET_MS = 1_000;

export type BaseUrlProblem = { readonly kind: 'invalidBaseUrl'; readonly message: string };

/** Parses `http://host:port[/prefix]`; anything else is a usage error. */
export function parseBaseUrl(baseUrl: string): { readonly origin: URL; readonly pathPrefix: string } | BaseUrlProblem {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return { kind: 'invalidBaseUrl', message: `not a URL: ${baseUrl}` };
  }
  if (url.protocol !== 'http:') return { kind: 'invalidBaseUrl', message: `only http:// targets are supported, got ${baseUrl}` };
  if (url.search !== '' || url.hash !== '') return { kind: 'invalidBaseUrl', message: `the base URL must not have a query or fragment: ${baseUrl}` };
  return { origin: url, pathPrefix: url.pathname.replace(/\/+$/, '') };
}

/**
 * Creates a target for the service at `baseUrl` (e.g. `http://127.0.0.1:8778`).
 * Throws on a malformed base URL: callers validate user input with
 * `parseBaseUrl` first.
 */
export function createHttpTarget(baseUrl: string, options: HttpTargetOptions): HttpTarget {
  const parsed = parseBaseUrl(baseUrl);
  if ('kind' in parsed) throw new Error(parsed.message);
  const agent = new Agent({ keepAlive: true, maxSockets: options.socketsMax ?? 64, timeout: IDLE_SOCKET_MS });
  const originNs = process.hrtime.bigint();
  const elapsedNs = (): number => Number(process.hrtime.bigint() - originNs);
  return {
    baseUrl: parsed.origin.origin + parsed.pathPrefix,
    async send(request: HttpRequest): Promise<TimedCompletion> {
      const startedNs = elapsedNs();
      const completion = await sendRequest(request, { agent, origin: parsed.origin, pathPrefix: parsed.pathPrefix, timeoutMs: options.timeoutMs });
      return { completion, startedNs, endedNs: elapsedNs() };
    },
    close(): void {
      agent.destroy();
    },
  };
}
