/**
 * Pairs of simultaneous writes for the same new consumer, both with
 * `consumer_generation: null`, against a live Placement. Placement promises
 * that at most one of a pair succeeds: the other expected a consumer that
 * no longer is new. 8.0.0's `_create_consumer` takes over the row the other
 * request just inserted without comparing generations, so sometimes both
 * answer 204 and the second replaces the first's allocations (the finding
 * `concurrent-create-overwritten`).
 *
 * Each trial uses a fresh consumer (uuids from the seed) on one provider
 * made for the purpose, with ample capacity so capacity never decides the
 * race. Nothing is reset: what the trials made is deleted at the end.
 */
import { placementRequest, type HttpRequest } from '../../model/index.ts';
import type { Completion } from '../history.ts';
import type { HttpTarget } from '../http/createHttpTarget.ts';
import { Random } from '../random.ts';

const VERSION = '1.39';

export type RaceOutcome =
  | {
      readonly kind: 'ran';
      readonly trials: number;
      readonly bothSucceeded: number;
      readonly oneSucceeded: number;
      /** A request got no response, or neither succeeded: nothing to conclude. */
      readonly inconclusive: number;
      /** The first pair that both succeeded, with the consumer's allocations afterwards. */
      readonly firstExample: string | null;
    }
  | { readonly kind: 'setupFailed'; readonly message: string };

function statusOf(completion: Completion): number | null {
  return completion.kind === 'response' ? completion.response.status : null;
}

function allocate(consumer: string, provider: string, vcpu: number): HttpRequest {
  return placementRequest('PUT', `/allocations/${consumer}`, {
    microversion: VERSION,
    body: {
      allocations: { [provider]: { resources: { VCPU: vcpu } } },
      consumer_generation: null,
      project_id: 'race-project',
      user_id: 'race-user',
      consumer_type: 'INSTANCE',
    },
  });
}

async function expectStatus(target: HttpTarget, request: HttpRequest, expected: number): Promise<string | null> {
  const { completion } = await target.send(request);
  if (statusOf(completion) === expected) return null;
  const got = completion.kind === 'response' ? `${completion.response.status} ${completion.response.body.slice(0, 300)}` : completion.reason;
  return `${request.method} ${request.path}: expected ${expected}, got ${got}`;
}

export async function raceNewConsumer(target: HttpTarget, trials: number, seed: string, interrupted: () => boolean = () => false): Promise<RaceOutcome> {
  const random = Random.stream(seed, 'race-new-consumer');
  const provider = random.uuid();
  const consumers: string[] = [];
  try {
    const setupProblem =
      (await expectStatus(target, placementRequest('POST', '/resource_providers', { microversion: VERSION, body: { name: `race-${provider}`, uuid: provider } }), 200)) ??
      (await expectStatus(
        target,
        placementRequest('PUT', `/resource_providers/${provider}/inventories`, {
          microversion: VERSION,
          body: { resource_provider_generation: 0, inventories: { VCPU: { total: 1_000_000 } } },
        }),
        200,
      ));
    if (setupProblem !== null) return { kind: 'setupFailed', message: setupProblem };
    let bothSucceeded = 0;
    let oneSucceeded = 0;
    let inconclusive = 0;
    let firstExample: string | null = null;
    let trial = 0;
    for (; trial < trials && !interrupted(); trial += 1) {
      const consumer = random.uuid();
      consumers.push(consumer);
      const pair = await Promise.all([target.send(allocate(consumer, provider, 1)), target.send(allocate(consumer, provider, 2))]);
      const statuses = pair.map(({ completion }) => statusOf(completion));
      const successes = statuses.filter((status) => status === 204).length;
      if (successes === 2) {
        bothSucceeded += 1;
        if (firstExample === null) {
          const { completion } = await target.send(placementRequest('GET', `/allocations/${consumer}`, { microversion: VERSION }));
          const after = completion.kind === 'response' ? completion.response.body : completion.reason;
          firstExample = `trial ${trial + 1}, consumer ${consumer}: both PUTs (1 and 2 VCPU, consumer_generation null) answered 204; afterwards ${after}`;
        }
      } else if (successes === 1 && statuses.every((status) => status !== null)) {
        oneSucceeded += 1;
      } else {
        inconclusive += 1;
      }
    }
    return { kind: 'ran', trials: trial, bothSucceeded, oneSucceeded, inconclusive, firstExample };
  } finally {
    for (const consumer of consumers) await target.send(placementRequest('DELETE', `/allocations/${consumer}`, { microversion: VERSION }));
    await target.send(placementRequest('DELETE', `/resource_providers/${provider}`, { microversion: VERSION }));
  }
}
