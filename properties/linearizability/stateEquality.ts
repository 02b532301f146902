/**
 * Whether two states have equal fingerprints (`stateFingerprint.ts`), decided
 * by comparing them directly instead of fingerprinting both.
 *
 * The search's memo mostly asks this of two states reached by different
 * orders of the same operations: they share most objects (the model keeps
 * unchanged providers, consumers, inventories and lists), so comparing
 * them looks at the few objects that differ, where a fingerprint of each
 * would number every provider and consumer of both states (a fresh
 * fingerprinter knows none of them). The relation is exactly the
 * fingerprint's, part for part:
 *
 * - providers (within the scope, or all in creation order): uuid, name,
 *   parent, root and each list compared as strings, generation and every
 *   number as JSON writes it (`jsonNumber`: NaN and the infinities are all
 *   `null`), inventories and usages as sets of (class, values), since the
 *   fingerprint lists them sorted by class and classes are distinct within
 *   a `ClassMap`;
 * - consumers (within the scope, or all by uuid): their fields, and their
 *   allocation rows in (provider, class) order, a stable sort;
 * - the custom classes, the custom traits and the uuid counter.
 *
 * `stateEquality.test.ts` checks it against the fingerprinter.
 */
import type { ClassMap } from '../../model/classMap.ts';
import type { AllocationRow, Consumer, Inventory, Provider, State } from '../../model/index.ts';
import { mapKey, type HashedKey } from '../../model/persistentHashMap.ts';
import type { FingerprintScope } from './stateFingerprint.ts';

export class StateComparer {
  private readonly everything: boolean;
  private readonly providerUuids: readonly string[];
  /** The scope's consumer uuids, hashed once for the consumer map's lookups. */
  private readonly consumerKeys: readonly HashedKey[];

  constructor(scope: FingerprintScope) {
    this.everything = scope.kind === 'everything';
    this.providerUuids = scope.kind === 'entities' ? [...new Set(scope.providerUuids)] : [];
    this.consumerKeys = scope.kind === 'entities' ? [...new Set(scope.consumerUuids)].map(mapKey) : [];
  }

  /** `fingerprint(left) === fingerprint(right)` for a fingerprinter over this scope. */
  equal(left: State, right: State): boolean {
    if (left === right) return true;
    if (String(left.counters.uuids) !== String(right.counters.uuids)) return false;
    if (!stringListsEqual(left.customResourceClasses, right.customResourceClasses)) return false;
    if (!stringListsEqual(left.customTraits, right.customTraits)) return false;
    if (left.providers !== right.providers && !this.providersEqual(left, right)) return false;
    return left.consumers === right.consumers || this.consumersEqual(left, right);
  }

  private providersEqual(left: State, right: State): boolean {
    if (this.everything) {
      // Creation order, as listings show it.
      const count = left.providers.size;
      if (right.providers.size !== count) return false;
      for (let position = 0; position < count; position += 1) {
        if (!providersEqual(left.providers.at(position), right.providers.at(position))) return false;
      }
      return true;
    }
    for (const uuid of this.providerUuids) {
      if (!providersEqual(left.providers.get(uuid), right.providers.get(uuid))) return false;
    }
    return true;
  }

  private consumersEqual(left: State, right: State): boolean {
    if (this.everything) {
      if (left.consumers.size !== right.consumers.size) return false;
      const leftConsumers = [...left.consumers.values()].sort(byUuid);
      const rightConsumers = [...right.consumers.values()].sort(byUuid);
      for (let index = 0; index < leftConsumers.length; index += 1) {
        if (!consumersEqual(leftConsumers[index], rightConsumers[index])) return false;
      }
      return true;
    }
    for (const key of this.consumerKeys) {
      if (!consumersEqual(left.consumers.getByKey(key), right.consumers.getByKey(key))) return false;
    }
    return true;
  }
}

