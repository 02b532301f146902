/**
 * Runs a program against a live Placement with truly concurrent clients:
 * reset the service to empty, the setup requests one at a time (client -1),
 * every client at once, each on its own connection, each sending its
 * actions in order and learning from the answers exactly as on the
 * in-process target; then, quiescent, the snapshot reads (client -2) and
 * the consumer probes (not part of the history: they are observations of
 * rows the API hides, see consumerProbe.ts).
 *
 * Times are monotonic nanoseconds from the start of the run. They order
 * the operations for the checkers and never go into anything that must
 * replay: a live run's interleaving is the service's, not ours.
 *
 * A replay of a live report passes a start gate (startOrderGate.ts): each
 * client request then waits until the requests recorded before it have been
 * sent. Without a gate, clients send as fast as their answers come.
 */
import type { HttpRequest, HttpResponse } from '../../model/index.ts';
import { resetPlacementAt } from '../../services/placement/service.ts';
import { createHttpTarget, type HttpTarget } from '../http/createHttpTarget.ts';
import type { Completion, History, Operation } from '../history.ts';
import { Knowledge } from '../program/knowledge.ts';
import type { Action, Program } from '../program/program.ts';
import { setupRequests } from '../setupRequests.ts';
import { snapshotRequests } from '../snapshotRequests.ts';
import { consumerProbeRequest, interpretConsumerProbe, type ConsumerProbe } from './consumerProbe.ts';
import type { ResetAuthority } from './resetAuthority.ts';
import type { StartGate } from './startOrderGate.ts';

export interface LiveLimits {
  /** Time allowed for one request; past it the outcome is unknown. */
  readonly requestTimeoutMs: number;
}

export const DEFAULT_LIVE_LIMITS: LiveLimits = { requestTimeoutMs: 30_000 };

/** Wall-clock phases of one run, in milliseconds, for throughput figures. */
export interface LiveTimings {
  readonly resetMs: number;
  readonly setupMs: number;
  readonly clientsMs: number;
  readonly snapshotMs: number;
  readonly probesMs: number;
}

export interface LiveRun {
  readonly history: History;
  readonly consumerProbes: readonly ConsumerProbe[];
  /** Client operations with an unknown outcome; their client stopped there. */
  readonly stalled: readonly number[];
  readonly timings: LiveTimings;
  /** Requests the concurrent clients sent. */
  readonly clientRequestsCount: number;
}

export type LiveRunProblem = { readonly kind: 'resetFailed'; readonly message: string };

const SETUP_CLIENT = -1;
const SNAPSHOT_CLIENT = -2;

