/**
 * The deterministic scheduler: which runnable client takes the next step.
 *
 * A random scheduler keeps running the current client until a seeded coin
 * says to switch, so requests sometimes run uninterrupted and sometimes
 * interleave at every statement. Every choice is recorded; a replay
 * scheduler follows a recorded list exactly.
 */
import type { Random } from '../random.ts';

export type SchedulerChoice = { readonly kind: 'client'; readonly client: number } | { readonly kind: 'diverged'; readonly reason: string };

export interface Scheduler {
  choose(runnable: readonly number[]): SchedulerChoice;
  /** The choices made so far, in order. */
  readonly choices: readonly number[];
}

/**
 * The choice of each client, made once: the scheduler answers every step,
 * and a choice is never modified. Bounded by the number of clients.
 */
const clientChoices: SchedulerChoice[] = [];

function choiceOf(client: number): SchedulerChoice {
  let choice = clientChoices[client];
  if (choice === undefined) {
    choice = { kind: 'client', client };
    clientChoices[client] = choice;
  }
  return choice;
}

export class RandomScheduler implements Scheduler {
  readonly choices: number[] = [];
  private current = -1;

  constructor(
    private readonly random: Random,
    private readonly switchProbability: number,
  ) {}

  choose(runnable: readonly number[]): SchedulerChoice {
    if (runnable.length === 0) return { kind: 'diverged', reason: 'no runnable client' };
    // One draw for the coin and one for the pick, every time, keeps streams aligned.
    const stay = !this.random.chance(this.switchProbability);
    const picked = this.random.pick(runnable);
    const client = stay && runnable.includes(this.current) ? this.current : picked;
    this.current = client;
    this.choices.push(client);
    return choiceOf(client);
  }
}

export class ReplayScheduler implements Scheduler {
  readonly choices: number[] = [];
  private position = 0;

  constructor(private readonly recorded: readonly number[]) {}

  choose(runnable: readonly number[]): SchedulerChoice {
    const client = this.recorded[this.position];
    if (client === undefined) return { kind: 'diverged', reason: `the recorded schedule ended after ${this.position} choices` };
    if (!runnable.includes(client)) {
      return { kind: 'diverged', reason: `choice ${this.position} names client ${client}, which is not runnable (runnable: ${runnable.join(', ')})` };
    }
    this.position += 1;
    this.choices.push(client);
    return choiceOf(client);
  }
}

/**
 * Follows a recorded schedule where it still fits and fills in where it does
 * not: a choice naming a client that cannot run is skipped, and once the
 * record runs out the lowest runnable client goes. Shrinking uses it to
 * carry an interleaving over to a smaller program; the choices it actually
 * made become the smaller program's schedule.
 */
export class LenientReplayScheduler implements Scheduler {
  readonly choices: number[] = [];
  private position = 0;

  constructor(private readonly recorded: readonly number[]) {}

  choose(runnable: readonly number[]): SchedulerChoice {
    if (runnable.length === 0) return { kind: 'diverged', reason: 'no runnable client' };
    // Bounded by the recorded length: each skip consumes one entry.
    while (this.position < this.recorded.length) {
      const client = this.recorded[this.position] ?? -1;
      this.position += 1;
      if (runnable.includes(client)) {
        this.choices.push(client);
        return { kind: 'client', client };
      }
    }
    const client = Math.min(...runnable);
    this.choices.push(client);
    return { kind: 'client', client };
  }
}