/** Absent on both sides is equal; absent on one side is not. */
function providersEqual(left: Provider | undefined, right: Provider | undefined): boolean {
  if (left === right) return true;
  if (left === undefined || right === undefined) return false;
  return (
    left.uuid === right.uuid &&
    left.name === right.name &&
    numbersEqual(left.generation, right.generation) &&
    left.parentUuid === right.parentUuid &&
    left.rootUuid === right.rootUuid &&
    (left.inventories === right.inventories || classMapsEqual(left.inventories, right.inventories, inventoriesEqual)) &&
    (left.usages === right.usages || classMapsEqual(left.usages, right.usages, numbersEqual)) &&
    stringListsEqual(left.traits, right.traits) &&
    stringListsEqual(left.aggregates, right.aggregates)
  );
}

function inventoriesEqual(left: Inventory, right: Inventory): boolean {
  return (
    numbersEqual(left.total, right.total) &&
    numbersEqual(left.reserved, right.reserved) &&
    numbersEqual(left.minUnit, right.minUnit) &&
    numbersEqual(left.maxUnit, right.maxUnit) &&
    numbersEqual(left.stepSize, right.stepSize) &&
    numbersEqual(left.allocationRatio, right.allocationRatio)
  );
}

/** The same classes with equal values, in any order: the fingerprint sorts them by class. */
function classMapsEqual<V>(left: ClassMap<V>, right: ClassMap<V>, valuesEqual: (left: V, right: V) => boolean): boolean {
  const { names, items } = left;
  if (names.length !== right.names.length) return false;
  for (let index = 0; index < names.length; index += 1) {
    const position = right.positionOf(names[index] ?? '');
    if (position < 0) return false;
    const leftItem = items[index];
    const rightItem = right.items[position];
    if (leftItem === undefined || rightItem === undefined || !valuesEqual(leftItem, rightItem)) return false;
  }
  return true;
}

function consumersEqual(left: Consumer | undefined, right: Consumer | undefined): boolean {
  if (left === right) return true;
  if (left === undefined || right === undefined) return false;
  return (
    left.uuid === right.uuid &&
    left.projectId === right.projectId &&
    left.userId === right.userId &&
    left.consumerType === right.consumerType &&
    numbersEqual(left.generation, right.generation) &&
    rowsEqual(left.allocations, right.allocations)
  );
}

/**
 * Equal in (provider, class) order, a stable sort. Rows equal in the order
 * they are in sort to equal lists, so only rows that differ there are sorted.
 */
function rowsEqual(left: readonly AllocationRow[], right: readonly AllocationRow[]): boolean {
  if (left === right) return true;
  if (left.length !== right.length) return false;
  if (rowListsEqual(left, right)) return true;
  return rowListsEqual([...left].sort(byProviderThenClass), [...right].sort(byProviderThenClass));
}

function rowListsEqual(left: readonly AllocationRow[], right: readonly AllocationRow[]): boolean {
  for (let index = 0; index < left.length; index += 1) {
    const leftRow = left[index];
    const rightRow = right[index];
    if (leftRow === rightRow) continue;
    if (leftRow === undefined || rightRow === undefined) return false;
    if (leftRow.providerUuid !== rightRow.providerUuid || leftRow.resourceClass !== rightRow.resourceClass || !numbersEqual(leftRow.used, rightRow.used)) {
      return false;
    }
  }
  return true;
}

function stringListsEqual(left: readonly string[], right: readonly string[]): boolean {
  if (left === right) return true;
  if (left.length !== right.length) return false;
  for (let index = 0; index < left.length; index += 1) if (left[index] !== right[index]) return false;
  return true;
}

/** Equal as JSON writes them: finite numbers by value (so 0 and -0 alike), every other number as `null`. */
function numbersEqual(left: number, right: number): boolean {
  return left === right || (!Number.isFinite(left) && !Number.isFinite(right));
}

function byUuid(left: Consumer, right: Consumer): number {
  return compareText(left.uuid, right.uuid);
}

/** The fingerprint's row order (`sortedRows` in `stateFingerprint.ts`). */
function byProviderThenClass(left: AllocationRow, right: AllocationRow): number {
  return compareText(left.providerUuid, right.providerUuid) || compareText(left.resourceClass, right.resourceClass);
}

/** Code-unit order, independent of locale. */
function compareText(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}
