/**
 * Hand-written histories with known verdicts: a corpus the checker must
 * always agree with (as Porcupine keeps one), and small examples of what a
 * verdict looks like.
 *
 * Observed responses are produced by the model itself, run in some chosen
 * sequential "world", so they have exactly the shape a service sends; a
 * history is illegal when its responses come from worlds no single order of
 * its operations can reach.
 */
import { handle, placementRequest, type HttpRequest, type HttpResponse, type State } from '../../model/index.ts';
import type { Operation } from '../../sim/history.ts';
import { initialStateOf, type HistoryFile } from './historyFile.ts';

export interface GoldenHistory {
  readonly name: string;
  /** What the history shows, and why the verdict is what it is. */
  readonly description: string;
  readonly file: HistoryFile;
  readonly verdict: 'ok' | 'illegal';
  /** For histories only one order explains: that order, as operation ids. */
  readonly onlyOrder?: readonly number[];
}

export const PROVIDER = 'aaaaaaaa-0000-4000-8000-000000000001';
export const OTHER_PROVIDER = 'aaaaaaaa-0000-4000-8000-000000000002';
const MICROVERSION = '1.39';

export function consumerUuid(index: number): string {
  return `cccccccc-0000-4000-8000-${index.toString(16).padStart(12, '0')}`;
}

export function request(method: string, path: string, body?: unknown): HttpRequest {
  return body === undefined ? placementRequest(method, path, { microversion: MICROVERSION }) : placementRequest(method, path, { microversion: MICROVERSION, body });
}

export function allocate(consumer: string, vcpu: number, generation: number | null, provider = PROVIDER): HttpRequest {
  return request('PUT', `/allocations/${consumer}`, {
    allocations: { [provider]: { resources: { VCPU: vcpu } } },
    project_id: 'project',
    user_id: 'user',
    consumer_generation: generation,
    consumer_type: 'INSTANCE',
  });
}

/** Two providers with 4 VCPU each (allocation ratio 1). */
export const SETUP: readonly HttpRequest[] = [PROVIDER, OTHER_PROVIDER].flatMap((uuid, index) => [
  request('POST', '/resource_providers', { name: `compute-${index}`, uuid }),
  request('PUT', `/resource_providers/${uuid}/inventories`, {
    resource_provider_generation: 0,
    inventories: { VCPU: { total: 4, allocation_ratio: 1.0 } },
  }),
]);

/** The responses a sequential run of `requests` gets from `state`. */
export function responsesInWorld(state: State, requests: readonly HttpRequest[]): readonly HttpResponse[] {
  let current = state;
  return requests.map((item) => {
    const handled = handle(current, item);
    current = handled.state;
    return handled.response;
  });
}

export function answered(id: number, client: number, item: HttpRequest, invokedAt: number, completedAt: number, response: HttpResponse): Operation {
  return { id, client, step: id, request: item, invokedAt, completedAt, completion: { kind: 'response', response } };
}

export function timedOut(id: number, client: number, item: HttpRequest, invokedAt: number): Operation {
  return { id, client, step: id, request: item, invokedAt, completedAt: null, completion: { kind: 'unknown', reason: 'timeout' } };
}

function file(initialRequests: readonly HttpRequest[], operations: readonly Operation[]): HistoryFile {
  return { schemaVersion: 1, initialRequests, operations };
}

function at<T>(items: readonly T[], index: number): T {
  const item = items[index];
  if (item === undefined) throw new Error(`no item ${index} in a golden history`);
  return item;
}

