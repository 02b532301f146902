/**
 * Runs a program on an in-process target under a scheduler: the setup
 * first, one request at a time; then the clients, one step at a time in the
 * order the scheduler picks; then, quiescent, the reads that snapshot the
 * final state. Everything it records comes from the seed and the schedule,
 * so the same inputs give the same history, step for step.
 */
import type { HttpRequest, HttpResponse } from '../model/index.ts';
import { FaultPlan, type FaultEvent } from './faultPlan.ts';
import type { Completion, History, Operation } from './history.ts';
import type { InProcessTarget } from './inProcess/target.ts';
import type { RequestNotes } from './inProcess/placement/scope.ts';
import type { RequestTask, Step, StatementOutcome } from './inProcess/step.ts';
import { Knowledge } from './program/knowledge.ts';
import type { Action, Program } from './program/program.ts';
import { snapshotRequests } from './snapshotRequests.ts';
import { setupRequests } from './setupRequests.ts';
import type { Scheduler } from './schedule/scheduler.ts';

/** Bounds that keep every run finite. */
export interface RunLimits {
  /** Steps one request may take before it counts as never answering. */
  readonly requestStepsMax: number;
  /** Steps of the whole concurrent phase. */
  readonly runStepsMax: number;
}

export const DEFAULT_RUN_LIMITS: RunLimits = { requestStepsMax: 2_000, runStepsMax: 200_000 };

export interface OperationDetail {
  readonly action: Action | null;
  readonly notes: RequestNotes | null;
  /** Statements this request ran, in order (for reports). */
  readonly statements: readonly { readonly tick: number; readonly label: string; readonly transaction: string | null }[];
}

export interface InProcessRun {
  readonly history: History;
  readonly details: ReadonlyMap<number, OperationDetail>;
  readonly schedule: readonly number[];
  readonly faults: readonly FaultEvent[];
  /** Requests that did not finish within the step bound. */
  readonly stalled: readonly number[];
  /** Set when a replayed schedule stopped matching. */
  readonly divergence: string | null;
  readonly stepsCount: number;
  readonly target: InProcessTarget;
}

/**
 * A request being run. A client runs one request at a time, as do the
 * requests running alone, so each keeps the record of its previous request
 * and `begin` fills it in again for the next, rather than making one per
 * request: nothing outside the run loop holds it (`record` copies what the
 * history keeps).
 */
interface InFlight {
  operation: number;
  action: Action | null;
  request: HttpRequest;
  task: RequestTask;
  notes: RequestNotes | null;
  invokedAt: number;
  pending: Step<unknown> | null;
  stepsTaken: number;
  /** When blocked: the target's ending count at that moment. */
  blockedAt: number | null;
  /**
   * The statements it ran are the first `statementsCount` of this list, which
   * belongs to its client (or to the requests running alone): a client runs
   * one request at a time, so its requests can share one list, which keeps
   * its storage, and each request's are copied out at their exact length
   * when it is recorded. A list per request would allocate room for 17 at
   * its first statement, and most requests run a handful.
   */
  readonly statements: StatementRecord[];
  statementsCount: number;
}

type StatementRecord = OperationDetail['statements'][number];

interface ClientState {
  readonly index: number;
  readonly actions: readonly Action[];
  next: number;
  readonly knowledge: Knowledge;
  inFlight: InFlight | null;
  /** Its previous request's record, for its next (see `InFlight`). */
  finished: InFlight | null;
  /** Where its requests list their statements (see `InFlight.statements`). */
  readonly statements: StatementRecord[];
}

/**
 * The lists of runnable clients by set (bit i for client i), for runs of up
 * to RUNNABLE_LISTS_CLIENTS_MAX clients: the scheduler is asked at every
 * step, and the same few sets recur, so each list is built once and shared.
 * The lists are never modified; bounded by the number of sets.
 */
const RUNNABLE_LISTS_CLIENTS_MAX = 8;
const runnableLists: (readonly number[] | undefined)[] = new Array<readonly number[] | undefined>(1 << RUNNABLE_LISTS_CLIENTS_MAX).fill(undefined);

