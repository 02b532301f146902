/**
 * Placement-aware, contention-biased program generation: few providers near
 * full capacity, consumers shared between clients, moves between providers,
 * inventory changes and deletes racing the writes, fresh and stale
 * generations.
 */
import { Random } from '../random.ts';
import type { ActionFamily, RunOptions } from '../runOptions.ts';
import type { Action, AllocationSpec, ConsumerAllocationsSpec, InventorySpec, Program, ProviderSpec } from './program.ts';

const RESOURCE_CLASS = 'VCPU';

function inventory(total: number, stepSize = 1): InventorySpec {
  return { total, reserved: 0, minUnit: 1, maxUnit: total, stepSize, allocationRatio: 1.0 };
}

export function generateProgram(options: RunOptions): Program {
  const random = Random.stream(options.seed, 'program');
  const providers: ProviderSpec[] = [];
  for (let index = 0; index < options.providersCount; index += 1) {
    providers.push({
      uuid: roleUuid(random, PROVIDER_ROLE, index),
      name: `sim-provider-${index}`,
      inventories: { [RESOURCE_CLASS]: inventory(random.integer(2, 6), random.chance(0.3) ? 2 : 1) },
    });
  }
  const consumers = Array.from({ length: options.consumersCount }, (_, index) => roleUuid(random, CONSUMER_ROLE, index));
  const setupAllocations = consumers
    .filter(() => random.chance(0.4))
    .map((consumer) => ({ consumer, allocations: [allocationOn(random, random.pick(providers), 1)] }));
  // The families are the run's, so the weights to draw from are filtered once per program.
  const weights = ACTION_WEIGHTS.filter(([name]) => options.families.includes(name));
  const clients: Action[][] = [];
  for (let client = 0; client < options.clientsCount; client += 1) {
    const actions: Action[] = [];
    for (let index = 0; index < options.commandsPerClient; index += 1) {
      actions.push(generateAction(random, options, weights, providers, consumers));
    }
    clients.push(actions);
  }
  return { providers, consumers, setupAllocations, clients };
}

/** The first hex digit of a role's uuids: what a report's eight-character abbreviation shows first. */
type Role = 'a' | 'c';
const PROVIDER_ROLE: Role = 'a';
const CONSUMER_ROLE: Role = 'c';
/** Each role's uuids by index, made at first use; a program has at most a few dozen of each. */
const roleUuids: Record<Role, string[]> = { a: [], c: [] };

/**
 * The uuid of a program's `index`-th provider or consumer: `a0000001-…` for
 * the first provider, `c0000001-…` for the first consumer. An in-process
 * run behaves the same whatever uuids it is given, as long as they differ
 * (the target orders rows by id, and the checker compares documents, not
 * key order), so programs name their entities by role. Every run then
 * reuses the same few strings, already hashed, and V8 the same object
 * shapes for the documents keyed by them; with a fresh random uuid per
 * entity per run, each document keyed by uuids got a shape of its own.
 * The stream still spends a uuid's draws, so every later choice a seed
 * makes is the one it made when uuids were drawn.
 */
function roleUuid(random: Random, role: Role, index: number): string {
  random.skipUuid();
  const made = roleUuids[role];
  let uuid = made[index];
  if (uuid === undefined) {
    const ordinal = (index + 1).toString(16).padStart(7, '0');
    uuid = `${role}${ordinal}-0000-4000-8000-${ordinal.padStart(12, '0')}`;
    made[index] = uuid;
  }
  return uuid;
}

function allocationOn(random: Random, provider: ProviderSpec, amountMax: number): AllocationSpec {
  const total = provider.inventories[RESOURCE_CLASS]?.total ?? 1;
  const step = provider.inventories[RESOURCE_CLASS]?.stepSize ?? 1;
  // Mostly valid multiples of the step, sometimes not, so unit checks get exercised.
  const amount = random.chance(0.8) ? step * random.integer(1, Math.max(1, Math.floor(Math.min(total, amountMax) / step))) : random.integer(1, total + 1);
  return { provider: provider.uuid, resources: { [RESOURCE_CLASS]: amount } };
}

