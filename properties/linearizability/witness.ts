/**
 * Why a history is not linearizable, as data a reader can check by hand.
 *
 * The search's furthest dead end is a prefix: an order of some operations,
 * consistent with real time, in which the model explains every response.
 * From there, some operation must come next: the earliest-returning one left
 * must be linearized before it returned, so only operations called by then
 * are candidates. For each candidate the witness records what the model
 * answers in that state next to what the service answered; a candidate the
 * model does explain there led only to dead ends further on (the search
 * tried it).
 */
import { renderAnswer, type Answer } from '../../model/handle.ts';
import type { HttpResponse, State } from '../../model/index.ts';
import type { Operation } from '../../sim/history.ts';
import type { ModelResults, StateNode } from './modelResults.ts';
import type { PreparedOperation } from './preparedOperation.ts';
import { answerDifference, type ResponseDifference } from './responseMatch.ts';
import type { DeadEnd } from './searchPartition.ts';

export type CandidateOutcome =
  /** The model's response in that state does not explain the observed one. */
  | { readonly kind: 'mismatch'; readonly expected: HttpResponse; readonly observed: HttpResponse; readonly difference: ResponseDifference }
  /** The model explains it there, but every continuation failed later. */
  | { readonly kind: 'explainedThenStuck'; readonly expected: HttpResponse }
  /** Its outcome is unknown, so it could happen there, but every continuation failed later. */
  | { readonly kind: 'unknownThenStuck' };

export interface Candidate {
  readonly operation: Operation;
  readonly outcome: CandidateOutcome;
}

export interface Witness {
  /** Ids of every operation of the partition that has no linearization. */
  readonly partitionOperationIds: readonly number[];
  /** Ids of the longest explained prefix, in linearized order. */
  readonly prefix: readonly number[];
  /** The remaining operation that returned first: something had to be placed before it returned. */
  readonly earliestReturn: Operation | null;
  /** Operations that could be placed next after the prefix, and what happens if they are. */
  readonly candidates: readonly Candidate[];
  /** The model's state after the prefix, for tools that want to show more. */
  readonly stateAfterPrefix: State;
}

/** `results` answers each candidate in the dead end's state (the search usually asked already). */
export function buildWitness(operations: readonly PreparedOperation[], deadEnd: DeadEnd, results: ModelResults): Witness {
  // Loops over the partition's operations rather than lists of pairs: a witness is built for most runs.
  // Zero-filled at birth, one byte per operation.
  const inPrefix = new Uint8Array(operations.length);
  for (const index of deadEnd.prefix) inPrefix[index] = 1;
  let earliestReturn: PreparedOperation | null = null;
  for (let index = 0; index < operations.length; index += 1) {
    const prepared = operations[index];
    if (prepared === undefined || inPrefix[index] === 1 || !prepared.outcomeKnown) continue;
    if (earliestReturn === null || prepared.returnedAt < earliestReturn.returnedAt) earliestReturn = prepared;
  }
  const returnBound = earliestReturn?.returnedAt ?? Number.POSITIVE_INFINITY;
  const candidates: Candidate[] = [];
  for (let index = 0; index < operations.length; index += 1) {
    const prepared = operations[index];
    // Calls sort before returns at equal times, so an operation called at the bound is a candidate.
    if (prepared === undefined || inPrefix[index] === 1 || prepared.invokedAt > returnBound) continue;
    candidates.push({ operation: prepared.operation, outcome: candidateOutcome(prepared, results, deadEnd.node, index) });
  }
  return {
    partitionOperationIds: operations.map((prepared) => prepared.operation.id),
    prefix: deadEnd.prefix.map((index) => operations[index]?.operation.id ?? -1),
    earliestReturn: earliestReturn?.operation ?? null,
    candidates,
    stateAfterPrefix: deadEnd.state,
  };
}

/** `results` gives the model's answer to the candidate (operation `index`) in the dead end's state (`handle`'s, unrendered), and its verdict. */
function candidateOutcome(prepared: PreparedOperation, results: ModelResults, at: StateNode, index: number): CandidateOutcome {
  const completion = prepared.operation.completion;
  if (prepared.observed === null || completion.kind !== 'response') return { kind: 'unknownThenStuck' };
  const given = results.of(at, index).answer;
  // The search's own verdict (the same as comparing the rendered response, and usually decided already)
  // settles an explained candidate; only a mismatch needs the difference, which most answers give
  // without rendering the model's response (`answerDifference`).
  if (results.explains(at, index)) return new ExplainedThenStuck(given);
  const difference = answerDifference(given, prepared.observed);
  if (difference === null) return new ExplainedThenStuck(given);
  return new Mismatch(given, completion.response, difference);
}

/**
 * The model's unrendered answer behind an outcome `buildWitness` made, or
 * `undefined` (an outcome made elsewhere): the witness's text reads what it
 * shows of the model's response (status and error code) from it, without
 * rendering the response.
 */
export function modelAnswerOf(outcome: CandidateOutcome): Answer | undefined {
  return outcome instanceof AnsweredOutcome ? outcome.answer : undefined;
}

/**
 * An outcome whose `expected` is the model's answer, rendered when first
 * read and kept: a witness is built for most runs, and its text needs only
 * the status and error code. The answer sits in a private field, invisible
 * to JSON, key listings and equality; `expected` is a getter, which JSON
 * reads through `toJSON` (the plain object's fields, in its order). A class
 * rather than an object literal with a getter, which the engine builds
 * slowly.
 */
abstract class AnsweredOutcome {
  readonly #answer: Answer;
  #expected: HttpResponse | undefined = undefined;

  constructor(answer: Answer) {
    this.#answer = answer;
  }

  get answer(): Answer {
    return this.#answer;
  }

  get expected(): HttpResponse {
    this.#expected ??= renderAnswer(this.#answer).response;
    return this.#expected;
  }
}

class Mismatch extends AnsweredOutcome {
  readonly kind = 'mismatch';
  readonly observed: HttpResponse;
  readonly difference: ResponseDifference;

  constructor(answer: Answer, observed: HttpResponse, difference: ResponseDifference) {
    super(answer);
    this.observed = observed;
    this.difference = difference;
  }

  toJSON(): CandidateOutcome {
    return { kind: this.kind, expected: this.expected, observed: this.observed, difference: this.difference };
  }
}

class ExplainedThenStuck extends AnsweredOutcome {
  readonly kind = 'explainedThenStuck';

  toJSON(): CandidateOutcome {
    return { kind: this.kind, expected: this.expected };
  }
}
