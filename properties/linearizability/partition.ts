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
import { footprintKeyText, initialStateLinks, operationFootprint, type Footprint, type FootprintKey } from './operationFootprint.ts';
import { EVERYTHING, type FingerprintScope } from './stateFingerprint.ts';

export interface Partition {
  /** In the order they were given (the history's order of invocation). */
  readonly operations: readonly Operation[];
  /** What of the state the partition's operations can observe or change. */
  readonly scope: FingerprintScope;
  /** Why the partition is the whole history, when an operation could not be attributed. */
  readonly globalReason: string | null;
}

/** Partitions in the order of their first operation. */
export function partitionHistory(operations: readonly Operation[], initialState: State): readonly Partition[] {
  const footprints = operations.map((operation) => operationFootprint(operation.request));
  const globalIndex = footprints.findIndex((footprint) => footprint.kind === 'global');
  const globalFootprint = footprints[globalIndex];
  if (globalFootprint !== undefined && globalFootprint.kind === 'global') {
    const operation = operations[globalIndex];
    const reason = `operation ${operation?.id ?? '?'} (${operation?.request.method ?? ''} ${operation?.request.path ?? ''}) ${globalFootprint.reason}`;
    return operations.length === 0 ? [] : [{ operations, scope: EVERYTHING, globalReason: reason }];
  }
  const sets = new DisjointSets();
  const links = initialStateLinks(initialState);
  for (const link of links) sets.unionAll(link.map(footprintKeyText));
  const keysOf = (footprint: Footprint): readonly FootprintKey[] => (footprint.kind === 'entities' ? footprint.keys : []);
  for (const footprint of footprints) sets.unionAll(keysOf(footprint).map(footprintKeyText));

  const groups = new Map<string, { operations: Operation[]; keys: FootprintKey[] }>();
  let unattachedCount = 0;
  operations.forEach((operation, index) => {
    const keys = keysOf(footprints[index] ?? { kind: 'entities', keys: [] });
    const first = keys[0];
    // An operation that names nothing depends on nothing: it is checked on its own.
    const group = first === undefined ? `unattached:${(unattachedCount += 1)}` : sets.find(footprintKeyText(first));
    const entry = groups.get(group) ?? { operations: [], keys: [] };
    entry.operations.push(operation);
    entry.keys.push(...keys);
    groups.set(group, entry);
  });
  const initialKeysByGroup = new Map<string, FootprintKey[]>();
  for (const link of links) {
    const first = link[0];
    if (first === undefined) continue;
    const group = sets.find(footprintKeyText(first));
    if (!groups.has(group)) continue;
    const keys = initialKeysByGroup.get(group) ?? [];
    keys.push(...link);
    initialKeysByGroup.set(group, keys);
  }
  return [...groups].map(([group, entry]) => ({
    operations: entry.operations,
    scope: scopeOf([...entry.keys, ...(initialKeysByGroup.get(group) ?? [])]),
    globalReason: null,
  }));
}

/** Every spelling and identity of the partition's providers and consumers. */
function scopeOf(keys: readonly FootprintKey[]): FingerprintScope {
  const providerUuids = new Set<string>();
  const consumerUuids = new Set<string>();
  for (const key of keys) {
    const target = key.kind === 'provider' ? providerUuids : key.kind === 'consumer' ? consumerUuids : null;
    target?.add(key.spelling);
    target?.add(key.identity);
  }
  return { kind: 'entities', providerUuids: [...providerUuids], consumerUuids: [...consumerUuids] };
}