/** Replaces the error code in a Placement error document, keeping everything else. */
function withErrorCode(response: HttpResponse, code: string): HttpResponse {
  return { ...response, body: response.body.replace(/"code": "[^"]*"/, `"code": "${code}"`) };
}

function withErrorDetail(response: HttpResponse, detail: string): HttpResponse {
  return { ...response, body: response.body.replace(/"detail": "(?:[^"\\]|\\.)*"/, `"detail": ${JSON.stringify(detail)}`) };
}

function goldens(): readonly GoldenHistory[] {
  const base = initialStateOf({ initialRequests: SETUP });
  const c1 = consumerUuid(1);
  const c2 = consumerUuid(2);
  const histories: GoldenHistory[] = [];

  {
    // Each allocation alone fits (3 of 4 VCPU); both together do not.
    const first = allocate(c1, 3, null);
    const second = allocate(c2, 3, null);
    const alone = responsesInWorld(base, [first]);
    const otherAlone = responsesInWorld(base, [second]);
    histories.push({
      name: 'concurrent allocations both succeed past capacity',
      description: 'Two overlapping PUTs of 3 VCPU on a provider with 4 both return 204. Whichever goes second must get 409.',
      verdict: 'illegal',
      file: file(SETUP, [answered(0, 0, first, 0, 10, at(alone, 0)), answered(1, 1, second, 1, 11, at(otherAlone, 0))]),
    });
  }
  {
    // c1 holds 1 VCPU. A PUT (generation 1) and a DELETE overlap and both succeed; a later read still sees the PUT's allocation.
    const setup = [...SETUP, allocate(c1, 1, null)];
    const start = initialStateOf({ initialRequests: setup });
    const put = allocate(c1, 2, 1);
    const remove = request('DELETE', `/allocations/${c1}`);
    const read = request('GET', `/allocations/${c1}`);
    const putWorld = responsesInWorld(start, [put, read]);
    const deleteWorld = responsesInWorld(start, [remove]);
    histories.push({
      name: 'delete succeeds but the concurrent write survives it',
      description:
        'PUT then DELETE leaves no allocation for the read; DELETE then PUT fails the PUT (the consumer is gone, generation 1 is stale). ' +
        'The read after both still shows the PUT: the read-then-delete race.',
      verdict: 'illegal',
      file: file(setup, [
        answered(0, 0, put, 0, 10, at(putWorld, 0)),
        answered(1, 1, remove, 1, 9, at(deleteWorld, 0)),
        answered(2, 0, read, 20, 21, at(putWorld, 1)),
      ]),
    });
  }
  {
    // Three overlapping inventory updates, each naming the generation the previous one produces.
    const updates = [6, 8, 12].map((total, index) =>
      request('PUT', `/resource_providers/${PROVIDER}/inventories`, {
        resource_provider_generation: 1 + index,
        inventories: { VCPU: { total } },
      }),
    );
    const world = responsesInWorld(base, updates);
    histories.push({
      name: 'only one interleaving explains it',
      description:
        'Three overlapping inventory PUTs with generations 1, 2 and 3 all succeed, called in the reverse order. Only 1, 2, 3 explains them.',
      verdict: 'ok',
      onlyOrder: [0, 1, 2],
      file: file(SETUP, [
        answered(2, 2, at(updates, 2), 0, 30, at(world, 2)),
        answered(1, 1, at(updates, 1), 1, 31, at(world, 1)),
        answered(0, 0, at(updates, 0), 2, 32, at(world, 0)),
      ]),
    });
  }
  {
    const put = allocate(c1, 2, null);
    const read = request('GET', `/allocations/${c1}`);
    const world = responsesInWorld(base, [put, read]);
    histories.push({
      name: 'a timed-out write must have happened',
      description: 'A PUT times out; a later read shows its allocation, so it took effect before the read.',
      verdict: 'ok',
      file: file(SETUP, [timedOut(0, 0, put, 0), answered(1, 1, read, 50, 60, at(world, 1))]),
    });
  }
  {
    const lost = allocate(c1, 4, null);
    const other = allocate(c2, 4, null);
    const usages = request('GET', `/resource_providers/${PROVIDER}/usages`);
    const world = responsesInWorld(base, [other, usages]);
    histories.push({
      name: 'a timed-out write must not have happened (yet)',
      description:
        'A PUT of all 4 VCPU for c1 times out; c2 then gets all 4 VCPU and the usage read shows 4. ' +
        'c1 cannot have taken effect before c2 (c2 would have been refused), so it happened never, or after everything.',
      verdict: 'ok',
      file: file(SETUP, [timedOut(0, 0, lost, 0), answered(1, 1, other, 10, 20, at(world, 0)), answered(2, 1, usages, 30, 40, at(world, 1))]),
    });
  }
  {
    const put = allocate(c1, 1, null);
    const read = request('GET', `/allocations/${c1}`);
    const empty = responsesInWorld(base, [read]);
    const written = responsesInWorld(base, [put]);
    histories.push({
      name: 'a read after a completed write misses it',
      description: 'The PUT returned before the read was called, yet the read shows no allocation.',
      verdict: 'illegal',
      file: file(SETUP, [answered(0, 0, put, 0, 10, at(written, 0)), answered(1, 1, read, 20, 30, at(empty, 0))]),
    });
    histories.push({
      name: 'a read overlapping a write may miss it',
      description: 'The same responses, but the read was called before the PUT returned: the read may come first.',
      verdict: 'ok',
      file: file(SETUP, [answered(0, 0, put, 0, 10, at(written, 0)), answered(1, 1, read, 5, 30, at(empty, 0))]),
    });
  }
  {
    const tooMuch = allocate(c1, 5, null);
    const refused = at(responsesInWorld(base, [tooMuch]), 0);
    histories.push({
      name: 'a 409 with the wrong code',
      description: 'Allocating 5 VCPU of 4 is refused for capacity (placement.undefined_code), not as a generation conflict.',
      verdict: 'illegal',
      file: file(SETUP, [answered(0, 0, tooMuch, 0, 10, withErrorCode(refused, 'placement.concurrent_update'))]),
    });
    histories.push({
      name: 'a 409 worded differently',
      description: 'The same refusal with another detail text: only the status and the code are compared.',
      verdict: 'ok',
      file: file(SETUP, [answered(0, 0, tooMuch, 0, 10, withErrorDetail(refused, 'Unable to allocate inventory: worded otherwise.'))]),
    });
  }
  {
    // Two providers that never share a consumer: two partitions, one of them with a lost update.
    const first = allocate(c1, 3, null, PROVIDER);
    const second = allocate(c2, 3, null, OTHER_PROVIDER);
    const world = responsesInWorld(base, [first, second]);
    const unknownRemove = request('DELETE', `/allocations/${consumerUuid(9)}`);
    histories.push({
      name: 'independent providers with a stray timeout',
      description: 'Allocations on two providers that nothing links, and a timed-out DELETE of a consumer that never existed.',
      verdict: 'ok',
      file: file(SETUP, [answered(0, 0, first, 0, 10, at(world, 0)), answered(1, 1, second, 0, 10, at(world, 1)), timedOut(2, 2, unknownRemove, 5)]),
    });
  }
  {
    // A read overlapping a provider's deletion and re-creation sees generation 0 after it was 2.
    const update = request('PUT', `/resource_providers/${PROVIDER}/inventories`, { resource_provider_generation: 1, inventories: { VCPU: { total: 8 } } });
    const remove = request('DELETE', `/resource_providers/${PROVIDER}`);
    const create = request('POST', '/resource_providers', { uuid: PROVIDER, name: 'compute-0' });
    const read = request('GET', `/resource_providers/${PROVIDER}`);
    const world = responsesInWorld(base, [update, remove, create, read]);
    histories.push({
      name: 'a re-created provider starts its generation again',
      description:
        'An inventory update takes the provider to generation 2, then it is deleted and created again at generation 0; ' +
        'a read overlapping all of it sees generation 0. Generations only grow while a provider lives.',
      verdict: 'ok',
      onlyOrder: [0, 1, 2, 3],
      file: file(SETUP, [
        answered(0, 0, update, 0, 10, at(world, 0)),
        answered(3, 1, read, 5, 60, at(world, 3)),
        answered(1, 0, remove, 20, 30, at(world, 1)),
        answered(2, 0, create, 40, 50, at(world, 2)),
      ]),
    });
  }
  return histories;
}

export const GOLDEN_HISTORIES: readonly GoldenHistory[] = goldens();

/** The empty state with the standard setup applied, for tests that build their own histories. */
export function setupState(): State {
  return initialStateOf({ initialRequests: SETUP });
}
