/**
 * The single-pass allocation writes agree with the plainly written
 * reference (model/testing/referenceAllocationWrites.ts) on every outcome:
 * the same error, or the same next state down to the order of consumers,
 * providers and usage entries. The commands include what HTTP never sends
 * (a consumer named twice in one POST, zero amounts, a provider named in
 * two writes) so that the two agree there too.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deleteAllocations, writeAllocations } from './allocationWrites.ts';
import { applyCommand } from './applyCommand.ts';
import type { Command, ConsumerWrite, Outcome } from './commands.ts';
import { emptyState, type Inventory, type State } from './state.ts';
import { canonicalState } from './testing/canonicalState.ts';
import { referenceDeleteAllocations, referenceWriteAllocations } from './testing/referenceAllocationWrites.ts';

const PROVIDERS = ['p0', 'p1', 'p2', 'p3'].map((name, index) => `aaaaaaaa-0000-4000-8000-${String(index).padStart(12, '0')}`);
const MISSING_PROVIDER = 'aaaaaaaa-0000-4000-8000-999999999999';
const CONSUMERS = Array.from({ length: 12 }, (_, index) => `cccccccc-0000-4000-8000-${String(index).padStart(12, '0')}`);
const CLASSES = ['VCPU', 'MEMORY_MB', 'DISK_GB', 'CUSTOM_GPU'];

function inventory(total: number, stepSize: number, maxUnit: number, allocationRatio: number): Inventory {
  return { total, reserved: 0, minUnit: 1, maxUnit, stepSize, allocationRatio };
}

/** Four providers with varied inventories (one without DISK_GB, one with steps of 2), and a custom class. */
function initialState(): State {
  let state = emptyState();
  const run = (command: Command): void => {
    const outcome = applyCommand(state, command);
    if (outcome.kind === 'error') throw new Error(outcome.error.message);
    state = outcome.state;
  };
  run({ kind: 'createResourceClass', name: 'CUSTOM_GPU' });
  PROVIDERS.forEach((uuid, index) => {
    run({ kind: 'createProvider', uuid, name: `provider-${index}`, parentUuid: null });
    const inventories: (readonly [string, Inventory])[] = [
      ['VCPU', inventory(8, index === 1 ? 2 : 1, 8, 1.5)],
      ['MEMORY_MB', inventory(12, 1, 6, 1)],
    ];
    if (index !== 2) inventories.push(['DISK_GB', inventory(10, 1, 10, 1)]);
    if (index === 3) inventories.push(['CUSTOM_GPU', inventory(2, 1, 2, 1)]);
    run({ kind: 'setInventories', providerUuid: uuid, generation: 0, inventories, capacityRule: 'nonNegative' });
  });
  return state;
}

const amount = fc.integer({ min: 0, max: 7 });
const resourceClass = fc.oneof({ weight: 12, arbitrary: fc.constantFrom(...CLASSES) }, { weight: 1, arbitrary: fc.constant('CUSTOM_NOPE') });
const providerUuid = fc.oneof({ weight: 15, arbitrary: fc.constantFrom(...PROVIDERS) }, { weight: 1, arbitrary: fc.constant(MISSING_PROVIDER) });

const consumerWrite: fc.Arbitrary<ConsumerWrite> = fc.record({
  uuid: fc.constantFrom(...CONSUMERS),
  projectId: fc.constantFrom('project-a', 'project-b'),
  userId: fc.constant('user'),
  generation: fc.option(fc.integer({ min: 0, max: 3 }), { nil: null }),
  consumerType: fc.option(fc.constantFrom('INSTANCE', 'MIGRATION'), { nil: null }),
  allocations: fc.oneof(
    { weight: 1, arbitrary: fc.constant([]) },
    {
      weight: 6,
      arbitrary: fc.array(fc.record({ providerUuid, resources: fc.array(fc.tuple(resourceClass, amount), { minLength: 1, maxLength: 3 }) }), {
        minLength: 1,
        maxLength: 3,
      }),
    },
  ),
});

type Step =
  | { readonly kind: 'write'; readonly form: 'put' | 'post'; readonly consumers: readonly ConsumerWrite[]; readonly checkGenerations: boolean }
  | { readonly kind: 'delete'; readonly consumerUuid: string }
  | { readonly kind: 'shrink'; readonly providerUuid: string; readonly total: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 10, arbitrary: fc.record({ kind: fc.constant('write' as const), form: fc.constant('put' as const), consumers: fc.array(consumerWrite, { minLength: 1, maxLength: 1 }), checkGenerations: fc.boolean() }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('write' as const), form: fc.constant('post' as const), consumers: fc.array(consumerWrite, { minLength: 1, maxLength: 3 }), checkGenerations: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), consumerUuid: fc.constantFrom(...CONSUMERS) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('shrink' as const), providerUuid: fc.constantFrom(...PROVIDERS), total: fc.integer({ min: 1, max: 8 }) }) },
);

/** Everything a caller could observe of an outcome, orders included. */
function observable(outcome: Outcome): unknown {
  if (outcome.kind === 'error') return outcome;
  const { state } = outcome;
  return {
    created: outcome.created,
    canonical: canonicalState(state, { includeCounters: true }),
    consumerOrder: [...state.consumers.keys()],
    usageOrders: [...state.providers.values()].map((provider) => [...provider.usages.keys()]),
  };
}

describe('writeAllocations and deleteAllocations', () => {
  it('agree with the reference implementation on every outcome', () => {
    const start = initialState();
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 60, size: 'max' }), (steps) => {
        let state = start;
        for (const current of steps) {
          if (current.kind === 'shrink') {
            const provider = state.providers.get(current.providerUuid);
            const outcome = applyCommand(state, {
              kind: 'updateInventory',
              providerUuid: current.providerUuid,
              resourceClass: 'VCPU',
              generation: provider?.generation ?? 0,
              inventory: inventory(current.total, 1, 8, 1),
              capacityRule: 'nonNegative',
            });
            if (outcome.kind === 'ok') state = outcome.state;
            continue;
          }
          const fast =
            current.kind === 'write'
              ? writeAllocations(state, current.form, current.consumers, current.checkGenerations)
              : deleteAllocations(state, current.consumerUuid);
          const reference =
            current.kind === 'write'
              ? referenceWriteAllocations(state, current.form, current.consumers, current.checkGenerations)
              : referenceDeleteAllocations(state, current.consumerUuid);
          expect(observable(fast)).toEqual(observable(reference));
          if (fast.kind === 'ok') state = fast.state;
        }
      }),
      { numRuns: 400 },
    );
  });
});
