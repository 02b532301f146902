/**
 * What part of Placement's data a request can read or write: its footprint.
 *
 * Partitioning rests on this being an over-approximation. A request's
 * response and effect may depend only on the entities its footprint names,
 * plus entities linked to those through the data (a consumer's allocations
 * name providers; a provider names its parent and root). Links made by the
 * data are covered because every link is either in the initial state
 * (`initialStateLinks`) or written by a request whose footprint names both
 * ends. When in doubt, a request is `global`: it joins everything.
 *
 * Identities are normalised more coarsely than the model does (any uuid-like
 * string becomes its canonical form), which can only merge more.
 * Standard resource classes and standard traits are not entities here: they
 * always exist and can be neither created nor deleted, so no request's
 * response depends on anything that happens to them.
 */
import { parseRequestBody } from '../../model/api/context.ts';
import type { HttpRequest, State } from '../../model/index.ts';
import { STANDARD_TRAITS } from '../../model/data/standardTraits.ts';
import { splitTarget } from '../../model/handle.ts';
import { PythonFloat, type PythonValue } from '../../model/pythonRepr.ts';
import { RequestFact } from '../../model/sharedRequest.ts';
import { isStandardResourceClass } from '../../model/resourceClasses.ts';
import { isLowerCaseCanonicalUuid, isUuidLike, normalizeUuid } from '../../model/uuid.ts';

export type EntityKind = 'provider' | 'consumer' | 'providerName' | 'resourceClass' | 'trait';

export interface FootprintKey {
  readonly kind: EntityKind;
  /** The normalised identity that decides which keys are the same entity. */
  readonly identity: string;
  /** The string as the request wrote it, which the model may store as is. */
  readonly spelling: string;
}

export type Footprint =
  | { readonly kind: 'entities'; readonly keys: readonly FootprintKey[] }
  /** Reads or writes something no key names (a listing, a total, an invented uuid). */
  | { readonly kind: 'global'; readonly reason: string };

/**
 * `splitTarget(target).path`, without its memo for the usual target: one
 * with no query and nothing to decode (no `%`, no `+`) is its own path. The
 * checker reads the path of every operation, and a memo look-up hashes the
 * whole target first.
 */
export function targetPath(target: string): string {
  // Three searches for one character each, which the engine runs natively, rather than a loop in script.
  return target.includes('?') || target.includes('%') || target.includes('+') ? splitTarget(target).path : target;
}

/** The key's text for grouping: kind and identity. */
export function footprintKeyText(key: FootprintKey): string {
  return `${key.kind}:${key.identity}`;
}

const STANDARD_TRAIT_SET: ReadonlySet<string> = new Set(STANDARD_TRAITS);
const SLASH = 0x2f;
/** Segments a footprint reads: root, identifier, collection, item. */
const SEGMENTS_READ = 4;

/**
 * Computed once per check (`checkLinearizability.ts` hands it to both
 * partitioning and the search), and once for all runs for a request made
 * once and sent in every run (`SharedRequest`): a footprint is a function
 * of the request alone, and only read.
 */
export function operationFootprint(request: HttpRequest): Footprint {
  return FOOTPRINT.of(request);
}

const FOOTPRINT = new RequestFact(footprintUncached);

function footprintUncached(request: HttpRequest): Footprint {
  const { length, root, first, collection, item } = pathShape(request.path);
  const body = parseBody(request);
  if (length === 0 || (length === 1 && root === '')) return entities([]);
  switch (root) {
    case 'resource_providers':
      return providerFootprint(request.method, length, first, collection, item, body);
    case 'allocations':
      if (length === 1) return postAllocationsFootprint(body);
      if (length === 2 && first !== undefined) {
        const keys = [consumer(first)];
        addAllocationKeys(keys, field(body, 'allocations'));
        return entities(keys);
      }
      return global('unrecognised path');
    case 'resource_classes':
      if (length === 1) {
        return request.method === 'GET' ? global('lists every resource class') : entities(resourceClassKeys([field(body, 'name')]));
      }
      if (length === 2 && first !== undefined) return entities(resourceClassKeys([first, field(body, 'name')]));
      return global('unrecognised path');
    case 'traits':
      if (length === 1) return global('lists every trait');
      if (length === 2 && first !== undefined) return entities(traitKeys([first]));
      return global('unrecognised path');
    case 'usages':
      return global('sums usages over every consumer');
    default:
      return global('unrecognised path');
  }
}