function runnableClients(clients: readonly ClientState[], target: InProcessTarget): readonly number[] {
  // Asked once per step rather than once per blocked client: nothing ends while the clients are looked at.
  const endings = target.endings();
  if (clients.length > RUNNABLE_LISTS_CLIENTS_MAX) return clients.filter((client) => isRunnable(client, endings)).map((client) => client.index);
  let set = 0;
  for (const client of clients) if (isRunnable(client, endings)) set |= 1 << client.index;
  let list = runnableLists[set];
  if (list === undefined) {
    const built: number[] = [];
    for (let index = 0; index < RUNNABLE_LISTS_CLIENTS_MAX; index += 1) if ((set & (1 << index)) !== 0) built.push(index);
    list = built;
    runnableLists[set] = list;
  }
  return list;
}

/** `endings`: the target's count of ended transactions now. */
function isRunnable(client: ClientState, endings: number): boolean {
  const flight = client.inFlight;
  if (flight === null) return client.next < client.actions.length;
  return flight.blockedAt === null || endings > flight.blockedAt;
}

/**
 * One run's loop state and the steps it takes: a class rather than closures
 * made per run (the TypeScript loader names each closure as it is made, and
 * their shared variables live in a context object), so a run makes one
 * object and its methods cost nothing to set up.
 */
class RunLoop {
  /**
   * Operations at the index of their id. Ids are handed out in invocation
   * order and ticks never go back, so id order is the history's order (by
   * invocation tick, then id) and no sort is needed; an id is missing only
   * for a request that never finished being recorded (a diverged replay).
   */
  readonly recorded: (Operation | undefined)[] = [];
  readonly details = new Map<number, OperationDetail>();
  tick = 0;
  /** Operation ids follow invocation order. */
  private nextOperation = 0;
  /** Where the requests running alone list their statements (see `InFlight.statements`). */
  private readonly aloneStatements: StatementRecord[] = [];
  private aloneFinished: InFlight | null = null;

  constructor(
    readonly target: InProcessTarget,
    readonly limits: RunLimits,
    /** The fault plan when it can fail a step, else null (it is then never asked). */
    private readonly faults: FaultPlan | null,
  ) {}

  record(flight: InFlight, client: number, step: number, completion: Completion, completedAt: number | null): void {
    this.recorded[flight.operation] = { id: flight.operation, client, step, request: flight.request, invokedAt: flight.invokedAt, completedAt, completion };
    this.details.set(flight.operation, { action: flight.action, notes: flight.notes, statements: flight.statements.slice(0, flight.statementsCount) });
  }

  /** Starts a request in `reused` (the previous record of its client, or null for a new one listing its statements in `statements`). */
  begin(request: HttpRequest, action: Action | null, statements: StatementRecord[], reused: InFlight | null): InFlight {
    const started = this.target.start(request);
    const operation = this.nextOperation;
    this.nextOperation += 1;
    if (reused === null) {
      return { operation, action, request, task: started.task, notes: started.notes, invokedAt: this.tick, pending: null, stepsTaken: 0, blockedAt: null, statements, statementsCount: 0 };
    }
    reused.operation = operation;
    reused.action = action;
    reused.request = request;
    reused.task = started.task;
    reused.notes = started.notes;
    reused.invokedAt = this.tick;
    reused.pending = null;
    reused.stepsTaken = 0;
    reused.blockedAt = null;
    reused.statementsCount = 0;
    return reused;
  }

  /** Advances a request by one step; returns the response when it finishes. `faulted`: whether the fault plan may fail the step. */
  advance(flight: InFlight, client: number, faulted: boolean): HttpResponse | 'blocked' | null {
    let outcome: StatementOutcome<unknown> | undefined;
    if (flight.pending !== null) {
      const step = flight.pending;
      const faults = faulted ? this.faults : null;
      const injected = faults !== null ? faults.decide(step, { tick: this.tick, client, operation: flight.operation }) : null;
      const result = injected === null ? step.run() : ({ kind: 'failed', error: injected } as const);
      if (result.kind === 'blocked') {
        flight.blockedAt = this.target.endings();
        return 'blocked';
      }
      flight.statements[flight.statementsCount] = { tick: this.tick, label: step.label, transaction: step.transaction?.label ?? null };
      flight.statementsCount += 1;
      outcome = result;
    }
    flight.blockedAt = null;
    flight.stepsTaken += 1;
    const next = outcome === undefined ? flight.task.next(undefined as unknown as StatementOutcome<unknown>) : flight.task.next(outcome);
    if (next.done === true) return next.value;
    flight.pending = next.value;
    return null;
  }

