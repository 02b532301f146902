import { describe, expect, it } from 'vitest';
import { handle, type HttpRequest } from '../../model/index.ts';
import type { Operation } from '../../sim/history.ts';
import { OTHER_PROVIDER, PROVIDER, allocate, consumerUuid, request, setupState } from './goldenHistories.ts';
import { partitionHistory } from './partition.ts';

function operations(requests: readonly HttpRequest[]): Operation[] {
  return requests.map((item, id) => ({
    id,
    client: 0,
    step: id,
    request: item,
    invokedAt: id,
    completedAt: id + 1,
    completion: { kind: 'response', response: { status: 200, headers: {}, body: '' } },
  }));
}

function groups(requests: readonly HttpRequest[]): number[][] {
  return partitionHistory(operations(requests), setupState()).map((partition) => partition.operations.map((operation) => operation.id));
}

describe('partitionHistory', () => {
  it('separates operations on unrelated providers and consumers', () => {
    expect(groups([allocate(consumerUuid(1), 1, null, PROVIDER), allocate(consumerUuid(2), 1, null, OTHER_PROVIDER)])).toEqual([[0], [1]]);
  });

  it('joins operations through a shared provider, and through a consumer that moves', () => {
    expect(
      groups([
        allocate(consumerUuid(1), 1, null, PROVIDER),
        allocate(consumerUuid(2), 1, null, OTHER_PROVIDER),
        request('GET', `/resource_providers/${PROVIDER}/usages`),
        allocate(consumerUuid(2), 1, null, PROVIDER),
      ]),
    ).toEqual([[0, 1, 2, 3]]);
  });

  it('joins everything when one operation is global', () => {
    const result = partitionHistory(
      operations([allocate(consumerUuid(1), 1, null, PROVIDER), allocate(consumerUuid(2), 1, null, OTHER_PROVIDER), request('GET', '/resource_providers')]),
      setupState(),
    );
    expect(result).toHaveLength(1);
    expect(result[0]?.scope).toEqual({ kind: 'everything' });
    expect(result[0]?.globalReason).toContain('operation 2');
  });

  it('links through the initial state: a consumer that already holds an allocation', () => {
    const initial = [allocate(consumerUuid(1), 1, null, PROVIDER)].reduce((state, item) => handle(state, item).state, setupState());
    const result = partitionHistory(
      operations([request('DELETE', `/allocations/${consumerUuid(1)}`), request('GET', `/resource_providers/${PROVIDER}/usages`)]),
      initial,
    );
    expect(result.map((partition) => partition.operations.map((operation) => operation.id))).toEqual([[0, 1]]);
  });

  it('checks operations that name nothing on their own', () => {
    expect(groups([request('GET', '/'), request('GET', '/')])).toEqual([[0], [1]]);
  });

  it('puts every spelling of the partition entities in its scope', () => {
    const upper = consumerUuid(1).toUpperCase();
    const [partition] = partitionHistory(operations([request('GET', `/allocations/${upper}`)]), setupState());
    expect(partition?.scope).toEqual({ kind: 'entities', providerUuids: [], consumerUuids: [upper, consumerUuid(1)] });
  });
});
