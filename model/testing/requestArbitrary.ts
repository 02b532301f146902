/**
 * fast-check arbitraries for Placement requests: valid and invalid, over
 * the microversions where rules change. They produce `RequestSpec`s (data);
 * `renderRequest` turns a spec into HTTP against the target's current
 * generations, so a sequence can be replayed on the model or a real service.
 *
 * Weights favour allocation and inventory writes with the current
 * generation, because those are where the interesting rules live; every
 * other kind still appears in most sequences of 30 requests.
 */
import fc from 'fast-check';
import {
  AGGREGATE_INDEXES,
  CONSUMER_INDEXES,
  CREATABLE_RESOURCE_CLASSES,
  MICROVERSIONS,
  PROVIDER_INDEXES,
  RESOURCE_CLASSES,
  TRAITS,
  type ConsumerWriteSpec,
  type Defect,
  type GenerationChoice,
  type InventorySpec,
  type MicroversionText,
  type ProviderAllocationSpec,
  type ReadTarget,
  type RequestSpec,
  type ResourceClassName,
  type WriteSpec,
} from './requestSpec.ts';

const MAX_INT = 2147483647;

const provider = fc.constantFrom(...PROVIDER_INDEXES);
const consumer = fc.constantFrom(...CONSUMER_INDEXES);
const resourceClass = fc.constantFrom(...RESOURCE_CLASSES);
const STANDARD_CLASSES = RESOURCE_CLASSES.filter((name) => !name.startsWith('CUSTOM_'));
/** Mostly classes that exist, so most writes get past the name checks. */
const usualResourceClass = fc.oneof({ arbitrary: fc.constantFrom(...STANDARD_CLASSES), weight: 12 }, { arbitrary: resourceClass, weight: 1 });

/** Mostly recent versions, where allocation writes carry generations and types. */
export const microversionArbitrary: fc.Arbitrary<MicroversionText> = fc.oneof(
  { arbitrary: fc.constantFrom(...MICROVERSIONS), weight: 2 },
  { arbitrary: fc.constantFrom<MicroversionText>('1.28', '1.37', '1.38', '1.39'), weight: 3 },
);

export const generationArbitrary: fc.Arbitrary<GenerationChoice> = fc.oneof(
  { arbitrary: fc.constant<GenerationChoice>({ kind: 'current' }), weight: 6 },
  { arbitrary: fc.option(fc.integer({ min: 0, max: 4 }), { nil: null }).map((value): GenerationChoice => ({ kind: 'literal', value })), weight: 1 },
);

/** Small totals so that capacity is reached often; ratios below and above 1. */
function inventoryOf(className: fc.Arbitrary<ResourceClassName>, total: fc.Arbitrary<number>): fc.Arbitrary<InventorySpec> {
  return fc.record({
  resourceClass: className,
  total,
  reserved: fc.oneof({ arbitrary: fc.constant(0), weight: 3 }, { arbitrary: fc.integer({ min: 1, max: 4 }), weight: 1 }),
  minUnit: fc.oneof({ arbitrary: fc.constant(1), weight: 4 }, { arbitrary: fc.integer({ min: 2, max: 3 }), weight: 1 }),
  maxUnit: fc.oneof({ arbitrary: fc.constant(MAX_INT), weight: 3 }, { arbitrary: fc.integer({ min: 1, max: 6 }), weight: 1 }),
  stepSize: fc.oneof({ arbitrary: fc.constant(1), weight: 4 }, { arbitrary: fc.constant(2), weight: 1 }),
  allocationRatio: fc.constantFrom(1, 1, 1, 1.5, 0.5, 2, 0.7),
  });
}

const usualTotal = fc.oneof({ arbitrary: fc.integer({ min: 1, max: 4 }), weight: 2 }, { arbitrary: fc.integer({ min: 5, max: 12 }), weight: 1 });

export const inventoryArbitrary: fc.Arbitrary<InventorySpec> = inventoryOf(usualResourceClass, usualTotal);

/** Updates of one class favour small totals, which may leave a provider over capacity (allowed). */
const shrinkingInventory: fc.Arbitrary<InventorySpec> = inventoryOf(usualResourceClass, fc.integer({ min: 1, max: 3 }));

/** Amounts are mostly valid (1..4); 0 and 1.5 exercise the schema. */
const amount = fc.oneof({ arbitrary: fc.integer({ min: 1, max: 3 }), weight: 16 }, { arbitrary: fc.constantFrom(0, 9, 1.5), weight: 1 });

const providerAllocation: fc.Arbitrary<ProviderAllocationSpec> = fc.record({
  provider: fc.oneof({ arbitrary: provider, weight: 24 }, { arbitrary: fc.constant(9), weight: 1 }),
  resources: fc.uniqueArray(fc.tuple(usualResourceClass, amount), { minLength: 1, maxLength: 2, selector: ([name]) => name }),
});

export const consumerWriteArbitrary: fc.Arbitrary<ConsumerWriteSpec> = fc.record({
  consumer,
  allocations: fc.oneof(
    { arbitrary: fc.uniqueArray(providerAllocation, { minLength: 1, maxLength: 2, selector: (allocation) => allocation.provider }), weight: 6 },
    { arbitrary: fc.constant([]), weight: 2 },
  ),
  generation: generationArbitrary,
  projectId: fc.constantFrom('p', 'q'),
  userId: fc.constantFrom('u', 'v'),
  consumerType: fc.constantFrom('INSTANCE', 'MIGRATION'),
});

const providerName = fc.constantFrom('rp1', 'rp2', 'rp3', 'shared');

