/**
 * One model `HttpRequest` sent over node:http, answered with a `Completion`.
 *
 * node:http (not fetch) because its Agent tells us whether a request went out
 * on a reused keep-alive socket, which decides whether a reset connection may
 * be retried (see `sendRequest`).
 */
import { request as httpRequest, type Agent, type IncomingMessage } from 'node:http';
import type { HttpRequest, HttpResponse } from '../../model/index.ts';
import type { Completion } from '../history.ts';

/** Methods a retry cannot apply twice: they change nothing on the service. */
const READ_ONLY_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Errors that mean the peer closed a socket we believed to be open. */
const STALE_SOCKET_ERRORS: ReadonlySet<string> = new Set(['ECONNRESET', 'EPIPE']);

export interface SendOptions {
  readonly agent: Agent;
  /** Where the target lives: protocol, host and port; the request's path is appended. */
  readonly origin: URL;
  /** Path prefix of the target (`''` for a service at the root). */
  readonly pathPrefix: string;
  readonly timeoutMs: number;
}

type Attempt = Completion | { readonly kind: 'staleSocket'; readonly reason: string };

/**
 * Sends the request and waits for the whole response. Never rejects for
 * network trouble: a timeout or a connection error is `{kind: 'unknown'}`,
 * because the request may or may not have taken effect.
 *
 * A keep-alive socket can be closed by the server just as we reuse it; the
 * request then fails before any byte of a response. For read-only methods
 * that is retried once on a fresh connection. For writes it is reported as
 * unknown: the server might have applied the request before the reset, and
 * repeating it could apply it twice.
 *
 * Throws only when node refuses the request itself (for example a path with
 * unescaped characters): that is a bug in whoever built the request.
 */
export async function sendRequest(request: HttpRequest, options: SendOptions): Promise<Completion> {
  const first = await attempt(request, options);
  if (first.kind !== 'staleSocket') return first;
  if (!READ_ONLY_METHODS.has(request.method.toUpperCase())) return { kind: 'unknown', reason: first.reason };
  const second = await attempt(request, options);
  return second.kind === 'staleSocket' ? { kind: 'unknown', reason: second.reason } : second;
}

function attempt(request: HttpRequest, options: SendOptions): Promise<Attempt> {
  return new Promise((resolve) => {
    const body = request.body === null ? null : Buffer.from(request.body, 'utf8');
    const headers: Record<string, string> = { ...request.headers };
    if (body !== null) headers['content-length'] = String(body.length);
    let settled = false;
    let responseStarted = false;
    const settle = (value: Attempt): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(value);
    };
    const outgoing = httpRequest(
      {
        protocol: options.origin.protocol,
        hostname: options.origin.hostname,
        port: options.origin.port,
        method: request.method,
        path: options.pathPrefix + request.path,
        headers,
        agent: options.agent,
      },
      (incoming) => {
        responseStarted = true;
        readResponse(incoming).then(
          (response) => settle({ kind: 'response', response }),
          (failure: unknown) => settle({ kind: 'unknown', reason: `connection failed while reading the response: ${describeError(failure)}` }),
        );
      },
    );
    // Armed after the request exists so that a synchronous throw above leaves no timer behind.
    const timer = setTimeout(() => {
      settle({ kind: 'unknown', reason: `no complete response within ${options.timeoutMs} ms` });
      outgoing.destroy();
    }, options.timeoutMs);
    outgoing.on('error', (failure: NodeJS.ErrnoException) => {
      const code = failure.code ?? '';
      if (outgoing.reusedSocket && !responseStarted && STALE_SOCKET_ERRORS.has(code)) {
        settle({ kind: 'staleSocket', reason: `reused keep-alive connection failed: ${describeError(failure)}` });
        return;
      }
      settle({ kind: 'unknown', reason: `connection failed: ${describeError(failure)}` });
    });
    outgoing.end(body ?? undefined);
  });
}

function readResponse(incoming: IncomingMessage): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('error', reject);
    incoming.on('aborted', () => reject(new Error('response aborted')));
    incoming.on('end', () => {
      // node reports a response cut short by the server as complete; compare with the announced length.
      if (!incoming.complete) {
        reject(new Error('response ended before its announced length'));
        return;
      }
      resolve({ status: incoming.statusCode ?? 0, headers: lowerCaseHeaders(incoming), body: Buffer.concat(chunks).toString('utf8') });
    });
  });
}

function lowerCaseHeaders(incoming: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (value === undefined) continue;
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

function describeError(failure: unknown): string {
  if (failure instanceof Error) {
    const code = (failure as NodeJS.ErrnoException).code;
    return code === undefined ? failure.message : `${code}: ${failure.message}`;
  }
  return String(failure);
}
