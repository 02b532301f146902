/**
 * What one client believes about generations, learned from the responses it
 * got, and how actions become concrete requests from that belief.
 */
import { placementRequestSending, type HttpRequest, type HttpResponse } from '../../model/http.ts';
import { microversion, type Microversion } from '../../model/microversion.ts';
import { parseBody } from '../responseBody.ts';
import { consumerPath, consumerPaths, deleteInventoryRequest, providerPaths } from './requestPaths.ts';
import type { Action, ConsumerAllocationsSpec } from './program.ts';
import { consumerForm, consumerWriteBody, inventoriesWriteBody, postAllocationsBody, sendsGeneration, type ConsumerForm, type SentGenerations } from './requestBodies.ts';

export class Knowledge implements SentGenerations {
  /** `null`: the client believes the consumer does not exist. */
  private readonly consumerGenerations = new Map<string, number | null>();
  private readonly providerGenerations = new Map<string, number>();

  consumerGeneration(consumer: string): number | null {
    return this.consumerGenerations.get(consumer) ?? null;
  }

  providerGeneration(provider: string): number {
    return this.providerGenerations.get(provider) ?? 0;
  }

  copy(): Knowledge {
    const copy = new Knowledge();
    for (const [key, value] of this.consumerGenerations) copy.consumerGenerations.set(key, value);
    for (const [key, value] of this.providerGenerations) copy.providerGenerations.set(key, value);
    return copy;
  }

  /**
   * Updates beliefs from a response to `action`. The body is read only where
   * it is used: a write's success or a delete teaches without it, and
   * reading an empty body still goes through the memo of bodies parsed.
   */
  learn(action: Action, response: HttpResponse): void {
    switch (action.kind) {
      case 'putAllocations':
        if (response.status === 204) this.learnWritten(action);
        else this.learnConflict(action, response);
        return;
      case 'postAllocations':
        if (response.status === 204) {
          for (const spec of action.consumers) this.learnWritten(spec);
        } else if (action.consumers.length === 1) {
          // Only a write of one consumer can learn from a conflict (see learnConflict), so others skip the search.
          this.learnConflict(action.consumers[0] as ConsumerAllocationsSpec, response);
        }
        return;
      case 'deleteAllocations':
        if (response.status === 204 || response.status === 404) this.consumerGenerations.set(action.consumer, null);
        return;
      case 'readConsumer': {
        if (response.status !== 200) return;
        const body = parseBody(response);
        if (!isRecord(body)) return;
        const generation = body['consumer_generation'];
        this.consumerGenerations.set(action.consumer, typeof generation === 'number' ? generation : null);
        const allocations = body['allocations'];
        if (!isRecord(allocations)) return;
        for (const provider in allocations) {
          if (!Object.prototype.hasOwnProperty.call(allocations, provider)) continue;
          const entry = allocations[provider];
          if (isRecord(entry) && typeof entry['generation'] === 'number') this.providerGenerations.set(provider, entry['generation']);
        }
        return;
      }
      case 'setInventory':
      case 'readUsages':
      case 'deleteInventory': {
        const body = parseBody(response);
        if (isRecord(body) && typeof body['resource_provider_generation'] === 'number') {
          this.providerGenerations.set(action.provider, body['resource_provider_generation']);
        } else if (action.kind === 'deleteInventory' && response.status === 204) {
          this.providerGenerations.set(action.provider, this.providerGeneration(action.provider) + 1);
        }
        return;
      }
      case 'deleteProvider':
        return;
      default:
        assertNever(action);
    }
  }

  /** A write of `spec` succeeded. */
  private learnWritten(spec: ConsumerAllocationsSpec): void {
    if (spec.allocations.length === 0) this.consumerGenerations.set(spec.consumer, null);
    else this.consumerGenerations.set(spec.consumer, (this.consumerGeneration(spec.consumer) ?? 0) + 1);
  }

  /** A write of `spec` alone failed: "consumer generation conflict - expected 3 but got 1" tells the truth about it. */
  private learnConflict(spec: ConsumerAllocationsSpec, response: HttpResponse): void {
    const expected = expectedConsumerGeneration(errorDetail(parseBody(response)));
    if (expected !== undefined) this.consumerGenerations.set(spec.consumer, expected);
  }

