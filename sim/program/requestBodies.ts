/**
 * The bodies a run's requests send, each made once for every request that
 * sends the same document: its text and its reading (see `sentBody`).
 *
 * Programs name their providers and consumers by role, so the same few
 * bodies recur run after run (a client writing one provider's VCPU with
 * a generation it knows, say): about 90 % of a run's bodies were sent by
 * one of the few hundred most frequent. A body is found by a key made from
 * what decides its document (the form, the uuids and numbers it holds), so
 * a recurring one costs the key instead of a document, its text, its
 * reading and its validation against the schema.
 */
import { joinedBody, sentBody, type SentBody } from '../../model/api/context.ts';
import { inventoryRequestFields } from '../../model/http.ts';
import type { Microversion } from '../../model/microversion.ts';
import { microversion } from '../../model/microversion.ts';
import type { AllocationSpec, ConsumerAllocationsSpec, InventorySpec } from './program.ts';
import { CONSUMER_TYPE, PROJECT_ID, USER_ID } from './program.ts';

/**
 * A key: the things that decide a body's document, in an order that tells
 * where each list ends (a count in front, or `END` after it). Strings and
 * numbers are kept as they are and compared with `===`, so finding a key
 * costs a comparison or two per part (a program's uuids and class names
 * are the same strings every run, equal by pointer) rather than a text to
 * make and hash.
 */
type Part = string | number | object;

/** Ends a list of resources or inventories. */
const END: object = Object.freeze({});
/** Stand for null, and for the numbers `===` does not find: NaN, and -0, which it takes for 0. */
const NULL: object = Object.freeze({});
const NOT_A_NUMBER: object = Object.freeze({});
const MINUS_ZERO: object = Object.freeze({});

function numberPart(value: number | null): Part {
  if (value === null) return NULL;
  if (value !== value) return NOT_A_NUMBER;
  return Object.is(value, -0) ? MINUS_ZERO : value;
}

/**
 * The key being looked up: the first `keyLength` parts of one list,
 * refilled for each lookup (none runs inside another) and never shortened,
 * so that it keeps its storage (an emptied list gives its storage up).
 */
const key: Part[] = [];
let keyLength = 0;

function add(part: Part): void {
  key[keyLength] = part;
  keyLength += 1;
}

/**
 * A tree of keys: a node is one part of a key after its parent's parts,
 * with its first child (the parts that may follow it) and its next sibling
 * (another part in its place). A place holds a handful of parts (a run's
 * providers, amounts, generations), so a list searched in order is enough,
 * and a node costs one small object where a map per node cost several.
 */
interface KeyNode {
  readonly part: Part;
  child: KeyNode | null;
  readonly sibling: KeyNode | null;
  /** The body whose key ends here. */
  body: SentBody | null;
}

/** The tree's root stands for no part: its children are the keys' first parts. */
function keyTree(): KeyNode {
  return { part: END, child: null, sibling: null, body: null };
}

/**
 * Bodies by key, in two trees of at most `BODIES_MAX` bodies each: a body
 * found in the older one moves to the newer, so the frequent ones stay
 * while a run's rare ones are forgotten within a few dozen runs. Invisible
 * to callers: a forgotten body is made again, the same.
 */
let bodies = keyTree();
let bodiesCount = 0;
let olderBodies = keyTree();
const BODIES_MAX = 512;

/** The body of `key`, if known. */
function known(): SentBody | null {
  const body = find(bodies);
  if (body !== null) return body;
  const older = find(olderBodies);
  if (older !== null) keep(older);
  return older;
}

function find(root: KeyNode): SentBody | null {
  let node: KeyNode | null = root;
  for (let index = 0; index < keyLength && node !== null; index += 1) node = childOf(node, key[index] as Part);
  return node === null ? null : node.body;
}

function childOf(node: KeyNode, part: Part): KeyNode | null {
  let child = node.child;
  while (child !== null && child.part !== part) child = child.sibling;
  return child;
}

/** Keeps `body` as the body of `key`. */
function keep(body: SentBody): SentBody {
  if (bodiesCount >= BODIES_MAX) {
    olderBodies = bodies;
    bodies = keyTree();
    bodiesCount = 0;
  }
  let node = bodies;
  for (let index = 0; index < keyLength; index += 1) {
    const part = key[index] as Part;
    let next = childOf(node, part);
    if (next === null) {
      next = { part, child: null, sibling: node.child, body: null };
      node.child = next;
    }
    node = next;
  }
  node.body = body;
  bodiesCount += 1;
  return body;
}

/**
 * How a consumer's allocations are written at a microversion: PUT before
 * 1.12 sends a list (with the project and user from 1.8); otherwise a dict
 * keyed by provider, with the consumer's generation from 1.28 and its type
 * from 1.38.
 */
export type ConsumerForm = 'list' | 'listOwned' | 'dict' | 'dictGeneration' | 'dictTyped';

export function consumerForm(version: Microversion, put: boolean): ConsumerForm {
  if (version < LIST_BEFORE && put) return version >= OWNED_FROM ? 'listOwned' : 'list';
  if (version >= TYPED_FROM) return 'dictTyped';
  return version >= GENERATION_FROM ? 'dictGeneration' : 'dict';
}

const LIST_BEFORE = microversion(1, 12);
const OWNED_FROM = microversion(1, 8);
const GENERATION_FROM = microversion(1, 28);
const TYPED_FROM = microversion(1, 38);

