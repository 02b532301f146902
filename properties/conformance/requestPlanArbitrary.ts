/**
 * fast-check arbitraries for planned requests. Weights favour what makes a
 * sequence interesting: allocation writes against providers that have
 * inventory near capacity, with fresh and stale generations, plus enough
 * reads to observe every effect. Invalid input (wrong shapes, bad names,
 * broken transport) is a steady minority.
 */
import fc from 'fast-check';
import type {
  Action,
  AllocationShape,
  ConsumerAllocationChoice,
  ConsumerGenerationChoice,
  Corruption,
  InventoryChoice,
  ProviderAllocationChoice,
  ProviderGenerationChoice,
  Reference,
  RequestPlan,
} from './action.ts';
import {
  AGGREGATE_UUIDS,
  ALLOCATION_PROVIDERS,
  CONSUMERS,
  CONSUMER_TYPES,
  CREATED_PROVIDER_UUIDS,
  MICROVERSIONS,
  ODD_VERSIONS,
  PATH_PROVIDERS,
  PROJECTS,
  PROVIDER_LIST_FILTERS,
  PROVIDER_NAMES,
  RESOURCE_CLASSES,
  RESOURCE_CLASS_NAMES,
  TRAITS,
  TRAIT_LIST_FILTERS,
  TRAIT_NAMES,
  USAGE_CONSUMER_TYPES,
  USERS,
} from './pools.ts';

/**
 * An index into a pool whose first `common` entries are the ordinary ones:
 * those come up nine times in ten, the odd ones (unknown, malformed,
 * case-variant) the rest of the time.
 */
function poolIndex(pool: readonly unknown[], common: number): fc.Arbitrary<number> {
  if (common >= pool.length) return fc.nat({ max: pool.length - 1 });
  return fc.oneof(
    { weight: 9, arbitrary: fc.nat({ max: common - 1 }) },
    { weight: 1, arbitrary: fc.integer({ min: common, max: pool.length - 1 }) },
  );
}

/**
 * `existingInFive` references in five name something the model holds; the
 * rest a pool entry that may not exist.
 */
function reference(pool: readonly unknown[], common: number, existingInFive: number): fc.Arbitrary<Reference> {
  return fc.oneof(
    { weight: existingInFive, arbitrary: fc.nat({ max: 7 }).map((existing): Reference => ({ existing })) },
    { weight: 5 - existingInFive, arbitrary: poolIndex(pool, common).map((index): Reference => ({ pool: index })) },
  );
}

const pathProvider = reference(PATH_PROVIDERS, 4, 3);
const allocationProvider = reference(ALLOCATION_PROVIDERS, 4, 4);
const consumer = reference(CONSUMERS, 4, 3);
const resourceClass = poolIndex(RESOURCE_CLASSES, 5);
/** For requests about a provider's inventory: usually one it has. */
const inventoryClass = reference(RESOURCE_CLASSES, 5, 4);

const providerGeneration: fc.Arbitrary<ProviderGenerationChoice> = fc.oneof(
  { weight: 8, arbitrary: fc.constant('current' as const) },
  { weight: 2, arbitrary: fc.constantFrom('behind' as const, 'ahead' as const, 'missing' as const) },
);

const consumerGeneration: fc.Arbitrary<ConsumerGenerationChoice> = fc.oneof(
  { weight: 8, arbitrary: fc.constant('current' as const) },
  { weight: 2, arbitrary: fc.constantFrom('null' as const, 'behind' as const, 'ahead' as const, 'missing' as const) },
);

/** Every microversion is covered; 1.39 and the gated thresholds come up more often. */
export const versionArbitrary: fc.Arbitrary<string | null> = fc.oneof(
  { weight: 4, arbitrary: fc.constant('1.39') },
  { weight: 10, arbitrary: fc.constantFrom(...MICROVERSIONS) },
  { weight: 3, arbitrary: fc.constantFrom('1.12', '1.20', '1.26', '1.28', '1.34', '1.38') },
  { weight: 1, arbitrary: fc.constantFrom<string | null>(null, ...ODD_VERSIONS) },
);

const corruptionArbitrary: fc.Arbitrary<Corruption> = fc.oneof(
  { weight: 30, arbitrary: fc.constant('none' as const) },
  {
    weight: 2,
    arbitrary: fc.constantFrom<Corruption>(
      'malformedJson',
      'textPlain',
      'noContentType',
      'emptyBody',
      'notAnObject',
      'extraProperty',
      'noToken',
      'notAdmin',
      'acceptHtml',
    ),
  },
);