export const writeArbitrary: fc.Arbitrary<WriteSpec> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('createProvider' as const), provider, name: providerName, parent: fc.option(provider, { nil: null, freq: 3 }) }), weight: 6 },
  {
    arbitrary: fc.record({
      kind: fc.constant('updateProvider' as const),
      provider,
      name: providerName,
      parent: fc.oneof(fc.constant('absent' as const), fc.constant(null), provider),
    }),
    weight: 1,
  },
  { arbitrary: fc.record({ kind: fc.constant('deleteProvider' as const), provider }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('createInventory' as const), provider, inventory: inventoryArbitrary }), weight: 2 },
  {
    arbitrary: fc.record({
      kind: fc.constant('setInventories' as const),
      provider,
      generation: generationArbitrary,
      inventories: fc.uniqueArray(inventoryArbitrary, { maxLength: 3, selector: (inventory) => inventory.resourceClass }),
    }),
    weight: 5,
  },
  { arbitrary: fc.record({ kind: fc.constant('updateInventory' as const), provider, generation: generationArbitrary, inventory: shrinkingInventory }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constant('deleteInventory' as const), provider, resourceClass: usualResourceClass }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('deleteInventories' as const), provider }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('putAllocations' as const), write: consumerWriteArbitrary }), weight: 12 },
  {
    arbitrary: fc.record({
      kind: fc.constant('postAllocations' as const),
      writes: fc.uniqueArray(consumerWriteArbitrary, { minLength: 1, maxLength: 3, selector: (write) => write.consumer }),
    }),
    weight: 6,
  },
  { arbitrary: fc.record({ kind: fc.constant('deleteAllocations' as const), consumer }), weight: 3 },
  {
    arbitrary: fc.record({
      kind: fc.constant('setProviderTraits' as const),
      provider,
      generation: generationArbitrary,
      traits: fc.array(fc.constantFrom(...TRAITS), { maxLength: 3 }),
    }),
    weight: 2,
  },
  { arbitrary: fc.record({ kind: fc.constant('deleteProviderTraits' as const), provider }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('putTrait' as const), name: fc.constantFrom('CUSTOM_T', 'CUSTOM_U', 'bad') }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('deleteTrait' as const), name: fc.constantFrom(...TRAITS) }), weight: 1 },
  {
    arbitrary: fc.record({
      kind: fc.constant('setAggregates' as const),
      provider,
      generation: generationArbitrary,
      aggregates: fc.uniqueArray(fc.constantFrom(...AGGREGATE_INDEXES), { maxLength: 2 }),
    }),
    weight: 1,
  },
  { arbitrary: fc.record({ kind: fc.constant('putResourceClass' as const), name: fc.constantFrom(...CREATABLE_RESOURCE_CLASSES) }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('deleteResourceClass' as const), name: fc.constantFrom(...CREATABLE_RESOURCE_CLASSES, 'VCPU') }), weight: 1 },
);

export const readTargetArbitrary: fc.Arbitrary<ReadTarget> = fc.oneof(
  fc.record({ kind: fc.constant('provider' as const), provider }),
  fc.constant({ kind: 'providers' as const }),
  fc.record({ kind: fc.constant('inventories' as const), provider }),
  fc.record({ kind: fc.constant('providerUsages' as const), provider }),
  fc.record({ kind: fc.constant('providerAllocations' as const), provider }),
  fc.record({ kind: fc.constant('consumerAllocations' as const), consumer }),
  fc.record({
    kind: fc.constant('totalUsages' as const),
    projectId: fc.constantFrom('p', 'q'),
    consumerType: fc.constantFrom(null, 'all', 'unknown', 'INSTANCE'),
  }),
  fc.constant({ kind: 'traits' as const }),
  fc.constant({ kind: 'resourceClasses' as const }),
);

const defect = fc.constantFrom<Defect>('truncatedJson', 'noContentType', 'wrongContentType', 'noToken', 'unacceptableVersion', 'malformedVersion');

export const requestArbitrary: fc.Arbitrary<RequestSpec> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('write' as const), microversion: microversionArbitrary, write: writeArbitrary }), weight: 16 },
  { arbitrary: fc.record({ kind: fc.constant('read' as const), microversion: microversionArbitrary, target: readTargetArbitrary }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('defective' as const), microversion: microversionArbitrary, write: writeArbitrary, defect }), weight: 1 },
);

/**
 * A sequence that starts by creating the three providers with inventory of
 * standard classes, so allocation writes have something to land on; the
 * rest is free (and may delete, re-create or re-inventory them).
 */
export function requestSequenceArbitrary(lengthMax = 40): fc.Arbitrary<readonly RequestSpec[]> {
  const standardInventories = fc.uniqueArray(inventoryOf(fc.constantFrom(...STANDARD_CLASSES), usualTotal), {
    minLength: 1,
    maxLength: 3,
    selector: (inventory) => inventory.resourceClass,
  });
  const setUp = fc.tuple(...PROVIDER_INDEXES.map(() => standardInventories));
  return fc.tuple(setUp, fc.array(requestArbitrary, { minLength: 1, maxLength: lengthMax, size: 'max' })).map(([inventories, rest]) => [
    ...PROVIDER_INDEXES.flatMap((index, position): RequestSpec[] => [
      { kind: 'write', microversion: '1.39', write: { kind: 'createProvider', provider: index, name: `rp${index}`, parent: null } },
      {
        kind: 'write',
        microversion: '1.39',
        write: { kind: 'setInventories', provider: index, generation: { kind: 'current' }, inventories: inventories[position] ?? [] },
      },
    ]),
    ...rest,
  ]);
}
