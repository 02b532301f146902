/**
 * Targeted programs for races the default generator reaches only rarely.
 * Each is still derived from the run's seed and options, so a seed names
 * the same program every time.
 *
 * - `default`: generateProgram, the placement-aware mix.
 * - `hot-provider`: over-allocation. Rounds of simultaneous writes on one
 *   nearly full provider: in round r every client PUTs 1 VCPU for a fresh
 *   consumer of its own on provider r (capacity 2 or 3). At most capacity
 *   writes of a round may succeed; the final usage shows any excess.
 * - `consumer-churn`: orphaned allocations. All clients share two consumers
 *   on one small provider and create them (generation null), rewrite them,
 *   delete them, and send writes that must fail (over capacity, unknown
 *   provider): a failed write deletes the consumer it auto-created, which
 *   may be the one another request is writing allocations for.
 */
import { Random } from '../random.ts';
import type { RunOptions } from '../runOptions.ts';
import { generateProgram } from './generateProgram.ts';
import type { Action, InventorySpec, Program, ProviderSpec } from './program.ts';

export type Scenario = 'default' | 'hot-provider' | 'consumer-churn';
export const SCENARIOS: readonly Scenario[] = ['default', 'hot-provider', 'consumer-churn'];

export function isScenario(name: string): name is Scenario {
  return (SCENARIOS as readonly string[]).includes(name);
}

const RESOURCE_CLASS = 'VCPU';
/** A provider no program creates: writes naming it fail with 400 after auto-creating their consumer. */
const MISSING_PROVIDER = '00000000-0000-4000-8000-0000000000aa';

function inventory(total: number): InventorySpec {
  return { total, reserved: 0, minUnit: 1, maxUnit: total, stepSize: 1, allocationRatio: 1.0 };
}

export function generateScenarioProgram(scenario: Scenario, options: RunOptions): Program {
  switch (scenario) {
    case 'default':
      return generateProgram(options);
    case 'hot-provider':
      return hotProvider(options);
    case 'consumer-churn':
      return consumerChurn(options);
    default:
      return assertNever(scenario);
  }
}

function hotProvider(options: RunOptions): Program {
  const random = Random.stream(options.seed, 'program/hot-provider');
  const rounds = options.commandsPerClient;
  const providers: ProviderSpec[] = Array.from({ length: rounds }, (_, round) => ({
    uuid: random.uuid(),
    name: `sim-hot-provider-${round}`,
    inventories: { [RESOURCE_CLASS]: inventory(random.integer(2, 3)) },
  }));
  const consumersByClient = Array.from({ length: options.clientsCount }, () => Array.from({ length: rounds }, () => random.uuid()));
  const clients = consumersByClient.map((consumers) =>
    consumers.map((consumer, round): Action => ({
      kind: 'putAllocations',
      microversion: '1.39',
      consumer,
      allocations: [{ provider: providers[round]?.uuid ?? '', resources: { [RESOURCE_CLASS]: 1 } }],
      generation: 'null',
    })),
  );
  return { providers, consumers: consumersByClient.flat(), setupAllocations: [], clients };
}

function consumerChurn(options: RunOptions): Program {
  const random = Random.stream(options.seed, 'program/consumer-churn');
  const total = random.integer(3, 5);
  const provider: ProviderSpec = { uuid: random.uuid(), name: 'sim-churn-provider', inventories: { [RESOURCE_CLASS]: inventory(total) } };
  const consumers = [random.uuid(), random.uuid()];
  const clients = Array.from({ length: options.clientsCount }, () =>
    Array.from({ length: options.commandsPerClient }, (): Action => {
      const consumer = random.pick(consumers);
      const write = (providerUuid: string, amount: number, generation: 'known' | 'null'): Action => ({
        kind: 'putAllocations',
        microversion: '1.39',
        consumer,
        allocations: [{ provider: providerUuid, resources: { [RESOURCE_CLASS]: amount } }],
        generation,
      });
      switch (random.weighted([['create', 4], ['rewrite', 2], ['delete', 3], ['overCapacity', 2], ['missingProvider', 2]] as const)) {
        case 'create':
          return write(provider.uuid, 1, 'null');
        case 'rewrite':
          return write(provider.uuid, random.integer(1, 2), 'known');
        case 'delete':
          return { kind: 'deleteAllocations', consumer };
        case 'overCapacity':
          return write(provider.uuid, total + 1, 'null');
        case 'missingProvider':
          return write(MISSING_PROVIDER, 1, 'null');
        default:
          return { kind: 'readConsumer', consumer };
      }
    }),
  );
  return { providers: [provider], consumers, setupAllocations: [], clients };
}

function assertNever(value: never): never {
  throw new Error(`unhandled scenario: ${JSON.stringify(value)}`);
}