/** Whether the form sends the consumer's generation. */
export function sendsGeneration(form: ConsumerForm): boolean {
  return form === 'dictGeneration' || form === 'dictTyped';
}

/** The body of PUT /allocations/{consumer}: `allocations` in `form`, with `generation` where the form sends one. */
export function consumerWriteBody(form: ConsumerForm, generation: number | null, allocations: readonly AllocationSpec[]): SentBody {
  keyLength = 0;
  add('W');
  consumerKey(form, generation, allocations);
  return known() ?? keep(sentBody(consumerDocument(form, generation, allocations)));
}

/** What a client sends as a consumer's generation in a form (null where the form sends none). */
export interface SentGenerations {
  sentGeneration(form: ConsumerForm, spec: ConsumerAllocationsSpec): number | null;
}

/**
 * The body of POST /allocations: each consumer's allocations in `form` (a
 * dict form) with the generation `generations` sends, keyed by consumer. A
 * POST's consumers, their generations and allocations vary together too
 * much for whole bodies to recur, so the body is joined from each
 * consumer's part, which is the body a PUT of the same allocations in the
 * same form sends (and is found the same way).
 */
export function postAllocationsBody(form: ConsumerForm, consumers: readonly ConsumerAllocationsSpec[], generations: SentGenerations): SentBody {
  const names = new Array<string>(consumers.length);
  const members = new Array<SentBody>(consumers.length);
  for (let index = 0; index < consumers.length; index += 1) {
    const spec = consumers[index] as ConsumerAllocationsSpec;
    names[index] = spec.consumer;
    members[index] = consumerWriteBody(form, generations.sentGeneration(form, spec), spec.allocations);
  }
  const joined = joinedBody(names, members);
  if (joined !== null) return joined;
  const document: Record<string, unknown> = {};
  for (const spec of consumers) document[spec.consumer] = consumerDocument(form, generations.sentGeneration(form, spec), spec.allocations);
  return sentBody(document);
}

/** The body of PUT /resource_providers/{uuid}/inventories. */
export function inventoriesWriteBody(generation: number, inventories: Readonly<Record<string, InventorySpec>>): SentBody {
  keyLength = 0;
  add('I');
  add(numberPart(generation));
  for (const resourceClass in inventories) {
    if (!Object.prototype.hasOwnProperty.call(inventories, resourceClass)) continue;
    const inventory = inventories[resourceClass] as InventorySpec;
    add(resourceClass);
    add(numberPart(inventory.total));
    add(numberPart(inventory.reserved));
    add(numberPart(inventory.minUnit));
    add(numberPart(inventory.maxUnit));
    add(numberPart(inventory.stepSize));
    add(numberPart(inventory.allocationRatio));
  }
  add(END);
  return known() ?? keep(sentBody({ resource_provider_generation: generation, inventories: inventoriesDocument(inventories) }));
}

/** The body of POST /resource_providers. */
export function providerCreateBody(name: string, uuid: string): SentBody {
  keyLength = 0;
  add('R');
  add(name);
  add(uuid);
  return known() ?? keep(sentBody({ name, uuid }));
}

/** Adds what decides a consumer's body to `key`. */
function consumerKey(form: ConsumerForm, generation: number | null, allocations: readonly AllocationSpec[]): void {
  add(form);
  add(sendsGeneration(form) ? numberPart(generation) : NULL);
  add(allocations.length);
  for (const allocation of allocations) {
    add(allocation.provider);
    const resources = allocation.resources;
    for (const resourceClass in resources) {
      if (Object.prototype.hasOwnProperty.call(resources, resourceClass)) {
        add(resourceClass);
        add(numberPart(resources[resourceClass] as number));
      }
    }
    add(END);
  }
}

function consumerDocument(form: ConsumerForm, generation: number | null, allocations: readonly AllocationSpec[]): Record<string, unknown> {
  switch (form) {
    case 'list':
      return { allocations: listAllocations(allocations) };
    case 'listOwned':
      return { allocations: listAllocations(allocations), project_id: PROJECT_ID, user_id: USER_ID };
    case 'dict':
      return { allocations: dictAllocations(allocations), project_id: PROJECT_ID, user_id: USER_ID };
    case 'dictGeneration':
      return { allocations: dictAllocations(allocations), project_id: PROJECT_ID, user_id: USER_ID, consumer_generation: generation };
    case 'dictTyped':
      return { allocations: dictAllocations(allocations), project_id: PROJECT_ID, user_id: USER_ID, consumer_generation: generation, consumer_type: CONSUMER_TYPE };
    default:
      return assertNever(form);
  }
}

function listAllocations(allocations: readonly AllocationSpec[]): unknown[] {
  return allocations.map((allocation) => ({ resource_provider: { uuid: allocation.provider }, resources: allocation.resources }));
}

function dictAllocations(allocations: readonly AllocationSpec[]): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const allocation of allocations) result[allocation.provider] = { resources: allocation.resources };
  return result;
}

function inventoriesDocument(inventories: Readonly<Record<string, InventorySpec>>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [resourceClass, inventory] of Object.entries(inventories)) result[resourceClass] = inventoryRequestFields(inventory);
  return result;
}

function assertNever(value: never): never {
  throw new Error(`unhandled consumer form: ${String(value)}`);
}
