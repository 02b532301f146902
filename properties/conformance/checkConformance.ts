/**
 * The conformance property: for seeded random sequences of requests, every
 * response of the real service equals the model's, after normalisation,
 * unless a named finding explains the difference.
 *
 * fast-check generates the sequences and shrinks a failing one. Generation
 * runs in rounds until the request budget is spent: round r uses the seed
 * `seed + r`, and each round asks for as many sequences as the remaining
 * budget needs at the average length. The same seed and budget therefore
 * always give the same sequences.
 *
 * Exploration stops at the first unexplained mismatch. Shrinking re-runs
 * both sides for every candidate (a reset, then the sequence), so it has
 * its own budget of runs: fast-check's shrinking first, then deletion of
 * whole requests (`removeRequests`). The smallest sequence that still shows
 * a mismatch with the same signature is kept.
 */
import fc from 'fast-check';
import type { HttpRequest, HttpResponse } from '../../model/index.ts';
import type { Finding } from '../findings.ts';
import type { RequestPlan } from './action.ts';
import type { ConformanceTarget } from './conformanceTarget.ts';
import { mismatchSignature } from './mismatchSignature.ts';
import { removeRequests } from './removeRequests.ts';
import { runPlannedSequence, type RunContext, type SequenceRun } from './runSequence.ts';
import { defaultSequenceShape, sequenceArbitrary, SETUP_LENGTH_MAX, type SequenceShape } from './sequenceArbitrary.ts';

export interface ConformanceOptions {
  readonly seed: number;
  /** Requests to send to the real service in total, at least. */
  readonly requestsTarget: number;
  /** Sequence runs shrinking may spend. */
  readonly shrinkRunsMax: number;
  readonly sequenceShape?: SequenceShape;
  readonly target: ConformanceTarget;
  readonly findings: readonly Finding[];
  readonly mutateModelResponse?: (request: HttpRequest, response: HttpResponse) => HttpResponse;
  /** Called after every explored sequence, for progress output. */
  readonly onSequence?: (statistics: ConformanceStatistics) => void;
}

export interface ConformanceStatistics {
  readonly sequences: number;
  readonly requestsSent: number;
  /** Requests whose responses matched. */
  readonly requestsMatched: number;
  /** Sequences ended by an explained difference, per finding name. */
  readonly explained: Readonly<Record<string, number>>;
  /** Requests planned after an explained difference, not sent. */
  readonly requestsNotCompared: number;
  /** Time spent waiting for the service (requests and resets), exploration only. */
  readonly serviceWaitNs: number;
}

/** A mismatch before and after shrinking; `plans` are the requests up to and including the differing one. */
export interface ShrunkMismatch {
  readonly signature: string;
  readonly seed: number;
  readonly round: number;
  readonly original: { readonly plans: readonly RequestPlan[]; readonly run: SequenceRun };
  readonly shrunk: { readonly plans: readonly RequestPlan[]; readonly run: SequenceRun };
  readonly shrinkRuns: number;
  readonly shrinkRunsMax: number;
}

export type ConformanceOutcome =
  | { readonly kind: 'passed' }
  | { readonly kind: 'mismatch'; readonly mismatch: ShrunkMismatch }
  /** The service gave no response to a request; nothing could be compared. */
  | { readonly kind: 'inconclusive'; readonly run: SequenceRun; readonly reason: string }
  | { readonly kind: 'resetFailed'; readonly message: string };

export interface ConformanceResult {
  readonly statistics: ConformanceStatistics;
  readonly outcome: ConformanceOutcome;
}

/** Rounds are a safety net; one or two normally spend the budget. */
const ROUNDS_MAX = 1_000;

/** Share of the shrink budget for fast-check's pass; `removeRequests` gets the rest. */
const FAST_CHECK_SHARE = 0.6;

export function averageSequenceLength(shape: SequenceShape): number {
  return SETUP_LENGTH_MAX / 2 + (1 + shape.randomLengthMax) / 2;
}

type Phase =
  | { readonly kind: 'exploring' }
  | { readonly kind: 'shrinking'; readonly mismatch: ShrunkMismatch }
  | { readonly kind: 'stopped'; readonly outcome: ConformanceOutcome };

