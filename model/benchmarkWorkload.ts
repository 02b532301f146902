/**
 * The benchmark's workload: a 10-provider state and a seeded stream of
 * allocation and inventory commands (and the equivalent HTTP requests).
 *
 * The mix resembles a scheduler's traffic: mostly allocation writes (new
 * consumers, moves, resizes), some clears and deletes, some inventory
 * updates. Capacity is sized so that most writes succeed and some are
 * refused, because both paths cost differently.
 */
import type { Command, ConsumerWrite } from './commands.ts';
import { inventoryRequestFields, placementRequest, type HttpRequest } from './http.ts';
import type { Inventory } from './state.ts';

/** A tiny seeded generator (xorshift32): the model reads no ambient randomness. */
export class Xorshift32 {
  private value: number;

  constructor(seed: number) {
    this.value = seed >>> 0 || 0x9e3779b9;
  }

  next(): number {
    let x = this.value;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.value = x >>> 0;
    return this.value;
  }

  /** An integer in [0, bound). */
  below(bound: number): number {
    return this.next() % bound;
  }
}

export function benchmarkProviderUuid(index: number): string {
  return `bbbbbbbb-0000-4000-8000-${index.toString(16).padStart(12, '0')}`;
}

export function benchmarkConsumerUuid(index: number): string {
  return `dddddddd-0000-4000-8000-${index.toString(16).padStart(12, '0')}`;
}

const RESOURCE_CLASSES = ['VCPU', 'MEMORY_MB', 'DISK_GB'] as const;

/**
 * Inventory sized so that the 40 to 50 consumers a provider holds on
 * average fit at full size and overflow at half size.
 */
export function benchmarkInventory(resourceClass: string, totalScale: number): Inventory {
  const total = resourceClass === 'VCPU' ? 64 * totalScale : resourceClass === 'MEMORY_MB' ? 524288 * totalScale : 8192 * totalScale;
  return { total, reserved: 0, minUnit: 1, maxUnit: total, stepSize: 1, allocationRatio: resourceClass === 'VCPU' ? 4 : 1 };
}

/**
 * One step of the workload. Inventory updates need the provider's current
 * generation, which only the state being benchmarked knows, so they are
 * completed at run time; everything else is a ready command.
 */
export type WorkloadStep =
  | { readonly kind: 'command'; readonly command: Command }
  | { readonly kind: 'inventoryUpdate'; readonly providerUuid: string; readonly resourceClass: string; readonly inventory: Inventory };

export interface WorkloadOptions {
  readonly seed: number;
  readonly providersCount: number;
  readonly consumersCount: number;
  readonly stepsCount: number;
}

function resourcesFor(random: Xorshift32): readonly (readonly [string, number])[] {
  const vcpu = 1 + random.below(8);
  return [
    ['VCPU', vcpu],
    ['MEMORY_MB', 1024 * (1 + random.below(16))],
    ['DISK_GB', 10 * (1 + random.below(20))],
  ];
}

function allocationWrite(random: Xorshift32, options: WorkloadOptions): ConsumerWrite {
  const uuid = benchmarkConsumerUuid(random.below(options.consumersCount));
  const first = random.below(options.providersCount);
  // One provider in four allocations spans two (a move or a sharing provider).
  const providers = random.below(4) === 0 ? [first, (first + 1 + random.below(options.providersCount - 1)) % options.providersCount] : [first];
  return {
    uuid,
    projectId: 'project',
    userId: 'user',
    generation: null,
    consumerType: null,
    allocations: providers.map((index) => ({ providerUuid: benchmarkProviderUuid(index), resources: resourcesFor(random) })),
  };
}

/**
 * The write with no allocations (a clear). Written out with the fields in
 * the order `allocationWrite` gives them, and an empty list with the same
 * element kind as the others: a spread copy, or a literal `[]`, would give
 * the clears object and array shapes of their own (and the spread's first
 * copy one more), and the allocation code would meet them.
 */
function clearingWrite(write: ConsumerWrite): ConsumerWrite {
  const allocations: ConsumerWrite['allocations'][number][] = [write.allocations[0] ?? { providerUuid: '', resources: [] }];
  allocations.pop();
  return {
    uuid: write.uuid,
    projectId: write.projectId,
    userId: write.userId,
    generation: write.generation,
    consumerType: write.consumerType,
    allocations,
  };
}

export function benchmarkWorkload(options: WorkloadOptions): readonly WorkloadStep[] {
  const random = new Xorshift32(options.seed);
  const steps: WorkloadStep[] = [];
  for (let index = 0; index < options.stepsCount; index += 1) {
    const dice = random.below(100);
    if (dice < 65) {
      steps.push({ kind: 'command', command: { kind: 'writeAllocations', form: 'put', consumers: [allocationWrite(random, options)], checkGenerations: false } });
    } else if (dice < 72) {
      const consumers = [allocationWrite(random, options), allocationWrite(random, options)];
      if (consumers[0]?.uuid !== consumers[1]?.uuid) steps.push({ kind: 'command', command: { kind: 'writeAllocations', form: 'post', consumers, checkGenerations: false } });
    } else if (dice < 80) {
      const clearing = clearingWrite(allocationWrite(random, options));
      steps.push({ kind: 'command', command: { kind: 'writeAllocations', form: 'put', consumers: [clearing], checkGenerations: false } });
    } else if (dice < 90) {
      steps.push({ kind: 'command', command: { kind: 'deleteAllocations', consumerUuid: benchmarkConsumerUuid(random.below(options.consumersCount)) } });
    } else {
      const resourceClass = RESOURCE_CLASSES[random.below(RESOURCE_CLASSES.length)] ?? 'VCPU';
      // Totals swing between half and full size: some updates leave a provider over capacity.
      const inventory = benchmarkInventory(resourceClass, random.below(2) === 0 ? 0.5 : 1);
      steps.push({ kind: 'inventoryUpdate', providerUuid: benchmarkProviderUuid(random.below(options.providersCount)), resourceClass, inventory });
    }
  }
  return steps;
}

/** The same step as an HTTP request at 1.27 (no consumer generations, like the command). */
export function workloadRequest(step: WorkloadStep, providerGeneration: (uuid: string) => number): HttpRequest {
  if (step.kind === 'inventoryUpdate') {
    const { inventory } = step;
    return placementRequest('PUT', `/resource_providers/${step.providerUuid}/inventories/${step.resourceClass}`, {
      microversion: '1.27',
      body: {
        resource_provider_generation: providerGeneration(step.providerUuid),
        ...inventoryRequestFields(inventory),
      },
    });
  }
  const { command } = step;
  if (command.kind === 'deleteAllocations') return placementRequest('DELETE', `/allocations/${command.consumerUuid}`, { microversion: '1.27' });
  if (command.kind !== 'writeAllocations') throw new Error(`workload has no HTTP form for ${command.kind}`);
  const entry = (write: ConsumerWrite): Record<string, unknown> => ({
    allocations: Object.fromEntries(write.allocations.map((allocation) => [allocation.providerUuid, { resources: Object.fromEntries(allocation.resources) }])),
    project_id: write.projectId,
    user_id: write.userId,
  });
  const [only] = command.consumers;
  if (command.form === 'put' && only !== undefined && only.allocations.length > 0) {
    return placementRequest('PUT', `/allocations/${only.uuid}`, { microversion: '1.27', body: entry(only) });
  }
  // POST carries clears too (PUT {} needs 1.28 and a consumer generation).
  return placementRequest('POST', '/allocations', { microversion: '1.27', body: Object.fromEntries(command.consumers.map((write) => [write.uuid, entry(write)])) });
}
