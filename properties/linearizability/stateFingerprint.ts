/**
 * A canonical fingerprint of a model `State`, for memoising the search.
 *
 * Two states get the same fingerprint exactly when they hold the same
 * resource data as far as any later request can observe: providers with
 * their names, generations, tree links, inventories, usages, traits and
 * aggregates; consumers with their generations, project, user, type and
 * allocation rows; the custom resource classes (in id order) and custom
 * traits. Equal fingerprints must mean equal futures, or the search would
 * skip a state it never explored; so anything observable is included, and
 * only what no response can show is normalised away:
 *
 * - `counters.requests` (request ids) is ignored: responses are compared
 *   without request ids (see `responseMatch.ts`).
 * - `counters.uuids` is kept: it decides the uuid of the next provider created
 *   without one, which a response shows.
 * - Consumers are listed by uuid: their order in the persistent map is an
 *   accident of hashing, and the API only shows them as JSON object keys.
 * - Inventories, usages and allocation rows are listed by resource class
 *   (and provider): the API only shows them as JSON object keys or sums.
 * - Providers keep their creation order, and aggregates their association
 *   order, because listings show them in that order.
 *
 * A fingerprint can also be taken over a scope: only the providers and
 * consumers a partition of the history can touch. Everything outside the
 * scope is, by construction of the partitions, never changed by the
 * partition's operations, so it need not be looked at.
 *
 * To stay cheap on the hot path, each provider and consumer object is
 * reduced to a small integer once (the model shares unchanged objects
 * between states), and the providers and consumers parts are cached per map
 * object (a request that changes nothing returns the same maps).
 */
import type { ClassMap } from '../../model/classMap.ts';
import type { AllocationRow, Consumer, Inventory, Provider, State } from '../../model/index.ts';
import { mapKey, type HashedKey } from '../../model/persistentHashMap.ts';

/** Which part of the state a fingerprint looks at. */
export type FingerprintScope =
  | { readonly kind: 'everything' }
  /** Map keys exactly as the model may store them (every spelling a request used). */
  | { readonly kind: 'entities'; readonly providerUuids: readonly string[]; readonly consumerUuids: readonly string[] };

export const EVERYTHING: FingerprintScope = { kind: 'everything' };

/** The canonical form of one provider: the definition of provider equality. */
function providerCanonical(provider: Provider): unknown {
  return [
    provider.uuid,
    provider.name,
    provider.generation,
    provider.parentUuid,
    provider.rootUuid,
    inventoriesCanonical(provider.inventories),
    sortedEntries(provider.usages),
    provider.traits,
    provider.aggregates,
  ];
}

function inventoriesCanonical(inventories: ClassMap<Inventory>): unknown {
  return sortedEntries(inventories).map(([resourceClass, inventory]) => [
    resourceClass,
    inventory.total,
    inventory.reserved,
    inventory.minUnit,
    inventory.maxUnit,
    inventory.stepSize,
    inventory.allocationRatio,
  ]);
}

/** The canonical form of one consumer: the definition of consumer equality. */
function consumerCanonical(consumer: Consumer): unknown {
  const rows = sortedRows(consumer.allocations).map((row) => [row.providerUuid, row.resourceClass, row.used] as const);
  return [consumer.uuid, consumer.projectId, consumer.userId, consumer.consumerType, consumer.generation, rows];
}

/** Allocation rows by provider, then class (a stable sort: rows equal in both keep their order). */
function sortedRows(rows: readonly AllocationRow[]): AllocationRow[] {
  return [...rows].sort((left, right) => compareText(left.providerUuid, right.providerUuid) || compareText(left.resourceClass, right.resourceClass));
}

/** A number as JSON.stringify writes it (`null` for NaN and the infinities). */
function jsonNumber(value: number): string {
  return Number.isFinite(value) ? String(value) : 'null';
}

/**
 * The full canonical text of a state, readable and slow: for tests and for
 * explaining a fingerprint. The search uses `StateFingerprinter`, which
 * produces equal results for equal canonical texts.
 */