/** What a footprint reads of a target's path: how many segments it has, and its first four. */
interface PathShape {
  readonly length: number;
  /** Root, identifier, collection, item. */
  readonly root: string | undefined;
  readonly first: string | undefined;
  readonly collection: string | undefined;
  readonly item: string | undefined;
}

/**
 * The shape of a target's path, kept per target: a run's requests name its
 * few paths over and over (the client makes each path's text once, so a
 * look-up finds it by reference), and the kept segments are the same texts
 * every time, which the uuid memo then finds by reference too. A memo of a
 * pure function, wiped when full: a few runs' paths.
 */
function pathShape(target: string): PathShape {
  let known = pathShapes.get(target);
  if (known === undefined) {
    known = pathShapeUncached(targetPath(target));
    if (pathShapes.size >= PATH_SHAPES_MAX) pathShapes.clear();
    pathShapes.set(target, known);
  }
  return known;
}

const pathShapes = new Map<string, PathShape>();
const PATH_SHAPES_MAX = 64;

function pathShapeUncached(path: string): PathShape {
  // The segments of `path.split('/')`, read in place: its length and its first four segments. A leading
  // slash makes an empty first segment, which is not part of the path's name, so the segments are
  // counted from the one after it (an empty path is that empty segment alone).
  const start = path.length === 0 || path.charCodeAt(0) === SLASH ? 1 : 0;
  let length = 0;
  let root: string | undefined;
  let first: string | undefined;
  let collection: string | undefined;
  let item: string | undefined;
  if (path.length > 0) {
    for (let from = start; ; ) {
      const slash = path.indexOf('/', from);
      if (length < SEGMENTS_READ) {
        const segment = path.slice(from, slash < 0 ? path.length : slash);
        if (length === 0) root = segment;
        else if (length === 1) first = segment;
        else if (length === 2) collection = segment;
        else item = segment;
      }
      length += 1;
      if (slash < 0) break;
      from = slash + 1;
    }
  }
  return { length, root, first, collection, item };
}

function providerFootprint(
  method: string,
  length: number,
  uuid: string | undefined,
  collection: string | undefined,
  item: string | undefined,
  body: PythonValue | undefined,
): Footprint {
  if (length === 1) {
    if (method !== 'POST') return global('lists providers');
    const given = field(body, 'uuid');
    // Without a uuid the service invents one, from a counter in the model.
    if (typeof given !== 'string' || given === '') return global('creates a provider with an invented uuid');
    return entities(withNameAndParent(provider(given), body));
  }
  if (uuid === undefined) return global('unrecognised path');
  const self = provider(uuid);
  if (length === 2) return entities(withNameAndParent(self, body));
  switch (collection) {
    case 'inventories':
      // `[self, ...resourceClassKeys([...Object.keys(inventories), resource_class])]` (or `[item]`), pushed
      // one by one: every inventory read and write comes here.
      if (length === 3) {
        const keys = [self];
        const inventories = field(body, 'inventories');
        if (isRecord(inventories)) for (const name in inventories) if (hasOwn(inventories, name)) addResourceClassKey(keys, name);
        addResourceClassKey(keys, field(body, 'resource_class'));
        return entities(keys);
      }
      if (length === 4 && item !== undefined) {
        const keys = [self];
        addResourceClassKey(keys, item);
        return entities(keys);
      }
      return global('unrecognised path');
    case 'traits':
      if (length !== 3) return global('unrecognised path');
      return entities([self, ...traitKeys(arrayOf(field(body, 'traits')))]);
    case 'usages':
    case 'aggregates':
    case 'allocations':
      // Aggregates are plain labels: only listings by aggregate (global) relate providers through them.
      return length === 3 ? entities([self]) : global('unrecognised path');
    default:
      return global('unrecognised path');
  }
}

