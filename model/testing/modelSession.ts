/**
 * A small driver for rule tests: it threads the model's state through a
 * series of requests and decodes responses, so a test reads as the
 * conversation a client would have with Placement.
 *
 * Test-only: the model itself stays a pure function; the session is the
 * one place that remembers "the state so far".
 */
import { handle } from '../handle.ts';
import { placementRequest, type HttpRequest, type HttpResponse } from '../http.ts';
import { emptyState, type State } from '../state.ts';

/** A response with its body decoded when it is JSON. */
export interface Exchange {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** `JSON.parse(body)`, or `undefined` when the body is empty or not JSON. */
  readonly json: unknown;
}

/** The single entry of Placement's `{"errors": [...]}` document. */
export interface ErrorEntry {
  readonly status: number;
  readonly title: string;
  readonly detail: string;
  readonly code?: string;
  readonly request_id: string;
  readonly max_version?: string;
  readonly min_version?: string;
}

export interface SendOptions {
  readonly microversion?: string;
  readonly body?: unknown;
  readonly token?: string;
}

export class ModelSession {
  private current: State;

  constructor(initial: State = emptyState()) {
    this.current = initial;
  }

  get state(): State {
    return this.current;
  }

  /** Sends a request built by `placementRequest` (admin token, JSON). */
  send(method: string, path: string, options: SendOptions = {}): Exchange {
    return this.sendRaw(placementRequest(method, path, options));
  }

  /** Sends a request exactly as given, for header-level tests. */
  sendRaw(request: HttpRequest): Exchange {
    const handled = handle(this.current, request);
    this.current = handled.state;
    return decode(handled.response);
  }
}

export function decode(response: HttpResponse): Exchange {
  let json: unknown;
  if (response.body !== '') {
    try {
      json = JSON.parse(response.body);
    } catch {
      json = undefined;
    }
  }
  return { status: response.status, headers: response.headers, body: response.body, json };
}

/** The error entry of an error response; throws when the body is not one. */
export function errorEntry(exchange: Exchange): ErrorEntry {
  const document = exchange.json;
  if (typeof document !== 'object' || document === null || !('errors' in document)) {
    throw new Error(`not an error document: ${exchange.body}`);
  }
  const errors = (document as { errors: unknown }).errors;
  if (!Array.isArray(errors) || errors.length !== 1) throw new Error(`expected one error entry: ${exchange.body}`);
  return errors[0] as ErrorEntry;
}

/**
 * The handler's own message: webob puts it after a blank line and pads it
 * with two trailing spaces (or none for 405/406/415/501 templates).
 */
export function errorMessage(exchange: Exchange): string {
  const detail = errorEntry(exchange).detail;
  const separator = detail.indexOf('\n\n ');
  const message = separator < 0 ? detail : detail.slice(separator + 3);
  return message.replace(/ {2}$/, '');
}

/** `aaaaaaaa-0000-4000-8000-00000000000n`: provider number n. */
export function providerUuid(index: number): string {
  return `aaaaaaaa-0000-4000-8000-${index.toString(16).padStart(12, '0')}`;
}

/** `cccccccc-0000-4000-8000-00000000000n`: consumer number n. */
export function consumerUuid(index: number): string {
  return `cccccccc-0000-4000-8000-${index.toString(16).padStart(12, '0')}`;
}
