/**
 * Which consumers an allocation request names, and how: for telling which
 * requests could have created, cleared or deleted a consumer.
 */
import type { Operation } from '../../sim/history.ts';

export interface ConsumerMention {
  readonly consumer: string;
  /** The write gives the consumer no allocations (`"allocations": {}`). */
  readonly clears: boolean;
  /** The write says the consumer must not exist yet (`"consumer_generation": null`, 1.28+). */
  readonly expectsNew: boolean;
}

function expectsNew(entry: unknown): boolean {
  const fields = record(entry);
  return 'consumer_generation' in fields && fields['consumer_generation'] === null;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** Consumers a PUT/POST/DELETE on /allocations names; empty for anything else. */
export function consumersWritten(operation: Operation): readonly ConsumerMention[] {
  const { method, path, body } = operation.request;
  const single = /^\/allocations\/([^/?]+)$/.exec(path);
  let parsed: unknown = null;
  try {
    parsed = body === null || body === '' ? null : (JSON.parse(body) as unknown);
  } catch {
    parsed = null;
  }
  if (single?.[1] !== undefined && method === 'DELETE') return [{ consumer: single[1], clears: true, expectsNew: false }];
  if (single?.[1] !== undefined && method === 'PUT') {
    const allocations = record(parsed)['allocations'];
    const clears = !Array.isArray(allocations) && Object.keys(record(allocations)).length === 0;
    return [{ consumer: single[1], clears, expectsNew: expectsNew(parsed) }];
  }
  if (path === '/allocations' && method === 'POST') {
    return Object.entries(record(parsed)).map(([consumer, entry]) => ({
      consumer,
      clears: Object.keys(record(record(entry)['allocations'])).length === 0,
      expectsNew: expectsNew(entry),
    }));
  }
  return [];
}

/** Consumers named by the path or body of any request. */
export function namesConsumer(operation: Operation, consumer: string): boolean {
  return operation.request.path.includes(consumer) || (operation.request.body ?? '').includes(consumer);
}

export function statusOf(operation: Operation): number | null {
  return operation.completion.kind === 'response' ? operation.completion.response.status : null;
}

export function detailOf(operation: Operation): string {
  if (operation.completion.kind !== 'response') return '';
  return /"detail": "([^"]*)"/.exec(operation.completion.response.body)?.[1] ?? '';
}
