/**
 * Reads an allocation write (PUT /allocations/{consumer} or POST
 * /allocations) back out of a recorded request, for findings that reason
 * about which consumers a request named.
 */
import type { HttpRequest } from '../../model/index.ts';
import { negotiateMicroversion, microversion } from '../../model/microversion.ts';
import { isUuidLike, normalizeUuid } from '../../model/uuid.ts';
import { isRecord, requestBody } from './requestBody.ts';

export interface ConsumerInWrite {
  /** The consumer as the service stores it: PUT normalises a uuid path, POST keeps its keys. */
  readonly uuid: string;
  /** The request's allocations for it were empty (`{}` or `[]`). */
  readonly clears: boolean;
  /** `consumer_generation` as sent; `undefined` when absent. */
  readonly generation: unknown;
  /** `consumer_type` as sent; `undefined` when absent. */
  readonly consumerType: unknown;
}

export interface AllocationWrite {
  readonly form: 'put' | 'post';
  /** Served microversion as `major * 1000 + minor`. */
  readonly microversion: number;
  readonly consumers: readonly ConsumerInWrite[];
}

function isEmpty(value: unknown): boolean {
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && value !== null && Object.keys(value).length === 0;
}

function consumerIn(uuid: string, data: Readonly<Record<string, unknown>>): ConsumerInWrite {
  return { uuid, clears: isEmpty(data['allocations']), generation: data['consumer_generation'], consumerType: data['consumer_type'] };
}

/** The write a request makes, or `null` if it is not a well-formed allocation write. */
export function allocationWrite(request: HttpRequest): AllocationWrite | null {
  const negotiated = negotiateMicroversion(request.headers['openstack-api-version']);
  if (negotiated.kind !== 'ok') return null;
  const body = requestBody(request);
  if (!isRecord(body)) return null;
  const putMatch = /^\/allocations\/([^/?]+)$/.exec(request.path);
  if (request.method === 'PUT' && putMatch !== null) {
    const raw = decodeURIComponent(putMatch[1] ?? '');
    if (!isUuidLike(raw)) return null;
    return { form: 'put', microversion: negotiated.version, consumers: [consumerIn(normalizeUuid(raw), body)] };
  }
  if (request.method === 'POST' && request.path === '/allocations') {
    const consumers = Object.entries(body).map(([uuid, value]) =>
      consumerIn(uuid, typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {}),
    );
    return { form: 'post', microversion: negotiated.version, consumers };
  }
  return null;
}

/** From 1.28 the service checks consumer generations. */
export function checksConsumerGenerations(write: AllocationWrite): boolean {
  return write.microversion >= microversion(1, 28);
}

/** From 1.38 the service stores the consumer type a write gives. */
export function setsConsumerType(write: AllocationWrite): boolean {
  return write.microversion >= microversion(1, 38);
}