export function canonicalStateText(state: State): string {
  const providers = [...state.providers.values()].map(providerCanonical);
  const consumers = [...state.consumers.values()].sort((left, right) => compareText(left.uuid, right.uuid)).map(consumerCanonical);
  return JSON.stringify({
    providers,
    consumers,
    customResourceClasses: state.customResourceClasses,
    customTraits: state.customTraits,
    uuidCounter: state.counters.uuids,
  });
}

/**
 * Fingerprints states within one search. The numbers it hands out are only
 * meaningful within one fingerprinter, so each partition's search makes its own.
 */
export class StateFingerprinter {
  private readonly scope: FingerprintScope;
  private readonly textIds = new Map<string, number>();
  private readonly stringIds = new Map<string, number>();
  private readonly objectIds = new WeakMap<object, number>();
  private readonly providersParts = new WeakMap<object, string>();
  private readonly consumersParts = new WeakMap<object, string>();
  private readonly providerUuids: readonly string[];
  /** The scope's consumer uuids, sorted, hashed once for the consumer map's lookups. */
  private readonly consumerKeys: readonly HashedKey[];

  constructor(scope: FingerprintScope) {
    this.scope = scope;
    this.providerUuids = scope.kind === 'entities' ? [...new Set(scope.providerUuids)].sort(compareText) : [];
    this.consumerKeys = scope.kind === 'entities' ? [...new Set(scope.consumerUuids)].sort(compareText).map(mapKey) : [];
  }

  /**
   * True when `after` has the very parts of `before` that a fingerprint reads
   * (a read, or a refused request, changes only the request counter): then
   * their fingerprints are equal without computing either.
   */
  static sameParts(before: State, after: State): boolean {
    return (
      before.providers === after.providers &&
      before.consumers === after.consumers &&
      before.customResourceClasses === after.customResourceClasses &&
      before.customTraits === after.customTraits &&
      before.counters.uuids === after.counters.uuids
    );
  }

  /** Equal for two states exactly when their canonical texts (within the scope) are equal. */
  fingerprint(state: State): string {
    const classes = this.objectIds.get(state.customResourceClasses) ?? this.listId(state.customResourceClasses);
    const traits = this.objectIds.get(state.customTraits) ?? this.listId(state.customTraits);
    return `${this.providersPart(state)}|${this.consumersPart(state)}|${classes}|${traits}|${state.counters.uuids}`;
  }

  private providersPart(state: State): string {
    const cached = this.providersParts.get(state.providers);
    if (cached !== undefined) return cached;
    // Written as `ids.join(',')` would write the list, without the list.
    let part = '';
    if (this.scope.kind === 'everything') {
      let first = true;
      for (const provider of state.providers.values()) {
        part += first ? String(this.providerId(provider)) : `,${this.providerId(provider)}`;
        first = false;
      }
    } else {
      const uuids = this.providerUuids;
      for (let index = 0; index < uuids.length; index += 1) {
        const provider = state.providers.get(uuids[index] ?? '');
        const id = provider === undefined ? '-' : String(this.providerId(provider));
        part += index === 0 ? id : `,${id}`;
      }
    }
    this.providersParts.set(state.providers, part);
    return part;
  }

  private consumersPart(state: State): string {
    const cached = this.consumersParts.get(state.consumers);
    if (cached !== undefined) return cached;
    const ids: string[] = [];
    if (this.scope.kind === 'everything') {
      const consumers = [...state.consumers.values()].sort((left, right) => compareText(left.uuid, right.uuid));
      for (const consumer of consumers) ids.push(String(this.consumerId(consumer)));
    } else {
      for (const key of this.consumerKeys) {
        const consumer = state.consumers.getByKey(key);
        ids.push(consumer === undefined ? '-' : String(this.consumerId(consumer)));
      }
    }
    const part = ids.join(',');
    this.consumersParts.set(state.consumers, part);
    return part;
  }

  // No closures here: this runs for every state the search reaches.
  private providerId(provider: Provider): number {
    return this.objectIds.get(provider) ?? this.idOf(provider, this.providerKey(provider));
  }