  /**
   * Fills in what the action leaves to the client and renders the request:
   * the same object for every request with the same method, path, headers
   * and body, in this run and the ones after it (requests are only read).
   */
  render(action: Action): HttpRequest {
    switch (action.kind) {
      case 'putAllocations': {
        const form = consumerForm(versionNumber(action.microversion), true);
        const body = consumerWriteBody(form, this.sentGeneration(form, action), action.allocations);
        return placementRequestSending('PUT', consumerPath(action.consumer), action.microversion, body);
      }
      case 'postAllocations': {
        const form = consumerForm(versionNumber(action.microversion), false);
        return placementRequestSending('POST', '/allocations', action.microversion, postAllocationsBody(form, action.consumers, this));
      }
      case 'deleteAllocations':
        return consumerPaths(action.consumer).delete;
      case 'readConsumer':
        return consumerPaths(action.consumer).read;
      case 'setInventory': {
        const known = this.providerGeneration(action.provider);
        const generation = action.generation === 'known' ? known : Math.max(0, known - 1);
        return placementRequestSending('PUT', providerPaths(action.provider).inventories, '1.39', inventoriesWriteBody(generation, action.inventories));
      }
      case 'deleteInventory':
        return deleteInventoryRequest(action.provider, action.resourceClass);
      case 'deleteProvider':
        return providerPaths(action.provider).delete;
      case 'readUsages':
        return providerPaths(action.provider).readUsages;
      default:
        return assertNever(action);
    }
  }

  /** The consumer generation a write of `spec` in `form` sends (null where the form sends none). */
  sentGeneration(form: ConsumerForm, spec: ConsumerAllocationsSpec): number | null {
    if (!sendsGeneration(form)) return null;
    const known = this.consumerGeneration(spec.consumer);
    switch (spec.generation) {
      case 'known':
        return known;
      case 'null':
        return null;
      case 'stale':
        return known === null ? 0 : Math.max(0, known - 1);
      default:
        return assertNever(spec.generation);
    }
  }
}

const GENERATION_CONFLICT = 'consumer generation conflict - expected ';
const BUT_GOT = ' but got';
/** Digits of a generation summed one by one are exact up to this many; longer ones are read by Number. */
const EXACT_DIGITS_MAX = 15;

/**
 * The generation in the first "consumer generation conflict - expected <null
 * or digits> but got" of a detail (what /consumer generation conflict -
 * expected (null|\d+) but got/ captures, as null or a number), or undefined
 * when there is none. Scanned by hand: most writes that fail with a
 * conflict are read this way, and a regular expression's match list and
 * captured text were made for each.
 */
export function expectedConsumerGeneration(detail: string): number | null | undefined {
  for (let at = detail.indexOf(GENERATION_CONFLICT); at !== -1; at = detail.indexOf(GENERATION_CONFLICT, at + 1)) {
    const start = at + GENERATION_CONFLICT.length;
    if (detail.startsWith('null', start)) {
      if (detail.startsWith(BUT_GOT, start + 4)) return null;
      continue;
    }
    let end = start;
    let value = 0;
    for (let code = detail.charCodeAt(end); code >= 48 && code <= 57; code = detail.charCodeAt(end)) {
      value = value * 10 + (code - 48);
      end += 1;
    }
    if (end > start && detail.startsWith(BUT_GOT, end)) return end - start <= EXACT_DIGITS_MAX ? value : Number(detail.slice(start, end));
  }
  return undefined;
}

/** `major.minor` as the model's version number; programs use a handful of microversions, each parsed once. */
const versionNumbers = new Map<string, Microversion>();
function versionNumber(text: string): Microversion {
  let version = versionNumbers.get(text);
  if (version === undefined) {
    const [major = 0, minor = 0] = text.split('.').map(Number);
    version = microversion(major, minor);
    if (versionNumbers.size >= 256) versionNumbers.clear();
    versionNumbers.set(text, version);
  }
  return version;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The `detail` of a Placement error body, or ''. */
export function errorDetail(body: unknown): string {
  if (!isRecord(body) || !Array.isArray(body['errors'])) return '';
  const first: unknown = body['errors'][0];
  return isRecord(first) && typeof first['detail'] === 'string' ? first['detail'] : '';
}

/** The `code` of a Placement error body, if any. */
export function errorCode(body: unknown): string | null {
  if (!isRecord(body) || !Array.isArray(body['errors'])) return null;
  const first: unknown = body['errors'][0];
  return isRecord(first) && typeof first['code'] === 'string' ? first['code'] : null;
}

function assertNever(value: never): never {
  throw new Error(`unhandled action: ${JSON.stringify(value)}`);
}