/**
 * What `random.pick(consumers.filter((candidate) => candidate !== self).concat(self))` picks,
 * with the same draw, without building that list: the other consumers in order, then `self`.
 */
function pickOtherThenSelf(random: Random, consumers: readonly string[], self: string): string {
  let others = 0;
  for (const candidate of consumers) if (candidate !== self) others += 1;
  let wanted = random.index(others + 1);
  for (const candidate of consumers) {
    if (candidate === self) continue;
    if (wanted === 0) return candidate;
    wanted -= 1;
  }
  return self;
}

/** The lists a run draws from, made once instead of per draw. */
const STALE_GENERATIONS = ['stale', 'null'] as const;
const OLD_MICROVERSIONS: readonly string[] = ['1.8', '1.12', '1.27'];
const MICROVERSIONS: readonly string[] = ['1.28', '1.38', '1.39'];

function generation(random: Random, options: RunOptions): ConsumerAllocationsSpec['generation'] {
  if (options.families.includes('staleGeneration') && random.chance(0.2)) return random.pick(STALE_GENERATIONS);
  return 'known';
}

function microversion(random: Random, options: RunOptions): string {
  if (options.families.includes('oldMicroversion') && random.chance(0.3)) return random.pick(OLD_MICROVERSIONS);
  return random.pick(MICROVERSIONS);
}

/** How often each family is drawn, among the families a run switches on. */
const ACTION_WEIGHTS: readonly (readonly [ActionFamily, number])[] = [
  ['allocate', 6],
  ['move', 2],
  ['clear', 1],
  ['delete', 2],
  ['inventory', 1],
  ['deleteInventory', 0.5],
  ['deleteProvider', 0.3],
  ['read', 2],
];

function generateAction(
  random: Random,
  options: RunOptions,
  weights: readonly (readonly [ActionFamily, number])[],
  providers: readonly ProviderSpec[],
  consumers: readonly string[],
): Action {
  const family = random.weighted(weights);
  const provider = random.pick(providers);
  const consumer = random.pick(consumers);
  switch (family) {
    case 'allocate':
      return {
        kind: 'putAllocations',
        microversion: microversion(random, options),
        consumer,
        allocations: [allocationOn(random, provider, 3)],
        generation: generation(random, options),
      };
    case 'move': {
      const other = pickOtherThenSelf(random, consumers, consumer);
      const target = random.pick(providers);
      const moved: ConsumerAllocationsSpec[] = [{ consumer, allocations: [allocationOn(random, target, 2)], generation: generation(random, options) }];
      if (other !== consumer) moved.push({ consumer: other, allocations: random.chance(0.5) ? [] : [allocationOn(random, provider, 2)], generation: generation(random, options) });
      return { kind: 'postAllocations', microversion: random.pick(MICROVERSIONS), consumers: moved };
    }
    case 'clear':
      return { kind: 'putAllocations', microversion: '1.39', consumer, allocations: [], generation: generation(random, options) };
    case 'delete':
      return { kind: 'deleteAllocations', consumer };
    case 'inventory': {
      const current = provider.inventories[RESOURCE_CLASS] ?? inventory(4);
      const total = Math.max(1, current.total + random.integer(-2, 2));
      return {
        kind: 'setInventory',
        provider: provider.uuid,
        inventories: { [RESOURCE_CLASS]: { ...current, total, maxUnit: total } },
        generation: options.families.includes('staleGeneration') && random.chance(0.3) ? 'stale' : 'known',
      };
    }
    case 'deleteInventory':
      return { kind: 'deleteInventory', provider: provider.uuid, resourceClass: RESOURCE_CLASS };
    case 'deleteProvider':
      return { kind: 'deleteProvider', provider: provider.uuid };
    case 'read':
      return random.chance(0.5) ? { kind: 'readConsumer', consumer } : { kind: 'readUsages', provider: provider.uuid };
    default:
      // 'staleGeneration' and 'oldMicroversion' modify other families and are never drawn.
      return { kind: 'readConsumer', consumer };
  }
}