/** Small totals so that a few allocations reach capacity; rarely a schema-invalid value. */
const smallCount = fc.oneof({ weight: 12, arbitrary: fc.integer({ min: 1, max: 8 }) }, { weight: 1, arbitrary: fc.constantFrom(0, -1, 2147483648) });
const optionalSmall = (max: number): fc.Arbitrary<number | null> =>
  fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 2, arbitrary: fc.integer({ min: 0, max }) });

export const inventoryArbitrary: fc.Arbitrary<InventoryChoice> = fc.record({
  total: fc.oneof({ weight: 20, arbitrary: smallCount }, { weight: 1, arbitrary: fc.constant(null) }),
  reserved: optionalSmall(4),
  minUnit: fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 3 }) }),
  maxUnit: fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 8 }) }),
  stepSize: fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 3 }) }),
  allocationRatio: fc.oneof(
    { weight: 16, arbitrary: fc.constant(null) },
    { weight: 8, arbitrary: fc.constantFrom(1.0, 1.5, 2.0, 0.5, 16.0) },
    { weight: 4, arbitrary: fc.constantFrom(0.0, -1.0, 0.7) },
    // Python's json reads these literals; the schema's maximum stops only +Infinity. Rare:
    // NaN and -Infinity crash the service, which ends the sequence (a named finding).
    { weight: 1, arbitrary: fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY) },
  ),
});

const amount = fc.oneof({ weight: 15, arbitrary: fc.integer({ min: 1, max: 9 }) }, { weight: 1, arbitrary: fc.constantFrom(0, -1) });

const providerAllocation: fc.Arbitrary<ProviderAllocationChoice> = fc.record({
  provider: allocationProvider,
  resources: fc.array(fc.tuple(inventoryClass, amount), { minLength: 1, maxLength: 2 }),
  generation: fc.oneof({ weight: 5, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 999 }) }),
});

const consumerAllocation: fc.Arbitrary<ConsumerAllocationChoice> = fc.record({
  consumer,
  // One in six writes clears the consumer.
  allocations: fc.oneof({ weight: 5, arbitrary: fc.array(providerAllocation, { minLength: 1, maxLength: 2 }) }, { weight: 1, arbitrary: fc.constant([]) }),
  consumerGeneration,
  project: poolIndex(PROJECTS, 2),
  user: fc.nat({ max: USERS.length - 1 }),
  consumerType: poolIndex(CONSUMER_TYPES, 2),
});

const allocationShape: fc.Arbitrary<AllocationShape> = fc.oneof(
  { weight: 20, arbitrary: fc.constant('asVersion' as const) },
  { weight: 1, arbitrary: fc.constantFrom<AllocationShape>('listForm', 'dictForm', 'noProjectUser', 'withMappings') },
);

const optionalIndex = (pool: readonly unknown[]): fc.Arbitrary<number | null> =>
  fc.oneof({ weight: 1, arbitrary: fc.constant(null) }, { weight: 3, arbitrary: fc.nat({ max: pool.length - 1 }) });

type Weighted = { readonly weight: number; readonly arbitrary: fc.Arbitrary<Action> };