  /**
   * Equal for two providers exactly when their `providerCanonical` forms are: each
   * string as its number (`stringId`), each number as JSON writes it, and
   * numbers for the parts that the model shares between provider versions (a
   * write of allocations keeps the inventories and the traits), each numbered
   * by its own canonical text. The parts' texts are JSON arrays, which no
   * provider or consumer key starts like, and an object shared between two
   * parts, such as the one empty class map, has the same text in both.
   */
  private providerKey(provider: Provider): string {
    const inventories = this.objectIds.get(provider.inventories) ?? this.idOf(provider.inventories, JSON.stringify(inventoriesCanonical(provider.inventories)));
    const usages = this.objectIds.get(provider.usages) ?? this.idOf(provider.usages, usagesText(provider.usages));
    const traits = this.objectIds.get(provider.traits) ?? this.listId(provider.traits);
    const aggregates = this.objectIds.get(provider.aggregates) ?? this.listId(provider.aggregates);
    const parent = provider.parentUuid === null ? 'n' : String(this.stringId(provider.parentUuid));
    return `p${this.stringId(provider.uuid)},${this.stringId(provider.name)},${jsonNumber(provider.generation)},${parent},${this.stringId(provider.rootUuid)},${inventories},${usages},${traits},${aggregates}`;
  }

  private consumerId(consumer: Consumer): number {
    return this.objectIds.get(consumer) ?? this.idOf(consumer, this.consumerKey(consumer));
  }

  /** Equal for two consumers exactly when their `consumerCanonical` forms are, written as `providerKey` writes a provider. */
  private consumerKey(consumer: Consumer): string {
    const rows = sortedRows(consumer.allocations);
    let text = `c${this.stringId(consumer.uuid)},${this.stringId(consumer.projectId)},${this.stringId(consumer.userId)},`;
    text += `${consumer.consumerType === null ? 'n' : this.stringId(consumer.consumerType)},${jsonNumber(consumer.generation)}`;
    for (const row of rows) text += `;${this.stringId(row.providerUuid)}:${this.stringId(row.resourceClass)}:${jsonNumber(row.used)}`;
    return text;
  }

  /** One number per distinct string, so that keys need not quote strings. */
  private stringId(text: string): number {
    let id = this.stringIds.get(text);
    if (id === undefined) {
      id = this.stringIds.size;
      this.stringIds.set(text, id);
    }
    return id;
  }

  private listId(list: readonly string[]): number {
    return this.idOf(list, JSON.stringify(list));
  }

  /** One number per distinct canonical text; the object is only a cache key. */
  private idOf(object: object, canonical: string): number {
    let id = this.textIds.get(canonical);
    if (id === undefined) {
      id = this.textIds.size;
      this.textIds.set(canonical, id);
    }
    this.objectIds.set(object, id);
    return id;
  }
}

/**
 * `JSON.stringify(sortedEntries(usages))`, written directly: every write of
 * allocations makes new usages, so this runs for most states the search
 * reaches. Names are distinct, so ordering them by code units is the sort.
 */
function usagesText(usages: ClassMap<number>): string {
  const { names, items } = usages;
  const order: number[] = [];
  for (let index = 0; index < names.length; index += 1) {
    let position = order.length;
    while (position > 0 && compareText(names[order[position - 1] ?? 0] ?? '', names[index] ?? '') > 0) position -= 1;
    order.splice(position, 0, index);
  }
  let text = '[';
  for (let index = 0; index < order.length; index += 1) {
    const at = order[index] ?? 0;
    text += `${index === 0 ? '' : ','}[${JSON.stringify(names[at])},${jsonNumber(items[at] ?? 0)}]`;
  }
  return `${text}]`;
}

function sortedEntries<V>(map: ReadonlyMap<string, V>): (readonly [string, V])[] {
  return [...map.entries()].sort((left, right) => compareText(left[0], right[0]));
}

/** Code-unit order, independent of locale. */
function compareText(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}