  /** Runs a request alone to completion (setup and snapshot phases). */
  runAlone(request: HttpRequest, client: number, step: number): HttpResponse {
    const flight = this.begin(request, null, this.aloneStatements, this.aloneFinished);
    this.aloneFinished = flight;
    const stepsMax = this.limits.requestStepsMax;
    for (let steps = 0; steps < stepsMax; steps += 1) {
      const response = this.advance(flight, client, false);
      this.tick += 1;
      if (response === 'blocked') throw new Error(`a request running alone was blocked: ${request.method} ${request.path}`);
      if (response !== null) {
        this.record(flight, client, step, { kind: 'response', response }, this.tick);
        return response;
      }
    }
    throw new Error(`a request running alone did not finish in ${stepsMax} steps: ${request.method} ${request.path}`);
  }
}

export function runInProcess(
  program: Program,
  target: InProcessTarget,
  scheduler: Scheduler,
  faultPlan: FaultPlan,
  limits: RunLimits = DEFAULT_RUN_LIMITS,
): InProcessRun {
  const loop = new RunLoop(target, limits, faultPlan.injects ? faultPlan : null);
  const stalled: number[] = [];
  let divergence: string | null = null;

  const setupKnowledge = new Knowledge();
  const setup = setupRequests(program);
  for (let index = 0; index < setup.length; index += 1) {
    const { request, action } = setup[index] as (typeof setup)[number];
    const response = loop.runAlone(request, -1, index);
    if (action !== null) setupKnowledge.learn(action, response);
  }

  const clients: ClientState[] = [];
  for (let index = 0; index < program.clients.length; index += 1) {
    clients.push({ index, actions: program.clients[index] as readonly Action[], next: 0, knowledge: setupKnowledge.copy(), inFlight: null, finished: null, statements: [] });
  }
  for (let steps = 0; steps < limits.runStepsMax; steps += 1) {
    const runnable = runnableClients(clients, target);
    if (runnable.length === 0) {
      if (clients.some(hasRequestInFlight)) {
        throw new Error('every client with a request in flight is blocked: a transaction was left open');
      }
      break;
    }
    const choice = scheduler.choose(runnable);
    if (choice.kind === 'diverged') {
      divergence = choice.reason;
      break;
    }
    const client = clients[choice.client];
    if (client === undefined) throw new Error(`scheduler chose unknown client ${choice.client}`);
    if (client.inFlight === null) {
      const action = client.actions[client.next];
      if (action === undefined) throw new Error('a runnable client without actions');
      client.inFlight = loop.begin(client.knowledge.render(action), action, client.statements, client.finished);
    }
    const flight = client.inFlight;
    const response = loop.advance(flight, client.index, true);
    loop.tick += 1;
    if (response === 'blocked') continue;
    if (response !== null) {
      loop.record(flight, client.index, client.next, { kind: 'response', response }, loop.tick);
      if (flight.action !== null) client.knowledge.learn(flight.action, response);
      client.inFlight = null;
      client.finished = flight;
      client.next += 1;
    } else if (flight.stepsTaken >= limits.requestStepsMax) {
      loop.record(flight, client.index, client.next, { kind: 'unknown', reason: `no answer within ${limits.requestStepsMax} steps` }, null);
      stalled.push(flight.operation);
      client.inFlight = null;
      client.finished = flight;
      client.next = client.actions.length;
    }
  }
  if (divergence === null) {
    const snapshot = snapshotRequests(program);
    for (let index = 0; index < snapshot.length; index += 1) loop.runAlone(snapshot[index] as HttpRequest, -2, index);
  }
  const operations: Operation[] = [];
  const recorded = loop.recorded;
  for (let id = 0; id < recorded.length; id += 1) {
    const operation = recorded[id];
    if (operation !== undefined) operations.push(operation);
  }
  return {
    history: { operations },
    details: loop.details,
    schedule: scheduler.choices,
    faults: faultPlan.events,
    stalled,
    divergence,
    stepsCount: loop.tick,
    target,
  };
}

function hasRequestInFlight(client: ClientState): boolean {
  return client.inFlight !== null;
}