/** Every action kind with its weight; reads are cheap and show the state, writes change it. */
const weightedActions: readonly Weighted[] = [
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('createProvider' as const),
      uuid: poolIndex(CREATED_PROVIDER_UUIDS, 4),
      name: poolIndex(PROVIDER_NAMES, 4),
      parent: fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.nat({ max: 4 }) }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('updateProvider' as const),
      provider: pathProvider,
      name: poolIndex(PROVIDER_NAMES, 4),
      parent: fc.oneof(
        { weight: 3, arbitrary: fc.constant('keep' as const) },
        { weight: 1, arbitrary: fc.constant('none' as const) },
        { weight: 2, arbitrary: fc.nat({ max: 4 }) },
      ),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('deleteProvider' as const), provider: pathProvider }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('showProvider' as const), provider: pathProvider }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('listProviders' as const),
      filters: fc.array(fc.nat({ max: PROVIDER_LIST_FILTERS.length - 1 }), { maxLength: 2 }),
    }),
  },
  {
    weight: 6,
    arbitrary: fc.record({ kind: fc.constant('createInventory' as const), provider: pathProvider, resourceClass, inventory: inventoryArbitrary }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('setInventories' as const),
      provider: pathProvider,
      generation: providerGeneration,
      inventories: fc.array(fc.tuple(resourceClass, inventoryArbitrary), { maxLength: 3 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('updateInventory' as const),
      provider: pathProvider,
      resourceClass: inventoryClass,
      generation: providerGeneration,
      inventory: inventoryArbitrary,
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('deleteInventory' as const), provider: pathProvider, resourceClass: inventoryClass }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('deleteInventories' as const), provider: pathProvider }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('showInventory' as const), provider: pathProvider, resourceClass: inventoryClass }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('listInventories' as const), provider: pathProvider }) },
  { weight: 16, arbitrary: fc.record({ kind: fc.constant('putAllocations' as const), write: consumerAllocation, shape: allocationShape }) },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('postAllocations' as const),
      writes: fc.array(consumerAllocation, { minLength: 1, maxLength: 3 }),
      shape: allocationShape,
    }),
  },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('deleteAllocations' as const), consumer }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('showConsumerAllocations' as const), consumer }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('showProviderAllocations' as const), provider: pathProvider }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('showProviderUsages' as const), provider: pathProvider }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('totalUsages' as const),
      project: fc.oneof({ weight: 8, arbitrary: fc.nat({ max: PROJECTS.length - 1 }) }, { weight: 1, arbitrary: fc.constant(null) }),
      user: optionalIndex(USERS),
      consumerType: optionalIndex(USAGE_CONSUMER_TYPES),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('putTrait' as const), trait: poolIndex(TRAIT_NAMES, 2) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('showTrait' as const), trait: fc.nat({ max: TRAIT_NAMES.length - 1 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('deleteTrait' as const), trait: poolIndex(TRAIT_NAMES, 2) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('listTraits' as const), filter: fc.nat({ max: TRAIT_LIST_FILTERS.length - 1 }) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('setProviderTraits' as const),
      provider: pathProvider,
      generation: providerGeneration,
      traits: fc.array(poolIndex(TRAITS, 4), { maxLength: 3 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('deleteProviderTraits' as const), provider: pathProvider }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('listProviderTraits' as const), provider: pathProvider }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('setAggregates' as const),
      provider: pathProvider,
      generation: providerGeneration,
      aggregates: fc.array(poolIndex(AGGREGATE_UUIDS, 3), { maxLength: 3 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('listAggregates' as const), provider: pathProvider }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('createResourceClass' as const), name: poolIndex(RESOURCE_CLASS_NAMES, 2) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('putResourceClass' as const),
      name: poolIndex(RESOURCE_CLASS_NAMES, 2),
      newName: fc.nat({ max: RESOURCE_CLASS_NAMES.length - 1 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('deleteResourceClass' as const), name: poolIndex(RESOURCE_CLASS_NAMES, 2) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('showResourceClass' as const), name: fc.nat({ max: RESOURCE_CLASS_NAMES.length - 1 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'listResourceClasses' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'showRoot' as const }) },
];

export const actionArbitrary: fc.Arbitrary<Action> = fc.oneof(...weightedActions);

export const requestPlanArbitrary: fc.Arbitrary<RequestPlan> = fc.record({
  action: actionArbitrary,
  version: versionArbitrary,
  corruption: corruptionArbitrary,
});

/** Inventories that pass validation, for the setup. */
const validInventoryArbitrary: fc.Arbitrary<InventoryChoice> = fc.record({
  total: fc.integer({ min: 1, max: 8 }),
  reserved: fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 1 }) }),
  minUnit: fc.constant(null),
  maxUnit: fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.integer({ min: 2, max: 8 }) }),
  stepSize: fc.constant(null),
  allocationRatio: fc.constantFrom(null, 1.0, 1.5, 2.0),
});

const plan = (action: Action): RequestPlan => ({ action, version: '1.39', corruption: 'none' });

/**
 * Requests that build something to work on, sent well-formed at 1.39: the
 * custom classes, then providers (pool entries in order) each with a few
 * inventories. Shrinking removes whatever a mismatch does not need.
 */
export const setupArbitrary: fc.Arbitrary<readonly RequestPlan[]> = fc
  .record({
    customClasses: fc.subarray([0, 1]),
    providers: fc.array(fc.array(fc.tuple(fc.nat({ max: 4 }), validInventoryArbitrary), { maxLength: 3 }), { minLength: 1, maxLength: 4, size: 'max' }),
  })
  .map(({ customClasses, providers }) => [
    ...customClasses.map((name) => plan({ kind: 'putResourceClass', name, newName: name })),
    ...providers.flatMap((inventories, index) => [
      plan({ kind: 'createProvider', uuid: index, name: index, parent: null }),
      ...(inventories.length === 0 ? [] : [plan({ kind: 'setInventories', provider: { pool: index }, generation: 'current', inventories })]),
    ]),
  ]);
