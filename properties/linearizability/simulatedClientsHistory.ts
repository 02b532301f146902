/**
 * Realistic linearizable histories for the benchmark: several clients, each
 * sending one request at a time, mostly about its own consumers and its own
 * provider, sometimes about providers it shares with others. Requests are
 * applied to the model in the order of their linearization points, and each
 * gets an interval around its point that respects its client's sequence, so
 * the overlap is what real clients with variable latency produce: up to one
 * request in flight per client.
 */
import { handle, type HttpRequest, type State } from '../../model/index.ts';
import type { History, Operation } from '../../sim/history.ts';
import { consumerUuid, request } from './goldenHistories.ts';
import { initialStateOf } from './historyFile.ts';
import { requestForIntent, type WorkloadIntent } from './workloadIntent.ts';

/** `pairs`: clients 2i and 2i+1 share one provider (many small partitions); `all`: every client shares two (one partition). */
export type ProviderSharing = 'pairs' | 'all';

export interface SimulatedClientsOptions {
  readonly clientsCount: number;
  readonly requestsCount: number;
  readonly sharing: ProviderSharing;
  /** Uniform in [0, 1): the only source of randomness, injected. */
  readonly random: () => number;
  /** Share of writes whose outcome is unknown (half applied, half lost). */
  readonly unknownShare?: number;
}

export interface SimulatedClientsHistory {
  readonly initialRequests: readonly HttpRequest[];
  readonly history: History;
}

const CONSUMERS_PER_CLIENT = 4;

export function ownProviderUuid(client: number): string {
  return `bbbbbbbb-0000-4000-8000-${client.toString(16).padStart(12, '0')}`;
}

export function sharedProviderUuid(index: number): string {
  return `dddddddd-0000-4000-8000-${index.toString(16).padStart(12, '0')}`;
}

function sharedProvidersOf(client: number, sharing: ProviderSharing): readonly string[] {
  return sharing === 'pairs' ? [sharedProviderUuid(Math.floor(client / 2))] : [sharedProviderUuid(0), sharedProviderUuid(1)];
}

function clientConsumer(client: number, index: number): string {
  return consumerUuid(client * CONSUMERS_PER_CLIENT + index + 1);
}

/** Every provider, with 16 VCPU (allocation ratio 1). */
export function simulatedSetup(clientsCount: number, sharing: ProviderSharing): readonly HttpRequest[] {
  const shared = sharing === 'pairs' ? Math.ceil(clientsCount / 2) : 2;
  const providers = [
    ...Array.from({ length: clientsCount }, (_unused, client) => ownProviderUuid(client)),
    ...Array.from({ length: shared }, (_unused, index) => sharedProviderUuid(index)),
  ];
  return providers.flatMap((uuid) => [
    request('POST', '/resource_providers', { name: `provider-${uuid}`, uuid }),
    request('PUT', `/resource_providers/${uuid}/inventories`, { resource_provider_generation: 0, inventories: { VCPU: { total: 16 } } }),
  ]);
}

function chooseIntent(client: number, sharing: ProviderSharing, random: () => number): WorkloadIntent {
  const pick = <T>(items: readonly T[]): T => {
    const item = items[Math.floor(random() * items.length)];
    if (item === undefined) throw new Error('picked from an empty list');
    return item;
  };
  const consumer = clientConsumer(client, Math.floor(random() * CONSUMERS_PER_CLIENT));
  const own = ownProviderUuid(client);
  const provider = random() < 0.7 ? own : pick(sharedProvidersOf(client, sharing));
  const roll = random();
  if (roll < 0.3) return { kind: 'allocate', consumer, provider, vcpu: 1 + Math.floor(random() * 2), generation: random() < 0.9 ? 'current' : 'stale' };
  if (roll < 0.35) return { kind: 'allocate', consumer, provider, vcpu: 1, generation: 'null' };
  if (roll < 0.45) return { kind: 'deleteAllocations', consumer };
  if (roll < 0.65) return { kind: 'readAllocations', consumer };
  if (roll < 0.8) return { kind: 'readUsages', provider };
  if (roll < 0.85) {
    const other = clientConsumer(client, Math.floor(random() * CONSUMERS_PER_CLIENT));
    return { kind: 'moveAllocation', from: consumer, to: other, provider: own, vcpu: 1 };
  }
  if (roll < 0.95) return { kind: 'readProvider', provider };
  return { kind: 'setInventory', provider: own, total: random() < 0.5 ? 16 : 20, generation: 'current' };
}

export function simulatedClientsHistory(options: SimulatedClientsOptions): SimulatedClientsHistory {
  const { clientsCount, requestsCount, sharing, random } = options;
  const unknownShare = options.unknownShare ?? 0.005;
  if (clientsCount < 1 || requestsCount < 0) throw new Error('need at least one client and no negative request count');
  const initialRequests = simulatedSetup(clientsCount, sharing);
  let state: State = initialStateOf({ initialRequests });
  const busyUntil = new Array<number>(clientsCount).fill(-1);
  const steps = new Array<number>(clientsCount).fill(0);
  // Latency in ticks; one linearization point per tick, so about `clientsCount` requests overlap.
  const latencyMax = 2 * clientsCount;
  const operations: Operation[] = [];
  let time = 0;
  for (let id = 0; id < requestsCount; id += 1) {
    time += 1;
    let idle = busyUntil.flatMap((until, client) => (until < time ? [client] : []));
    if (idle.length === 0) {
      time = busyUntil.reduce((earliest, until) => Math.min(earliest, until), Number.POSITIVE_INFINITY) + 1;
      idle = busyUntil.flatMap((until, client) => (until < time ? [client] : []));
    }
    const client = idle[Math.floor(random() * idle.length)] ?? 0;
    const item = requestForIntent(chooseIntent(client, sharing, random), state);
    const invokedAt = Math.max((busyUntil[client] ?? -1) + 1, time - Math.floor(random() * latencyMax));
    const completedAt = time + Math.floor(random() * latencyMax);
    busyUntil[client] = completedAt;
    const base = { id, client, step: steps[client] ?? 0, request: item, invokedAt };
    steps[client] = (steps[client] ?? 0) + 1;
    const timedOut = item.method !== 'GET' && random() < unknownShare;
    if (timedOut && random() < 0.5) {
      // Lost on the way: the service never saw it.
      operations.push({ ...base, completedAt: null, completion: { kind: 'unknown', reason: 'timeout' } });
      continue;
    }
    const handled = handle(state, item);
    state = handled.state;
    operations.push(
      timedOut
        ? { ...base, completedAt, completion: { kind: 'unknown', reason: 'timeout' } }
        : { ...base, completedAt, completion: { kind: 'response', response: handled.response } },
    );
  }
  operations.sort((left, right) => left.invokedAt - right.invokedAt || left.id - right.id);
  return { initialRequests, history: { operations } };
}