export async function checkConformance(options: ConformanceOptions): Promise<ConformanceResult> {
  const shape = options.sequenceShape ?? defaultSequenceShape;
  const context: RunContext = {
    target: options.target,
    findings: options.findings,
    ...(options.mutateModelResponse === undefined ? {} : { mutateModelResponse: options.mutateModelResponse }),
  };
  const statistics = { sequences: 0, requestsSent: 0, requestsMatched: 0, requestsNotCompared: 0, serviceWaitNs: 0 };
  const explained: Record<string, number> = {};
  const snapshot = (): ConformanceStatistics => ({ ...statistics, explained: { ...explained } });
  let phase: Phase = { kind: 'exploring' };
  // Read through a function: the property's callbacks change the phase, which narrowing cannot see.
  const currentPhase = (): Phase => phase;
  let round = 0;

  const explore = async (plans: readonly RequestPlan[]): Promise<boolean> => {
    const run = await runPlannedSequence(plans, context);
    statistics.sequences += 1;
    statistics.requestsSent += run.steps.length;
    statistics.requestsNotCompared += run.verdict.kind === 'explained' ? run.requestsNotSent : 0;
    statistics.serviceWaitNs += run.serviceWaitNs;
    statistics.requestsMatched += run.steps.filter((step) => step.real.kind === 'response' && step.differences.length === 0).length;
    options.onSequence?.(snapshot());
    switch (run.verdict.kind) {
      case 'matched':
        return true;
      case 'explained':
        explained[run.verdict.finding] = (explained[run.verdict.finding] ?? 0) + 1;
        return true;
      case 'mismatch': {
        const signature = mismatchSignature(run) ?? 'mismatch';
        const found = { plans: sentPlans(plans, run), run };
        phase = {
          kind: 'shrinking',
          mismatch: { signature, seed: options.seed, round, original: found, shrunk: found, shrinkRuns: 0, shrinkRunsMax: options.shrinkRunsMax },
        };
        return false;
      }
      case 'inconclusive':
        phase = { kind: 'stopped', outcome: { kind: 'inconclusive', run, reason: run.verdict.reason } };
        return false;
      case 'resetFailed':
        phase = { kind: 'stopped', outcome: { kind: 'resetFailed', message: run.verdict.message } };
        return false;
      default:
        return assertNever(run.verdict);
    }
  };

  // fast-check's pass gets most of the budget; the removal pass after it the rest.
  const fastCheckRunsMax = Math.ceil(options.shrinkRunsMax * FAST_CHECK_SHARE);
  const shrinkStep = async (mismatch: ShrunkMismatch, plans: readonly RequestPlan[]): Promise<boolean> => {
    if (mismatch.shrinkRuns >= fastCheckRunsMax) return true;
    const run = await runPlannedSequence(plans, context);
    const shrinkRuns = mismatch.shrinkRuns + 1;
    const stillFails = mismatchSignature(run) === mismatch.signature;
    phase = { kind: 'shrinking', mismatch: { ...mismatch, shrinkRuns, shrunk: stillFails ? { plans: sentPlans(plans, run), run } : mismatch.shrunk } };
    return !stillFails;
  };

  const property = fc.asyncProperty(sequenceArbitrary(shape), async (plans) => {
    switch (phase.kind) {
      case 'exploring':
        // Past the budget the remaining runs of a round are skipped.
        return statistics.requestsSent >= options.requestsTarget ? true : explore(plans);
      case 'shrinking':
        return shrinkStep(phase.mismatch, plans);
      case 'stopped':
        return true;
      default:
        return assertNever(phase);
    }
  });

  while (currentPhase().kind === 'exploring' && statistics.requestsSent < options.requestsTarget && round < ROUNDS_MAX) {
    const remaining = options.requestsTarget - statistics.requestsSent;
    const numRuns = Math.ceil(remaining / averageSequenceLength(shape)) + 1;
    await fc.check(property, { seed: options.seed + round, numRuns });
    round += 1;
  }
  const finalPhase = currentPhase();
  switch (finalPhase.kind) {
    case 'exploring':
      return { statistics: snapshot(), outcome: { kind: 'passed' } };
    case 'shrinking': {
      const mismatch = finalPhase.mismatch;
      const removal = await removeRequests(mismatch.shrunk, mismatch.signature, context, mismatch.shrinkRunsMax - mismatch.shrinkRuns);
      const shrunk = { plans: removal.plans, run: removal.run };
      return { statistics: snapshot(), outcome: { kind: 'mismatch', mismatch: { ...mismatch, shrunk, shrinkRuns: mismatch.shrinkRuns + removal.runs } } };
    }
    case 'stopped':
      return { statistics: snapshot(), outcome: finalPhase.outcome };
    default:
      return assertNever(finalPhase);
  }
}

/** A run stops at its first difference: the plans after it were never sent and say nothing. */
function sentPlans(plans: readonly RequestPlan[], run: SequenceRun): readonly RequestPlan[] {
  return plans.slice(0, run.steps.length);
}

function assertNever(value: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
}
