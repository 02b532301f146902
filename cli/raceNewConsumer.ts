/**
 * `npm run race:new-consumer -- --target placement:sqlite|mariadb|postgresql|URL [--trials N] [--seed S]`
 *
 * A targeted live check of one concurrent finding,
 * `concurrent-create-overwritten` (sim/live/raceNewConsumer.ts): pairs of
 * simultaneous writes for the same new consumer, both with
 * `consumer_generation: null`. Exit 1 when both writes of some pair
 * succeeded (the finding reproduced), 0 when none did, 2 on usage or setup
 * errors.
 */
import { createHttpTarget } from '../sim/http/createHttpTarget.ts';
import { raceNewConsumer } from '../sim/live/raceNewConsumer.ts';
import { parseOptions, settleExitCode, usageError } from './options.ts';
import { withLiveTarget } from './withLiveTarget.ts';

const USAGE = `usage: npm run race:new-consumer -- --target placement:sqlite|placement:mariadb|placement:postgresql|<url>
                                  [--trials N] [--seed S] [--workers N] (placement:DB) [--allow-reset] (a URL this project did not start)`;

const SPEC = { target: 'string', trials: 'integer', seed: 'string', workers: 'integer', 'allow-reset': 'boolean' } as const;
const DEFAULT_TRIALS = 200;

async function race(url: string, trials: number, seed: string, interrupted: () => boolean): Promise<number> {
  const target = createHttpTarget(url, { timeoutMs: 10_000, socketsMax: 4 });
  try {
    const outcome = await raceNewConsumer(target, trials, seed, interrupted);
    if (outcome.kind === 'setupFailed') {
      process.stderr.write(`setup failed: ${outcome.message}\n`);
      return 2;
    }
    process.stdout.write(
      `${outcome.trials} trials (seed ${seed}): both writes succeeded in ${outcome.bothSucceeded}, exactly one in ${outcome.oneSucceeded}, inconclusive ${outcome.inconclusive}\n`,
    );
    if (outcome.firstExample !== null) {
      process.stdout.write(`reproduced concurrent-create-overwritten: ${outcome.firstExample}\n`);
      return 1;
    }
    process.stdout.write('not reproduced: in every trial at most one write succeeded\n');
    return 0;
  } finally {
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
  const outcome = withLiveTarget({ target: values.target, workers: values.workers, allowReset: values['allow-reset'] === true }, ({ description }, interrupted) =>
    race(description.url, trials, seed, interrupted),
  );
  settleExitCode(outcome, 'the race', USAGE);
}

main();
