/**
 * The small, fixed pools every generated request draws its names from.
 *
 * Pools are small on purpose: with four providers and four consumers,
 * random requests keep hitting the same objects, so generations go stale,
 * capacity runs out and deletes find something to delete. Each pool also
 * holds a few values that must fail (an unknown provider, a malformed uuid,
 * a lower-case class name) and a few that differ from another only by case,
 * which databases with case-insensitive collations compare as equal.
 *
 * Generated actions refer to pool entries by index, so that shrinking moves
 * towards the first, most ordinary entry.
 */

/** Providers the generator may create; every provider is created with an explicit uuid. */
export const PROVIDER_UUIDS = [
  'a0000000-0000-4000-8000-000000000001',
  'a0000000-0000-4000-8000-000000000002',
  'a0000000-0000-4000-8000-000000000003',
  'a0000000-0000-4000-8000-000000000004',
] as const;

/** Never created: every request naming it must fail. */
export const UNKNOWN_PROVIDER_UUID = 'a0000000-0000-4000-8000-0000000000ff';

/** Upper-case spelling of the first provider: POST normalises it, lookups do not. */
export const UPPER_CASE_PROVIDER_UUID = PROVIDER_UUIDS[0].toUpperCase();

/** Providers named in paths: created ones, the unknown one, a malformed one. */
export const PATH_PROVIDERS: readonly string[] = [...PROVIDER_UUIDS, UNKNOWN_PROVIDER_UUID, 'not-a-uuid'];

/** Providers named in allocation bodies. */
export const ALLOCATION_PROVIDERS: readonly string[] = [...PROVIDER_UUIDS, UNKNOWN_PROVIDER_UUID, UPPER_CASE_PROVIDER_UUID];

/** uuids given to POST /resource_providers: the pool, an upper-case duplicate, a malformed one. */
export const CREATED_PROVIDER_UUIDS: readonly string[] = [...PROVIDER_UUIDS, UPPER_CASE_PROVIDER_UUID, 'not-a-uuid'];

/**
 * Provider names; `RP-A` differs from `rp-a` only by case; the empty name is
 * invalid; the last carries quotes and SQL, which must be stored and
 * returned as data (a review claimed SQL injection).
 */
export const PROVIDER_NAMES: readonly string[] = ['rp-a', 'rp-b', 'rp-c', 'rp-d', 'RP-A', '', "rp'; DROP TABLE resource_providers; --"];

export const CONSUMER_UUIDS = [
  'c0000000-0000-4000-8000-000000000001',
  'c0000000-0000-4000-8000-000000000002',
  'c0000000-0000-4000-8000-000000000003',
  'c0000000-0000-4000-8000-000000000004',
] as const;

/**
 * Consumers as requests name them: the pool, then the first one in upper
 * case (PUT normalises it, POST keys and GET/DELETE paths do not), without
 * dashes, and a malformed one.
 */
export const CONSUMERS: readonly string[] = [
  ...CONSUMER_UUIDS,
  CONSUMER_UUIDS[0].toUpperCase(),
  CONSUMER_UUIDS[1].replace(/-/g, ''),
  'not-a-uuid',
];

/** Classes for inventories and allocations: standard, custom, never created, invalid. */
export const RESOURCE_CLASSES: readonly string[] = ['VCPU', 'MEMORY_MB', 'DISK_GB', 'CUSTOM_GOLD', 'CUSTOM_SILVER', 'CUSTOM_NOPE', 'cows'];

/** Classes for resource class CRUD; CUSTOM_NOPE is left out so that it stays unknown. */
export const RESOURCE_CLASS_NAMES: readonly string[] = ['CUSTOM_GOLD', 'CUSTOM_SILVER', 'VCPU', 'CUSTOM_gold', 'cows'];

/** Traits for providers: standard, custom, never created, invalid. */
export const TRAITS: readonly string[] = ['HW_CPU_X86_AVX', 'STORAGE_DISK_SSD', 'CUSTOM_FAST', 'CUSTOM_SLOW', 'CUSTOM_UNKNOWN', 'bad'];

/** Traits for trait CRUD. */
export const TRAIT_NAMES: readonly string[] = ['CUSTOM_FAST', 'CUSTOM_SLOW', 'HW_CPU_X86_AVX', 'CUSTOM_lower', 'bad-name'];

export const AGGREGATE_UUIDS: readonly string[] = [
  'b0000000-0000-4000-8000-000000000001',
  'b0000000-0000-4000-8000-000000000002',
  'b0000000-0000-4000-8000-000000000003',
  'not-a-uuid',
];

/** Project and user ids; `PROJ-A` differs from `proj-a` only by case. */
export const PROJECTS: readonly string[] = ['proj-a', 'proj-b', 'PROJ-A', "proj'); DELETE FROM consumers; --"];
export const USERS: readonly string[] = ['user-a', 'user-b'];

export const CONSUMER_TYPES: readonly string[] = ['INSTANCE', 'MIGRATION', 'bad-type'];

/** The `consumer_type` filter of GET /usages (1.38+). */
export const USAGE_CONSUMER_TYPES: readonly string[] = ['all', 'unknown', 'INSTANCE', 'MIGRATION', 'ALL'];

/** Every microversion Placement 8.0.0 serves. */
export const MICROVERSIONS: readonly string[] = Array.from({ length: 40 }, (_unused, minor) => `1.${minor}`);

/** Version headers that must be refused (406 or 400), and `latest`. */
export const ODD_VERSIONS: readonly string[] = ['latest', '1.40', '2.0', 'cows', '1', '1.', '1.2.3', '-1.5', '1.05'];

/** Query strings of GET /resource_providers; a request combines up to two. */
export const PROVIDER_LIST_FILTERS: readonly string[] = [
  'name=rp-a',
  `uuid=${PROVIDER_UUIDS[0]}`,
  `member_of=${AGGREGATE_UUIDS[0]}`,
  `member_of=in:${AGGREGATE_UUIDS[0]},${AGGREGATE_UUIDS[1]}`,
  `member_of=!${AGGREGATE_UUIDS[0]}`,
  'member_of=not-a-uuid',
  'required=CUSTOM_FAST',
  'required=!CUSTOM_FAST',
  'required=in:CUSTOM_FAST,HW_CPU_X86_AVX',
  'required=CUSTOM_UNKNOWN',
  'resources=VCPU:1',
  'resources=VCPU:2,DISK_GB:1',
  'resources=CUSTOM_NOPE:1',
  'resources=VCPU:0',
  `in_tree=${PROVIDER_UUIDS[0]}`,
  'bogus=1',
];

/** Query strings of GET /traits. */
export const TRAIT_LIST_FILTERS: readonly string[] = [
  '',
  'name=in:CUSTOM_FAST,HW_CPU_X86_AVX',
  'name=startswith:CUSTOM',
  'associated=true',
  'associated=false',
  'name=CUSTOM_FAST',
];