/** `[self, ...providerNameKeys(name), ...optionalProvider(parent_provider_uuid)]`, pushed one by one. */
function withNameAndParent(self: FootprintKey, body: PythonValue | undefined): FootprintKey[] {
  const keys = [self];
  const name = field(body, 'name');
  if (typeof name === 'string') keys.push({ kind: 'providerName', identity: name, spelling: name });
  const parent = field(body, 'parent_provider_uuid');
  if (typeof parent === 'string') keys.push(provider(parent));
  return keys;
}

function postAllocationsFootprint(body: PythonValue | undefined): Footprint {
  if (!isRecord(body)) return entities([]);
  const keys: FootprintKey[] = [];
  // The entries in Object.entries order, without a pair per entry or a list of names (see `hasOwn`).
  for (const consumerUuid in body) {
    if (!hasOwn(body, consumerUuid)) continue;
    keys.push(consumer(consumerUuid));
    addAllocationKeys(keys, field(body[consumerUuid], 'allocations'));
  }
  return entities(keys);
}

/**
 * Adds the providers and classes of an allocations document, in the dict
 * form (1.12+) or the list form, to `keys`: pushed one by one rather than
 * spread from lists, since every allocation write comes here.
 */
function addAllocationKeys(keys: FootprintKey[], allocations: PythonValue | undefined): void {
  if (isRecord(allocations)) {
    for (const providerUuid in allocations) {
      if (!hasOwn(allocations, providerUuid)) continue;
      keys.push(provider(providerUuid));
      addResourceKeys(keys, field(allocations[providerUuid], 'resources'));
    }
  }
  if (!Array.isArray(allocations)) return;
  for (const entry of allocations as readonly PythonValue[]) {
    const providerUuid = field(field(entry, 'resource_provider'), 'uuid');
    if (typeof providerUuid === 'string') keys.push(provider(providerUuid));
    addResourceKeys(keys, field(entry, 'resources'));
  }
}

/** `resourceClassKeys(Object.keys(resources))`, added to `keys`. */
function addResourceKeys(keys: FootprintKey[], resources: PythonValue | undefined): void {
  if (!isRecord(resources)) return;
  for (const name in resources) if (hasOwn(resources, name)) addResourceClassKey(keys, name);
}

/** `resourceClassKeys([value])`, added to `keys`. */
function addResourceClassKey(keys: FootprintKey[], value: PythonValue | undefined): void {
  if (typeof value === 'string' && !isStandardResourceClass(value)) keys.push({ kind: 'resourceClass', identity: value, spelling: value });
}

/**
 * Links that the initial state already holds: each provider to its name,
 * parent, root, custom traits and custom classes; each consumer to the
 * providers and custom classes of its allocations.
 */
export function initialStateLinks(state: State): readonly (readonly FootprintKey[])[] {
  const links: FootprintKey[][] = [];
  for (const [uuid, held] of state.providers) {
    links.push([
      provider(uuid),
      ...providerNameKeys(held.name),
      ...optionalProvider(held.parentUuid ?? undefined),
      provider(held.rootUuid),
      ...traitKeys(held.traits),
      ...resourceClassKeys([...held.inventories.keys(), ...held.usages.keys()]),
    ]);
  }
  for (const [uuid, held] of state.consumers) {
    links.push([
      consumer(uuid),
      ...held.allocations.map((row) => provider(row.providerUuid)),
      ...resourceClassKeys(held.allocations.map((row) => row.resourceClass)),
    ]);
  }
  return links;
}

function entities(keys: readonly FootprintKey[]): Footprint {
  return { kind: 'entities', keys };
}

function global(reason: string): Footprint {
  return { kind: 'global', reason };
}

/**
 * What a uuid's spelling stands for: its identity, and its provider and
 * consumer keys once made. A key depends only on its kind and spelling and
 * is read-only, so one object serves every request that names the uuid (a
 * run names its few uuids over and over).
 */