export async function runLive(
  program: Program,
  authority: ResetAuthority,
  limits: LiveLimits = DEFAULT_LIVE_LIMITS,
  gate: StartGate | null = null,
): Promise<LiveRun | LiveRunProblem> {
  const phaseStart = process.hrtime.bigint();
  const reset = await resetPlacementAt(authority.url);
  if (!reset.ok) return { kind: 'resetFailed', message: reset.failure.message };

  const runStart = process.hrtime.bigint();
  const elapsedNs = (): number => Number(process.hrtime.bigint() - runStart);
  const operations: Operation[] = [];
  let nextId = 0;
  const targets: HttpTarget[] = [];
  // One target (one agent, one socket) per client: each client has its own
  // connection, kept alive where the server allows it.
  const newTarget = (): HttpTarget => {
    const target = createHttpTarget(authority.url, { timeoutMs: limits.requestTimeoutMs, socketsMax: 1 });
    targets.push(target);
    return target;
  };
  /**
   * Sends one request and records it; the id is taken at invocation so ids
   * follow invocation order. `onSent` runs once the request has been handed
   * to the HTTP client (send() starts the exchange before its first await),
   * the same moment `invokedAt` stands for.
   */
  const perform = async (target: HttpTarget, client: number, step: number, request: HttpRequest, onSent: (() => void) | null = null): Promise<Completion> => {
    const id = nextId;
    nextId += 1;
    const invokedAt = elapsedNs();
    const pending = target.send(request);
    onSent?.();
    const { completion } = await pending;
    // An unknown outcome may still take effect later: it has no completion time.
    const completedAt = completion.kind === 'response' ? elapsedNs() : null;
    operations.push({ id, client, step, request, invokedAt, completedAt, completion });
    return completion;
  };

  try {
    const setupStart = process.hrtime.bigint();
    const setupTarget = newTarget();
    const setupKnowledge = new Knowledge();
    const setup = setupRequests(program);
    for (const [index, { request, action }] of setup.entries()) {
      const completion = await perform(setupTarget, SETUP_CLIENT, index, request);
      if (action !== null && completion.kind === 'response') setupKnowledge.learn(action, completion.response);
    }

    const clientsStart = process.hrtime.bigint();
    const stalled: number[] = [];
    const runClient = async (actions: readonly Action[], client: number): Promise<void> => {
      const target = newTarget();
      const knowledge = setupKnowledge.copy();
      try {
        for (const [step, action] of actions.entries()) {
          if (gate !== null) await gate.turn(client, step);
          const id = nextId;
          const completion = await perform(target, client, step, knowledge.render(action), gate === null ? null : () => gate.sent(client, step));
          if (completion.kind === 'unknown') {
            // As on the in-process target, a client stops at a request that
            // never answered: what it would send next depends on that answer.
            stalled.push(id);
            return;
          }
          knowledge.learn(action, completion.response);
        }
      } finally {
        // Requests this client will not send must not hold up the others.
        gate?.finished(client);
      }
    };
    await Promise.all(program.clients.map((actions, client) => runClient(actions, client)));
    const clientRequestsCount = nextId - setup.length;

    const snapshotStart = process.hrtime.bigint();
    const snapshotTarget = newTarget();
    const consumerReads = new Map<string, Completion>();
    for (const [index, request] of snapshotRequests(program).entries()) {
      const completion = await perform(snapshotTarget, SNAPSHOT_CLIENT, index, request);
      const consumer = consumerOfRead(program, request);
      if (consumer !== null) consumerReads.set(consumer, completion);
    }

    const probesStart = process.hrtime.bigint();
    const consumerProbes: ConsumerProbe[] = [];
    for (const consumer of program.consumers) {
      const read = consumerReads.get(consumer);
      if (read === undefined || !showsNoAllocations(read)) continue;
      const { completion } = await snapshotTarget.send(consumerProbeRequest(consumer));
      consumerProbes.push(interpretConsumerProbe(consumer, completion));
    }
    const end = process.hrtime.bigint();

    operations.sort((left, right) => left.invokedAt - right.invokedAt || left.id - right.id);
    return {
      history: { operations },
      consumerProbes,
      stalled,
      clientRequestsCount,
      timings: {
        resetMs: milliseconds(runStart - phaseStart),
        setupMs: milliseconds(clientsStart - setupStart),
        clientsMs: milliseconds(snapshotStart - clientsStart),
        snapshotMs: milliseconds(probesStart - snapshotStart),
        probesMs: milliseconds(end - probesStart),
      },
    };
  } finally {
    for (const target of targets) target.close();
  }
}

function milliseconds(nanoseconds: bigint): number {
  return Number(nanoseconds) / 1e6;
}

function consumerOfRead(program: Program, request: HttpRequest): string | null {
  if (request.method !== 'GET' || !request.path.startsWith('/allocations/')) return null;
  const consumer = request.path.slice('/allocations/'.length);
  return program.consumers.includes(consumer) ? consumer : null;
}

/** A 200 whose `allocations` is empty: the API cannot say whether a consumer row exists. */
function showsNoAllocations(completion: Completion): boolean {
  if (completion.kind !== 'response') return false;
  return completion.response.status === 200 && isEmptyAllocations(completion.response);
}

function isEmptyAllocations(response: HttpResponse): boolean {
  try {
    const body: unknown = JSON.parse(response.body);
    if (typeof body !== 'object' || body === null) return false;
    const allocations = (body as Record<string, unknown>)['allocations'];
    return typeof allocations === 'object' && allocations !== null && Object.keys(allocations).length === 0;
  } catch {
    return false;
  }
}
