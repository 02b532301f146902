/**
 * Which consumers an allocation request names, and how: for telling which
 * requests could have created, cleared or deleted a consumer.
 */
import type { Operation } from '../../sim/history.ts';
import { parseRequestBody } from '../../model/api/context.ts';
import { RequestFact } from '../../model/sharedRequest.ts';

export interface ConsumerMention {
  readonly consumer: string;
  /** The write gives the consumer no allocations (`"allocations": {}`). */
  readonly clears: boolean;
  /**
   * The consumer generation the write gives: `null` says the consumer must
   * not exist yet (1.28+); `absent` (before 1.28, or DELETE) checks nothing.
   * Either way a write may auto-create the consumer.
   */
  readonly generation: 'null' | 'absent' | 'given';
  /** The generation given, when it is a number (null otherwise). */
  readonly givenGeneration: number | null;
}

function generationOf(entry: unknown): Pick<ConsumerMention, 'generation' | 'givenGeneration'> {
  const fields = record(entry);
  if (!('consumer_generation' in fields)) return { generation: 'absent', givenGeneration: null };
  const given = fields['consumer_generation'];
  if (given === null) return { generation: 'null', givenGeneration: null };
  return { generation: 'given', givenGeneration: typeof given === 'number' ? given : null };
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/**
 * A request's mentions, kept on the request when it is a shared one (`RequestFact`): a client
 * sends one request object for every request with the same method, path, microversion and body,
 * so the same requests recur run after run.
 */
const mentions = new RequestFact<readonly ConsumerMention[]>(consumersWrittenUncached);

/**
 * Consumers a PUT/POST/DELETE on /allocations names; empty for anything else.
 * A function of the request alone, so remembered by request object: the
 * classifier asks it of every operation of a failing run.
 */
export function consumersWritten(operation: Operation): readonly ConsumerMention[] {
  // Reads name none, and need no look-up.
  return operation.request.method === 'GET' ? NO_MENTIONS : mentions.of(operation.request);
}

const NO_MENTIONS: readonly ConsumerMention[] = [];

function consumersWrittenUncached(request: Operation['request']): readonly ConsumerMention[] {
  const { method, path } = request;
  if (method !== 'PUT' && method !== 'POST' && method !== 'DELETE') return NO_MENTIONS;
  const single = /^\/allocations\/([^/?]+)$/.exec(path);
  if (single?.[1] !== undefined && method === 'DELETE') return [{ consumer: single[1], clears: true, generation: 'absent', givenGeneration: null }];
  if (single?.[1] !== undefined && method === 'PUT') {
    const parsed = parsedBody(request);
    const allocations = record(parsed)['allocations'];
    const clears = !Array.isArray(allocations) && Object.keys(record(allocations)).length === 0;
    return [{ consumer: single[1], clears, ...generationOf(parsed) }];
  }
  if (path === '/allocations' && method === 'POST') {
    return Object.entries(record(parsedBody(request))).map(([consumer, entry]) => ({
      consumer,
      clears: Object.keys(record(record(entry)['allocations'])).length === 0,
      ...generationOf(entry),
    }));
  }
  return NO_MENTIONS;
}

/**
 * The body as the service reads it (`json.loads`), null for none or for text
 * that does not parse: the model's reading, made once per body and shared
 * with the target and the checker (`parseRequestBody`). Read-only.
 */
function parsedBody(request: Operation['request']): unknown {
  if (request.body === null || request.body === '') return null;
  const parsed = parseRequestBody(request);
  return parsed.kind === 'ok' ? parsed.value : null;
}

/** Consumers named by the path or body of any request. */
export function namesConsumer(operation: Operation, consumer: string): boolean {
  return operation.request.path.includes(consumer) || (operation.request.body ?? '').includes(consumer);
}
