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
 * A state is asked about through its node (`StateNode`): the search's
 * initial state, or the result whose answer reached it, which is where the
 * search and the look-ahead both stand. Each node keeps the results asked
 * in its state as a short list (a state is asked about the few candidates
 * of its level and the reads after them), so a hit needs neither a
 * fingerprint nor a map keyed by the state (whose hash and table growth
 * cost more than the short scan). The model returns a new state for every
 * answer, so a node and its state stand for each other. The lists keep
 * every state they reach alive, so they are all dropped after `resultsMax`
 * entries, which keeps memory bounded and changes no answer.
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

/** A state the search asks the model about, and the results asked in it so far. */
export class StateNode {
  readonly state: State;
  /** The first result asked in this state; the others follow through `OperationResult.sibling`. */
  firstResult: OperationResult | undefined = undefined;

  constructor(state: State) {
    this.state = state;
  }
}

export class ModelResults {
  private readonly operations: readonly PreparedOperation[];
  private readonly resultsMax: number;
  /** Nodes whose lists hold results, to drop them all when `resultsMax` is reached. */
  private nodesWithResults: StateNode[] = [];
  private storedCount = 0;

  constructor(operations: readonly PreparedOperation[], resultsMax = RESULTS_MAX) {
    this.operations = operations;
    this.resultsMax = resultsMax;
  }

  /** What the model answers to operation `operationIndex` in `at`'s state, and the state after (as a node). */
  of(at: StateNode, operationIndex: number): OperationResult {
    return this.resultOf(at, operationIndex);
  }

  /**
   * Whether that answer explains the operation's observed response
   * (`answerExplains`; any answer explains an unknown outcome). Decided
   * once per pair too: a level's look-ahead asks it of the reads, and the
   * search asks it again of each candidate it tries there.
   */
  explains(at: StateNode, operationIndex: number): boolean {
    return this.verdictOf(this.resultOf(at, operationIndex));
  }

  /**
   * `of(at, operationIndex)` when `explains(at, operationIndex)`, else
   * `null`: the search tries a candidate with both, and one look-up serves.
   */
  explainingAnswer(at: StateNode, operationIndex: number): OperationResult | null {
    const result = this.resultOf(at, operationIndex);
    return this.verdictOf(result) ? result : null;
  }

  private verdictOf(result: OperationResult): boolean {
    if (result.verdict !== undefined) return result.verdict;
    const observed = this.operations[result.operationIndex]?.observed ?? null;
    result.verdict = observed === null || answerExplains(result.answer, observed);
    return result.verdict;
  }

  private resultOf(at: StateNode, operationIndex: number): OperationResult {
    const first = at.firstResult;
    for (let result = first; result !== undefined; result = result.sibling) {
      if (result.operationIndex === operationIndex) return result;
    }
    const prepared = this.operations[operationIndex];
    if (prepared === undefined) throw new Error(`no operation at index ${operationIndex}`);
    const computed = new OperationResult(operationIndex, answer(at.state, prepared.decoded));
    if (this.storedCount >= this.resultsMax) {
      for (const node of this.nodesWithResults) node.firstResult = undefined;
      this.nodesWithResults = [];
      this.storedCount = 0;
    }
    // Behind the node's first result, so that a list is started only once.
    const head = at.firstResult;
    if (head === undefined) {
      at.firstResult = computed;
      this.nodesWithResults.push(at);
    } else {
      computed.sibling = head.sibling;
      head.sibling = computed;
    }
    this.storedCount += 1;
    return computed;
  }
}

/**
 * The model's answer to one operation in one state, its verdict once
 * decided, and the next result asked in the same state; also the node of
 * the state the answer reached.
 */
export class OperationResult extends StateNode {
  readonly operationIndex: number;
  readonly answer: Answer;
  verdict: boolean | undefined = undefined;
  sibling: OperationResult | undefined = undefined;

  constructor(operationIndex: number, answered: Answer) {
    super(answered.state);
    this.operationIndex = operationIndex;
    this.answer = answered;
  }
}
