/**
 * Splits a history into independent parts (P-compositionality): two
 * operations land in the same partition when their footprints share an
 * entity, directly or through a chain of operations and of links the initial
 * state already holds. A history is linearizable exactly when each partition
 * is, checked from the same initial state, provided no operation's response
 * depends on anything outside its partition; `operationFootprint.ts` is
 * written to guarantee that, and any operation it cannot attribute joins
 * every operation into one partition.
 */
import type { State } from '../../model/index.ts';
import type { Operation } from '../../sim/history.ts';
import { DisjointSets } from './disjointSets.ts';
import { initialStateLinks, operationFootprint, type EntityKind, type Footprint, type FootprintKey } from './operationFootprint.ts';
import { EVERYTHING, type FingerprintScope } from './stateFingerprint.ts';

export interface Partition {
  /** In the order they were given (the history's order of invocation). */
  readonly operations: readonly Operation[];
  /**
   * Per operation, the entities its footprint names, numbered within the
   * history (equal numbers: the same entity); `null` when it may touch
   * anything. The search reads them to guess which write a read needs.
   */
  readonly entities: readonly (readonly number[] | null)[];
  /** What of the state the partition's operations can observe or change. */
  readonly scope: FingerprintScope;
  /** Why the partition is the whole history, when an operation could not be attributed. */
  readonly globalReason: string | null;
}

/**
 * Partitions in the order of their first operation. `footprints` are the
 * operations' footprints, when the caller has them already.
 */
export function partitionHistory(
  operations: readonly Operation[],
  initialState: State,
  footprints: readonly Footprint[] = operations.map((operation) => operationFootprint(operation.request)),
): readonly Partition[] {
  const numbers = new EntityNumbers();
  const entities = footprints.map((footprint) => (footprint.kind === 'global' ? null : numbers.of(footprint.keys)));
  const globalIndex = footprints.findIndex((footprint) => footprint.kind === 'global');
  const globalFootprint = footprints[globalIndex];
  if (globalFootprint !== undefined && globalFootprint.kind === 'global') {
    const operation = operations[globalIndex];
    const reason = `operation ${operation?.id ?? '?'} (${operation?.request.method ?? ''} ${operation?.request.path ?? ''}) ${globalFootprint.reason}`;
    return operations.length === 0 ? [] : [{ operations, entities, scope: EVERYTHING, globalReason: reason }];
  }
  const sets = new DisjointSets();
  const links = initialStateLinks(initialState);
  const linkNumbers = links.map((link) => numbers.of(link));
  for (const linked of linkNumbers) sets.unionAll(linked);
  for (const named of entities) if (named !== null) sets.unionAll(named);

  const groups: GroupBuilder[] = [];
  const groupByRoot = new Map<number, GroupBuilder>();
  operations.forEach((operation, index) => {
    const named = entities[index] ?? [];
    const first = named[0];
    // An operation that names nothing depends on nothing: it is checked on its own.
    const root = first === undefined ? null : sets.find(first);
    let group = root === null ? undefined : groupByRoot.get(root);
    if (group === undefined) {
      group = new GroupBuilder();
      groups.push(group);
      if (root !== null) groupByRoot.set(root, group);
    }
    group.add(operation, named, keysOf(footprints[index]));
  });
  links.forEach((link, index) => {
    const first = linkNumbers[index]?.[0];
    if (first === undefined) return;
    groupByRoot.get(sets.find(first))?.addScope(link);
  });
  return groups.map((group) => group.partition());
}

function keysOf(footprint: Footprint | undefined): readonly FootprintKey[] {
  return footprint?.kind === 'entities' ? footprint.keys : [];
}

/**
 * Numbers entities in order of first sight: two keys are the same entity
 * when their kinds and identities are equal (`footprintKeyText`), looked up
 * here per kind so that no key text needs building.
 */
class EntityNumbers {
  private readonly byKind = new Map<EntityKind, Map<string, number>>();
  private count = 0;

  of(keys: readonly FootprintKey[]): number[] {
    // Filled by index at its final length: the first push onto an empty array makes room for 16.
    const result = new Array<number>(keys.length);
    for (let index = 0; index < keys.length; index += 1) {
      const key = keys[index];
      if (key === undefined) throw new Error(`no footprint key at ${index}`);
      let numbers = this.byKind.get(key.kind);
      if (numbers === undefined) {
        numbers = new Map();
        this.byKind.set(key.kind, numbers);
      }
      let number = numbers.get(key.identity);
      if (number === undefined) {
        number = this.count;
        this.count += 1;
        numbers.set(key.identity, number);
      }
      result[index] = number;
    }
    return result;
  }
}

/**
 * One partition as it is gathered: its operations, and every spelling and
 * identity of its providers and consumers (of its operations first, then of
 * the initial state's links), for the fingerprint's scope.
 */
class GroupBuilder {
  private readonly operations: Operation[] = [];
  private readonly entities: (readonly number[])[] = [];
  private readonly providerUuids = new Set<string>();
  private readonly consumerUuids = new Set<string>();

  add(operation: Operation, named: readonly number[], keys: readonly FootprintKey[]): void {
    this.operations.push(operation);
    this.entities.push(named);
    this.addScope(keys);
  }

  addScope(keys: readonly FootprintKey[]): void {
    for (const key of keys) {
      const target = key.kind === 'provider' ? this.providerUuids : key.kind === 'consumer' ? this.consumerUuids : null;
      if (target === null) continue;
      target.add(key.spelling);
      // Usually the same text (a canonical uuid is its own identity): adding it again would change nothing.
      if (key.identity !== key.spelling) target.add(key.identity);
    }
  }

  partition(): Partition {
    return {
      operations: this.operations,
      entities: this.entities,
      scope: { kind: 'entities', providerUuids: [...this.providerUuids], consumerUuids: [...this.consumerUuids] },
      globalReason: null,
    };
  }
}

/** The whole history as one partition, for checking without partitioning. */
export function wholeHistory(operations: readonly Operation[], footprints: readonly Footprint[], reason: string): Partition {
  const numbers = new EntityNumbers();
  const entities = footprints.map((footprint) => (footprint.kind === 'global' ? null : numbers.of(footprint.keys)));
  return { operations, entities, scope: EVERYTHING, globalReason: reason };
}
