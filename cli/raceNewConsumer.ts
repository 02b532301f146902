/**
 * `npm run race:new-consumer -- --target placement:sqlite|mariadb|postgresql|URL [--trials N] [--seed S]`
 *
 * A targeted live check of one concurrent finding,
 * `concurrent-create-overwritten`: two writes for the same new consumer, both
 * with `consumer_generation: null`, sent at once. Placement's promise is that
 * at most one succeeds (the other must get 409: the consumer it expected not
 * to exist does). 8.0.0's `_create_consumer` takes over the row the other
 * request just inserted without comparing generations, so sometimes both
 * answer 204 and the second replaces the first's allocations.
 *
 * Each trial uses a fresh consumer (uuids from the seed) on one provider this
 * command creates, with ample capacity, so capacity never decides the race.
 * Nothing is reset: the provider is removed at the end (and its allocations
 * first). Exit 1 when some trial showed two successes (the finding
 * reproduced), 0 when none did, 2 on usage or setup errors.
 */
import { placementRequest, type HttpRequest } from '../model/index.ts';
import { createHttpTarget, type HttpTarget } from '../sim/http/createHttpTarget.ts';
import type { Completion } from '../sim/history.ts';
import { Random } from '../sim/random.ts';
import { parseOptions, settleExitCode, usageError } from './options.ts';
import { withLiveTarget, type LiveSetupProblem } from './withLiveTarget.ts';

const USAGE = `usage: npm run race:new-consumer -- --target placement:sqlite|placement:mariadb|placement:postgresql|<url>
                                  [--trials N] [--seed S] [--workers N] (placement:DB) [--allow-reset] (a URL this project did not start)`;

const SPEC = { target: 'string', trials: 'integer', seed: 'string', workers: 'integer', 'allow-reset': 'boolean' } as const;
const DEFAULT_TRIALS = 200;
const VERSION = '1.39';

interface Tally {
  readonly bothSucceeded: number;
  readonly oneSucceeded: number;
  /** Trials where a request got no response, or neither succeeded: nothing to conclude. */
  readonly inconclusive: number;
  readonly firstExample: string | null;
}

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
  const status = statusOf(completion);
  if (status === expected) return null;
  const got = completion.kind === 'response' ? `${completion.response.status} ${completion.response.body.slice(0, 300)}` : completion.reason;
  return `${request.method} ${request.path}: expected ${expected}, got ${got}`;
}

async function race(url: string, trials: number, seed: string, interrupted: () => boolean): Promise<number> {
  const random = Random.stream(seed, 'race-new-consumer');
  const target = createHttpTarget(url, { timeoutMs: 10_000, socketsMax: 4 });
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
    if (setupProblem !== null) {
      process.stderr.write(`setup failed: ${setupProblem}\n`);
      return 2;
    }
    let tally: Tally = { bothSucceeded: 0, oneSucceeded: 0, inconclusive: 0, firstExample: null };
    for (let trial = 0; trial < trials && !interrupted(); trial += 1) {
      const consumer = random.uuid();
      consumers.push(consumer);
      const [first, second] = await Promise.all([target.send(allocate(consumer, provider, 1)), target.send(allocate(consumer, provider, 2))]);
      const statuses = [statusOf(first.completion), statusOf(second.completion)];
      const successes = statuses.filter((status) => status === 204).length;
      if (successes === 2) {
        const { completion } = await target.send(placementRequest('GET', `/allocations/${consumer}`, { microversion: VERSION }));
        const after = completion.kind === 'response' ? completion.response.body : completion.reason;
        tally = {
          ...tally,
          bothSucceeded: tally.bothSucceeded + 1,
          firstExample: tally.firstExample ?? `trial ${trial + 1}, consumer ${consumer}: both PUTs (1 and 2 VCPU, consumer_generation null) answered 204; afterwards ${after}`,
        };
      } else if (successes === 1 && statuses.every((status) => status !== null)) {
        tally = { ...tally, oneSucceeded: tally.oneSucceeded + 1 };
      } else {
        tally = { ...tally, inconclusive: tally.inconclusive + 1 };
      }
    }
    const ran = tally.bothSucceeded + tally.oneSucceeded + tally.inconclusive;
    process.stdout.write(
      `${ran} trials (seed ${seed}): both writes succeeded in ${tally.bothSucceeded}, exactly one in ${tally.oneSucceeded}, inconclusive ${tally.inconclusive}\n`,
    );
    if (tally.firstExample !== null) {
      process.stdout.write(`reproduced concurrent-create-overwritten: ${tally.firstExample}\n`);
      return 1;
    }
    process.stdout.write('not reproduced: in every trial at most one write succeeded\n');
    return 0;
  } finally {
    // Remove what the trials made, so a shared service is left as it was.
    for (const consumer of consumers) await target.send(placementRequest('DELETE', `/allocations/${consumer}`, { microversion: VERSION }));
    await target.send(placementRequest('DELETE', `/resource_providers/${provider}`, { microversion: VERSION }));
    target.close();
  }
}

function main(): void {
  const parsed = parseOptions(process.argv.slice(2), SPEC, USAGE);
  if (parsed.kind === 'error') return usageError(parsed.message, USAGE);
  const { values } = parsed;
  if (values.target === undefined) return usageError('--target is required', USAGE);
  const trials = values.trials ?? DEFAULT_TRIALS;
  if (trials < 1) return usageError(`--trials must be at least 1, got ${trials}`, USAGE);
  const seed = values.seed ?? '1';
  const outcome: Promise<number | LiveSetupProblem> = withLiveTarget(
    { target: values.target, workers: values.workers, allowReset: values['allow-reset'] === true },
    ({ description }, interrupted) => race(description.url, trials, seed, interrupted),
  );
  settleExitCode(outcome, 'the race', USAGE);
}

main();
