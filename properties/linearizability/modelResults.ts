/**
 * The model's result for each (state, operation) pair the search asks about,
 * and whether it explains the operation's observed response, each computed
 * once.
 *
 * The search asks the same question many times: a level's look-ahead
 * (`openLevel.ts`) runs each candidate write and then each read after it,
 * and the level opened after placing that write asks for the same reads in
 * the very state the look-ahead produced; backtracking reopens levels whose
 * states were already explored. `handle` is a pure function of the state
 * and the request, so a stored result is the one a fresh call would give.
 *
 * States are keys by identity (the model returns new objects for every
 * step), so a hit needs no fingerprint. The store keeps every state it has
 * seen alive, so it is dropped whole after `resultsMax` entries, which keeps
 * memory bounded and changes no answer.
 *
 * Each operation's request is decoded once (`PreparedOperation.decoded`), and
 * answers keep refusals unrendered: the search only needs a refusal's status
 * and error code, which `answerExplains` reads without rendering.
 */
import { answer, type Answer } from '../../model/handle.ts';
import type { State } from '../../model/index.ts';
import type { PreparedOperation } from './preparedOperation.ts';
import { answerExplains } from './responseMatch.ts';

const RESULTS_MAX = 20_000;

export class ModelResults {
  private readonly operations: readonly PreparedOperation[];
  private readonly resultsMax: number;
  // A plain map: the store lives for one partition's search and is bounded, and
  // weak maps cost the collector more. Each state's results form a short list
  // (a state is asked about the few candidates of its level and the reads
  // after them), which allocates far less than an array per state as long as
  // the partition.
  private byState = new Map<State, OperationResult>();
  private storedCount = 0;

  constructor(operations: readonly PreparedOperation[], resultsMax = RESULTS_MAX) {
    this.operations = operations;
    this.resultsMax = resultsMax;
  }

  /** What the model answers to operation `operationIndex` in `state`, and the state after. */
  of(state: State, operationIndex: number): Answer {
    return this.resultOf(state, operationIndex).answer;
  }

  /**
   * Whether that answer explains the operation's observed response
   * (`answerExplains`; any answer explains an unknown outcome). Decided
   * once per pair too: a level's look-ahead asks it of the reads, and the
   * search asks it again of each candidate it tries there.
   */
  explains(state: State, operationIndex: number): boolean {
    return this.verdictOf(this.resultOf(state, operationIndex));
  }

  /**
   * `of(state, operationIndex)` when `explains(state, operationIndex)`, else
   * `null`: the search tries a candidate with both, and one look-up serves.
   */
  explainingAnswer(state: State, operationIndex: number): Answer | null {
    const result = this.resultOf(state, operationIndex);
    return this.verdictOf(result) ? result.answer : null;
  }

  private verdictOf(result: OperationResult): boolean {
    if (result.verdict !== undefined) return result.verdict;
    const observed = this.operations[result.operationIndex]?.observed ?? null;
    result.verdict = observed === null || answerExplains(result.answer, observed);
    return result.verdict;
  }

  private resultOf(state: State, operationIndex: number): OperationResult {
    const first = this.byState.get(state);
    for (let result = first; result !== undefined; result = result.next) {
      if (result.operationIndex === operationIndex) return result;
    }
    const prepared = this.operations[operationIndex];
    if (prepared === undefined) throw new Error(`no operation at index ${operationIndex}`);
    const computed = new OperationResult(operationIndex, answer(state, prepared.decoded));
    if (this.storedCount >= this.resultsMax) {
      this.byState = new Map();
      this.storedCount = 0;
    }
    // Behind the state's first result, so its map entry stays as it is.
    const head = this.byState.get(state);
    if (head === undefined) {
      this.byState.set(state, computed);
    } else {
      computed.next = head.next;
      head.next = computed;
    }
    this.storedCount += 1;
    return computed;
  }
}

/** The model's answer to one operation in one state, its verdict once decided, and the state's next result. */
class OperationResult {
  readonly operationIndex: number;
  readonly answer: Answer;
  verdict: boolean | undefined = undefined;
  next: OperationResult | undefined = undefined;

  constructor(operationIndex: number, answered: Answer) {
    this.operationIndex = operationIndex;
    this.answer = answered;
  }
}
