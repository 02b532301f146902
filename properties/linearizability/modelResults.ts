/**
 * The model's result for each (state, operation) pair the search asks about,
 * computed once.
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

const RESULTS_MAX = 20_000;

export class ModelResults {
  private readonly operations: readonly PreparedOperation[];
  private readonly resultsMax: number;
  // A plain map: the store lives for one partition's search and is bounded, and
  // weak maps cost the collector more.
  private byState = new Map<State, (Answer | undefined)[]>();
  private storedCount = 0;

  constructor(operations: readonly PreparedOperation[], resultsMax = RESULTS_MAX) {
    this.operations = operations;
    this.resultsMax = resultsMax;
  }

  /** What the model answers to operation `operationIndex` in `state`, and the state after. */
  of(state: State, operationIndex: number): Answer {
    let results = this.byState.get(state);
    const known = results?.[operationIndex];
    if (known !== undefined) return known;
    const prepared = this.operations[operationIndex];
    if (prepared === undefined) throw new Error(`no operation at index ${operationIndex}`);
    const computed = answer(state, prepared.decoded);
    if (this.storedCount >= this.resultsMax) {
      this.byState = new Map();
      this.storedCount = 0;
      results = undefined;
    }
    if (results === undefined) {
      results = new Array<Answer | undefined>(this.operations.length);
      this.byState.set(state, results);
    }
    results[operationIndex] = computed;
    this.storedCount += 1;
    return computed;
  }
}
