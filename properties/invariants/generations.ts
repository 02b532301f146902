/**
 * A generation never stands for two different states. A provider's
 * generation names one set of inventories (every inventory change bumps
 * it); a consumer's generation names one set of allocations, within one
 * life of the consumer (deleting it and writing it again restarts its
 * generation, as documented).
 */
import type { Operation } from '../../sim/history.ts';
import type { RunRecord } from '../runRecord.ts';
import { RequestFact } from '../../model/sharedRequest.ts';
import { bodyOf, statusOf, withoutQuery } from '../runRecord.ts';
import type { Violation } from '../violation.ts';

interface Observation {
  readonly key: string;
  readonly generation: number;
  /** The state the generation was reported with, as the body shows it. */
  readonly shown: unknown;
  readonly operation: Operation;
  /** `canonical(shown)`, once `stateOf` has needed it. */
  rendered: string | null;
}

/**
 * A canonical rendering of the state an observation reports, taken only
 * for a violation's text: observations of one generation are compared with
 * `sameShown`, which decides what comparing their renderings would.
 */
function stateOf(observation: Observation): string {
  observation.rendered ??= canonical(observation.shown);
  return observation.rendered;
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>).sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonical(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * `canonical(left) === canonical(right)`, without rendering either: the
 * rendering is needed only for a violation's text. The same answer for the
 * values `observe` shows: parsed JSON (no NaN, no undefined in arrays), or
 * records of it whose values may be undefined. Depth is bounded by theirs.
 */
function sameShown(left: unknown, right: unknown): boolean {
  if (left === right) return true;
  if (Array.isArray(left) || Array.isArray(right)) {
    if (!Array.isArray(left) || !Array.isArray(right) || left.length !== right.length) return false;
    for (let index = 0; index < left.length; index += 1) if (!sameShown(left[index], right[index])) return false;
    return true;
  }
  if (typeof left !== 'object' || left === null || typeof right !== 'object' || right === null) return false;
  const leftRecord = left as Record<string, unknown>;
  const rightRecord = right as Record<string, unknown>;
  const keys = Object.keys(leftRecord);
  if (keys.length !== Object.keys(rightRecord).length) return false;
  for (const key of keys) {
    if (!Object.prototype.hasOwnProperty.call(rightRecord, key) || !sameShown(leftRecord[key], rightRecord[key])) return false;
  }
  return true;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

const INVENTORIES_PATH = /^\/resource_providers\/([^/]+)\/inventories$/;
const CONSUMER_PATH = /^\/allocations\/([^/]+)$/;

/** Which generation a request's answer reports, by its path alone: a provider's (inventories) or a consumer's (a GET of its allocations). */
interface Observed {
  readonly kind: 'provider' | 'consumer';
  /** `provider <uuid>` or `consumer <uuid>`, as violations name it. */
  readonly key: string;
}

/**
 * Kept on the request when it is a shared one (`RequestFact`): the reads are made once per path
 * and the writes once per body, so the same request objects recur run after run.
 */
const observed = new RequestFact<Observed | false>((request): Observed | false => {
  const path = withoutQuery(request.path);
  // Each expression runs only on paths that can match it (the end and the start it anchors), so most
  // requests make no match list.
  const inventories = path.endsWith('/inventories') ? INVENTORIES_PATH.exec(path) : null;
  if (inventories?.[1] !== undefined) return { kind: 'provider', key: `provider ${inventories[1]}` };
  const consumer = inventories === null && request.method === 'GET' && path.startsWith('/allocations/') ? CONSUMER_PATH.exec(path) : null;
  if (consumer?.[1] !== undefined) return { kind: 'consumer', key: `consumer ${consumer[1]}` };
  return false;
});

function observe(operation: Operation): Observation | null {
  // Status and path first: most operations report no generation, and their bodies need not be read.
  if (statusOf(operation) !== 200) return null;
  const reported = observed.of(operation.request);
  if (reported === false) return null;
  const body = record(bodyOf(operation));
  if (reported.kind === 'provider' && typeof body['resource_provider_generation'] === 'number') {
    return { key: reported.key, generation: body['resource_provider_generation'], shown: body['inventories'], operation, rendered: null };
  }
  if (reported.kind === 'consumer' && typeof body['consumer_generation'] === 'number') {
    const allocations: Record<string, unknown> = {};
    const read = record(body['allocations']);
    // Own names in Object.entries order (parsed JSON inherits no enumerable names), without a pair per member.
    for (const provider in read) if (Object.prototype.hasOwnProperty.call(read, provider)) allocations[provider] = record(read[provider])['resources'];
    return { key: reported.key, generation: body['consumer_generation'], shown: allocations, operation, rendered: null };
  }
  return null;
}

/** Requests that may end a consumer's life (so its generation restarts). */
function mayEndConsumer(operation: Operation, consumer: string): boolean {
  if (operation.request.method === 'GET') return false;
  const status = statusOf(operation);
  if (status !== null && (status < 200 || status >= 300)) return false;
  if (operation.request.method === 'DELETE' && operation.request.path.endsWith(`/allocations/${consumer}`)) return true;
  // A write that clears the consumer ({"allocations": {}}) also deletes it.
  const named = operation.request.path.includes(consumer) || (operation.request.body ?? '').includes(consumer);
  return named && /"allocations":\s*\{\}/.test(operation.request.body ?? '');
}

function endsBetween(operations: readonly Operation[], consumer: string, first: Operation, second: Operation): boolean {
  const from = first.invokedAt;
  const to = second.completedAt ?? Number.POSITIVE_INFINITY;
  return operations.some((operation) => {
    if (!mayEndConsumer(operation, consumer)) return false;
    const ended = operation.completedAt ?? Number.POSITIVE_INFINITY;
    return operation.invokedAt < to && ended > from;
  });
}

export function checkGenerations(run: RunRecord): Violation[] {
  const operations = run.history.operations;
  const seen = new Map<string, Observation>();
  const violations: Violation[] = [];
  for (const operation of operations) {
    const observation = observe(operation);
    if (observation === null) continue;
    const slot = `${observation.key} @${observation.generation}`;
    const earlier = seen.get(slot);
    if (earlier === undefined || sameShown(earlier.shown, observation.shown)) {
      seen.set(slot, observation);
      continue;
    }
    const consumer = observation.key.startsWith('consumer ') ? observation.key.slice('consumer '.length) : null;
    if (consumer !== null && endsBetween(operations, consumer, earlier.operation, observation.operation)) {
      seen.set(slot, observation);
      continue;
    }
    violations.push({
      invariant: 'generations',
      summary: `${observation.key} reported generation ${observation.generation} for two different states`,
      explanation: [
        `Let request #${earlier.operation.id} report ${observation.key} at generation ${observation.generation} with ${stateOf(earlier)}.`,
        `Then every later report of generation ${observation.generation} must show the same state, because every change bumps the generation,`,
        `but request #${observation.operation.id} reports generation ${observation.generation} with ${stateOf(observation)}.`,
      ],
      operations: [earlier.operation.id, observation.operation.id],
      data: { key: observation.key, generation: observation.generation, first: stateOf(earlier), second: stateOf(observation) },
    });
    seen.set(slot, observation);
  }
  return violations;
}