interface UuidSpelling {
  readonly identity: string;
  /** The spelling, as the memo's copy of that text when it is its own identity (see `uuidKey`). */
  readonly spelling: string;
  provider: FootprintKey | undefined;
  consumer: FootprintKey | undefined;
}

function uuidSpelling(spelling: string): UuidSpelling {
  let known = identities.get(spelling);
  if (known === undefined) {
    const identity = uuidIdentityUncached(spelling);
    known = { identity, spelling: identity === spelling ? identity : spelling, provider: undefined, consumer: undefined };
    if (identities.size >= IDENTITIES_MAX) identities.clear();
    identities.set(spelling, known);
  }
  return known;
}

/**
 * Identities (and keys) already worked out. A run's requests name its few
 * uuids over and over, and finding one here costs less than reading its 36
 * characters in script; the look-up also leaves the text's hash computed for
 * the maps that number the entities next. A memo of a pure function, wiped
 * when full: a few runs' uuids.
 */
const identities = new Map<string, UuidSpelling>();
const IDENTITIES_MAX = 64;

function uuidIdentityUncached(spelling: string): string {
  // The usual spelling, which `normalizeUuid` returns unchanged.
  if (isLowerCaseCanonicalUuid(spelling)) return spelling;
  return isUuidLike(spelling) ? normalizeUuid(spelling) : spelling;
}

function provider(spelling: string): FootprintKey {
  const known = uuidSpelling(spelling);
  known.provider ??= { kind: 'provider', identity: known.identity, spelling: known.spelling };
  return known.provider;
}

/*
 * The spelling, when it is its own identity (the usual case), is the memo's
 * copy of that text: the same text, and then every map and set that groups
 * keys finds it by reference instead of reading its characters again.
 */
function consumer(spelling: string): FootprintKey {
  const known = uuidSpelling(spelling);
  known.consumer ??= { kind: 'consumer', identity: known.identity, spelling: known.spelling };
  return known.consumer;
}

function optionalProvider(value: PythonValue | undefined): FootprintKey[] {
  return typeof value === 'string' ? [provider(value)] : [];
}

function providerNameKeys(value: PythonValue | undefined): FootprintKey[] {
  return typeof value === 'string' ? [{ kind: 'providerName', identity: value, spelling: value }] : [];
}

function resourceClassKeys(values: readonly (PythonValue | undefined)[]): FootprintKey[] {
  return values
    .filter((value): value is string => typeof value === 'string' && !isStandardResourceClass(value))
    .map((name) => ({ kind: 'resourceClass', identity: name, spelling: name }));
}

function traitKeys(values: readonly (PythonValue | undefined)[]): FootprintKey[] {
  return values
    .filter((value): value is string => typeof value === 'string' && !STANDARD_TRAIT_SET.has(value))
    .map((name) => ({ kind: 'trait', identity: name, spelling: name }));
}

/**
 * The body as the model reads it. A body the model cannot parse is refused
 * before any state is read, so it names nothing.
 */
function parseBody(request: HttpRequest): PythonValue | undefined {
  if (request.body === null || request.body === '') return undefined;
  // The model read the same request when the run sent it.
  const parsed = parseRequestBody(request);
  return parsed.kind === 'ok' ? parsed.value : undefined;
}

type PythonRecord = { readonly [key: string]: PythonValue };

function isRecord(value: PythonValue | undefined): value is PythonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof PythonFloat);
}

/**
 * For for-in walks of parsed bodies: their own names are `Object.keys`'s, in its order (a parsed body
 * inherits no enumerable names), and the walk makes no list of them.
 */
function hasOwn(record: PythonRecord, name: string): boolean {
  return Object.prototype.hasOwnProperty.call(record, name);
}

function field(value: PythonValue | undefined, name: string): PythonValue | undefined {
  return isRecord(value) ? value[name] : undefined;
}

function arrayOf(value: PythonValue | undefined): readonly PythonValue[] {
  return Array.isArray(value) ? (value as readonly PythonValue[]) : [];
}
